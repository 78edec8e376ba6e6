/** Shared by the matching test: runs the labelled sample through a matcher and counts outcomes. */
import { readFileSync } from 'node:fs';
import type { ModelMatcher } from '../../src/referential/matching/matcher.js';

export interface SampleRow {
  readonly line: number;
  readonly model: string;
  readonly type?: string;
  /** Acceptable items; empty = "no match". */
  readonly expected: readonly string[];
  readonly note: string;
}

export function readSample(path: string): SampleRow[] {
  const lines = readFileSync(path, 'utf8').split(/\r?\n/);
  const rows: SampleRow[] = [];
  lines.forEach((l, i) => {
    if (i === 0 || l.trim() === '') return;
    const [model, type, expected, note] = l.split(';');
    if (model === undefined || expected === undefined) throw new Error(`${path}:${i + 1}: expected 4 fields`);
    rows.push({
      line: i + 1,
      model,
      type: type?.trim() ? type.trim() : undefined,
      expected: expected.trim() === 'no match' ? [] : expected.split('|').map((x) => x.trim()),
      note: note ?? '',
    });
  });
  return rows;
}

export interface Evaluation {
  readonly truePositives: number;
  readonly falseMatches: { row: SampleRow; got: string; score: number }[];
  readonly missed: { row: SampleRow; best?: { item: string; score: number } }[];
  readonly trueNegatives: number;
  readonly precision: number;
  readonly recall: number;
}

export function evaluate(matcher: ModelMatcher, rows: readonly SampleRow[]): Evaluation {
  let tp = 0;
  let tn = 0;
  const falseMatches: Evaluation['falseMatches'] = [];
  const missed: Evaluation['missed'] = [];
  for (const row of rows) {
    const m = matcher.match(row.model, row.type);
    if (m && row.expected.includes(m.item)) tp++;
    else if (m) {
      falseMatches.push({ row, got: m.item, score: m.score });
      if (row.expected.length > 0) missed.push({ row });
    } else if (row.expected.length > 0) missed.push({ row, best: matcher.best(row.model, row.type) });
    else tn++;
  }
  const predicted = tp + falseMatches.length;
  const positives = rows.filter((r) => r.expected.length > 0).length;
  return {
    truePositives: tp,
    falseMatches,
    missed,
    trueNegatives: tn,
    precision: predicted === 0 ? 1 : tp / predicted,
    recall: positives === 0 ? 1 : tp / positives,
  };
}
