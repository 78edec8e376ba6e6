/**
 * Accounting step: the report of each file or table, filled in while the run reads it (lines read, imported,
 * rejected, issues kept up to a bound with exact counts per code), and the run's totals.
 */
import type { Issue } from '../../issues/catalogue.js';
import type { FileReport, InventoryResult } from './types.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** The report of one file or table while the run fills it in (handed out as a `FileReport`). */
export type Report = Mutable<FileReport> & { issueCounts: Record<string, number>; issues: Issue[] };

export function newReport(path: string, file: string): Report {
  return {
    path,
    file,
    status: 'ok',
    read: 0,
    imported: 0,
    rejected: 0,
    warnings: 0,
    blankLines: 0,
    issueCounts: {},
    issues: [],
    issuesTruncated: false,
  };
}

/** Records issues into reports: every issue counted by code, the first `maxIssues` of a file kept. */
export class IssueLog {
  constructor(private readonly maxIssues: number) {}

  record(report: Report, i: Issue): void {
    report.issueCounts[i.code] = (report.issueCounts[i.code] ?? 0) + 1;
    if (i.severity === 'W') report.warnings++;
    if (report.issues.length < this.maxIssues) report.issues.push(i);
    else report.issuesTruncated = true;
  }

  /** A file-level error: the file fails. */
  fail(report: Report, i: Issue): void {
    report.status = 'failed';
    report.fileError = i;
    this.record(report, i);
  }
}

/** The run's result: every report, whether all are ok, and the totals over them. */
export function summarise(reports: readonly Report[]): InventoryResult {
  const totals = { read: 0, imported: 0, rejected: 0, warnings: 0 };
  for (const r of reports) {
    totals.read += r.read;
    totals.imported += r.imported;
    totals.rejected += r.rejected;
    totals.warnings += r.warnings;
  }
  return { files: reports, ok: reports.every((r) => r.status === 'ok'), totals };
}
