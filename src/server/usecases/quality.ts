/**
 * Data quality of a campaign (issue 15's data-quality page): what the user can fix — lines rejected per upload (count
 * by the last assessment, which reads the campaign's files together; top reasons by code and the rejects download from
 * the upload's own validation, listed only when the assessment rejected lines of that file too), items on their type's default item (`CALC_MODEL_FALLBACK`) or a default
 * PUE, indicators in error for a missing consumption and the other codes "to fix" — apart from what the open
 * referential does not cover (criteria × steps without an open factor, F20 / src/engine/coverage.ts). Read from the
 * uploads' validation reports and the stored totals document (the engine's coverage split); nothing is recomputed.
 *
 * And the fixes that would narrow the uncertainty most (F21): computed by the assessment job with the climate total's
 * range (src/server/usecases/uncertainty.ts, rule in docs/steering.md "Uncertainty fixes") and read from the
 * campaign's aggregates; null for a campaign not assessed since the server computes them.
 */
import { z } from 'zod';
import type { Coverage, Totals } from '../../engine/aggregate.js';
import type { InventoryFileSummary } from '../../app/sink.js';
import { scoped, type Actor } from '../../store/scoped.js';
import { campaignFor, fromJson } from './campaign-run.js';
import { UNCERTAINTY_FIXES } from './aggregates.js';
import { refuseRestricted } from './entity-scope.js';
import type { UseCaseDeps } from './deps.js';
import { FIX_CODES } from './uncertainty.js';

/** How many reasons each upload lists (the most frequent codes first). */
const TOP_REASONS = 5;

const ItemRefView = z.object({
  kind: z.string(),
  item: z.string(),
  file: z.string().optional(),
  line: z.number().optional(),
});
const ToFixView = z.object({
  code: z.string().describe('An issue code of the catalogue (docs/engine.md: coverage apart from errors).'),
  indicators: z.int(),
  items: z.int(),
  first: z.array(ItemRefView),
});

const UncertaintyFixesView = z
  .object({
    criterion: z.string(),
    unit: z.string(),
    nominal: z.number(),
    p5: z.number(),
    p95: z.number(),
    width: z.number().describe('P95 − P5 of the total.'),
    fixes: z
      .array(
        z.object({
          input: z.string().describe('A factor (`item:…`, `elec:…`, `other:…`) or an activity class (`activity:LOW`).'),
          kind: z.enum(['factor', 'activity']),
          fix: z
            .enum(FIX_CODES)
            .describe(
              'GIVE_MODEL: give the model of the items on their type’s default item (or load their factor); SPECIFIC_FACTOR: load a product or supplier factor; ELECTRICITY_FACTOR: load the supplier’s electricity factor; MEASURE: measure the activity data and mark it `qualite` HAUTE.',
            ),
          items: z.int(),
          defaultFactorItems: z.int().describe('Items among them on their type’s default item (CALC_MODEL_FALLBACK).'),
          value: z.number().describe('The factor’s sum S_f, or the class’s items’ total (criterion unit).'),
          share: z.number().describe('Its part of the variance of the total (0–1).'),
          widthIfExact: z
            .number()
            .describe(
              'P95 − P5 of the total if this input were exact: the same 1,000 draws without its noise (Monte Carlo: for a small share, the sampling noise, a few per cent of the width, can exceed the narrowing).',
            ),
        }),
      )
      .describe('Largest share first, at most 10.'),
  })
  .meta({ id: 'UncertaintyFixes' });

export const QualityView = z
  .object({
    campaignId: z.string(),
    assessed: z.boolean().describe('False before the first assessment: only the uploads are reported.'),
    uploads: z.array(
      z.object({
        uploadId: z.string(),
        fileName: z.string(),
        read: z.int().describe("Lines read by the last assessment (else by the upload's validation)."),
        imported: z.int(),
        rejected: z.int(),
        atUpload: z
          .object({ read: z.int(), imported: z.int(), rejected: z.int() })
          .describe(
            "The upload's own validation: the file alone, so lines naming another upload's items count as rejected there.",
          ),
        fileError: z.object({ code: z.string(), message: z.string() }).nullable(),
        topReasons: z.array(z.object({ code: z.string(), lines: z.int(), message: z.string() })),
        rejectsUrl: z.string().nullable().describe('The rejects file (CSV), when lines were rejected.'),
      }),
    ),
    defaultFactor: z
      .object({ items: z.int(), code: z.literal('CALC_MODEL_FALLBACK') })
      .describe("Items whose model matched no reference item: their type's default item is used."),
    defaultPue: z.object({ items: z.int(), code: z.literal('CALC_DEFAULT_PUE') }),
    missingConsumption: ToFixView.nullable().describe(
      'Indicators in error for want of a yearly consumption where the referential has an electricity factor.',
    ),
    toFix: z.array(ToFixView).describe('Every code to fix in the data (missing consumption included).'),
    notCovered: z
      .object({
        indicators: z.int(),
        share: z.number(),
        openReferentialOnly: z.boolean(),
        byCriterion: z.array(
          z.object({ criterion: z.string(), indicators: z.int(), steps: z.record(z.string(), z.int()) }),
        ),
        howToLoad: z.string(),
      })
      .nullable(),
    uncertaintyFixes: UncertaintyFixesView.nullable().describe(
      'The inputs of the climate total’s F21 range ranked by their share of its variance, each with the fix that narrows it (docs/steering.md); null before an assessment that computed them.',
    ),
  })
  .meta({ id: 'Quality' });

interface StoredReport {
  read?: number;
  imported?: number;
  rejected?: number;
  fileError?: { code: string; message: string };
  issues?: { code: string; severity: string; message: string }[];
}

export const getQuality = (deps: UseCaseDeps, actor: Actor, input: { campaignId: string }) =>
  deps.store.transaction(async (tx): Promise<z.output<typeof QualityView>> => {
    const s = await scoped(tx, actor);
    const c = await campaignFor(s, actor, input.campaignId, 'campaign:read');
    refuseRestricted(actor, c.organisation_id, 'quality campaign:read');
    const uploads = await s.uploads.list(c.id);
    const r = await s.results.get(c.id);
    const fixesRow = (await s.aggregates.current(c.id, [UNCERTAINTY_FIXES]))[0];
    const totals = r === undefined ? undefined : (JSON.parse(r.document) as { totals: Totals }).totals;
    const coverage: Coverage | undefined = totals?.coverage;
    const toFix = Object.entries(coverage?.toFix.byCode ?? {})
      .map(([code, x]) => ({
        code,
        indicators: x.indicators,
        items: x.items,
        first: x.first.map((f) => ({
          kind: f.kind,
          item: f.item,
          ...(f.file !== undefined ? { file: f.file } : {}),
          ...(f.line !== undefined ? { line: f.line } : {}),
        })),
      }))
      .sort((a, b) => b.indicators - a.indicators || (a.code < b.code ? -1 : 1));
    // The last assessment's per-file counts (the campaign's files read together), by uploaded name in upload order.
    const assessedFiles = [
      ...((r === undefined ? [] : (JSON.parse(r.document) as { inventory?: InventoryFileSummary[] }).inventory) ?? []),
    ];
    const assessedCounts = (fileName: string) => {
      const i = assessedFiles.findIndex((x) => x.file === fileName);
      return i < 0 ? undefined : assessedFiles.splice(i, 1)[0];
    };
    return {
      campaignId: c.id,
      assessed: totals !== undefined,
      uploads: uploads.map((u) => {
        const rep = (u.report === null ? {} : fromJson(u.report)) as StoredReport;
        const run = totals === undefined ? undefined : assessedCounts(u.file_name);
        const counts = new Map<string, { lines: number; message: string }>();
        for (const i of rep.issues ?? []) {
          if (i.severity !== 'R') continue;
          const k = counts.get(i.code);
          if (k === undefined) counts.set(i.code, { lines: 1, message: i.message });
          else k.lines++;
        }
        const atUpload = { read: rep.read ?? 0, imported: rep.imported ?? 0, rejected: rep.rejected ?? 0 };
        const shown = run === undefined ? atUpload : { read: run.read, imported: run.imported, rejected: run.rejected };
        const rejected = shown.rejected;
        return {
          uploadId: u.id,
          fileName: u.file_name,
          ...shown,
          atUpload,
          fileError: rep.fileError ? { code: rep.fileError.code, message: rep.fileError.message } : null,
          topReasons: (rejected > 0 ? [...counts] : [])
            .map(([code, x]) => ({ code, lines: x.lines, message: x.message }))
            .sort((a, b) => b.lines - a.lines || (a.code < b.code ? -1 : 1))
            .slice(0, TOP_REASONS),
          rejectsUrl: rejected > 0 ? `/api/v1/uploads/${u.id}/rejects` : null,
        };
      }),
      defaultFactor: { items: totals?.warnings.CALC_MODEL_FALLBACK ?? 0, code: 'CALC_MODEL_FALLBACK' },
      defaultPue: { items: totals?.warnings.CALC_DEFAULT_PUE ?? 0, code: 'CALC_DEFAULT_PUE' },
      missingConsumption: toFix.find((x) => x.code === 'CALC_ELECTRICITY_MISSING') ?? null,
      toFix,
      notCovered:
        coverage === undefined
          ? null
          : {
              indicators: coverage.notCovered.indicators,
              share: coverage.notCovered.share,
              openReferentialOnly: coverage.notCovered.openReferentialOnly,
              byCriterion: Object.entries(coverage.notCovered.byCriterion).map(([criterion, steps]) => ({
                criterion,
                indicators: Object.values(steps).reduce((a, n) => a + n, 0),
                steps: { ...steps },
              })),
              howToLoad: coverage.notCovered.howToLoad,
            },
      uncertaintyFixes:
        fixesRow === undefined ? null : (JSON.parse(fixesRow.vals) as z.output<typeof UncertaintyFixesView>),
    };
  });
