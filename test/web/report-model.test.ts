/**
 * The dashboard's report model from the API's documents (src/web/model/report.ts): the same `reportModel` as the CLI
 * (src/outputs/report-model.ts), fed with a totals document, the breakdowns' top items, the uploads' rejected lines, the
 * trajectory view and the referential packs. Expected values are written by hand from the documents below.
 */
import { describe, expect, it } from 'vitest';
import type { BreakdownsView, Referential, TotalsDocument, TrajectoryView, Upload } from '../../src/web/api.js';
import { missingReportFields, reportFromApi, reportSourcesOf, reportTrajectory } from '../../src/web/model/report.js';

const totals = {
  meta: {
    engine: { name: 'empreinte', version: '0.1.0' },
    profile: 'rcp',
    referenceDate: '2025-12-31',
    period: { start: '2025-01-01', end: '2025-12-31' },
    referential: {
      id: 'pack',
      version: '1.0.0',
      hash: 'h',
      layers: [{ name: 'embedded:pack' }, { name: 'profile:rcp' }],
    },
    criteria: ['ACIDIFICATION', 'CLIMATE_CHANGE'],
    steps: ['MANUFACTURING', 'USE'],
  },
  inventory: [
    { file: 'a.csv', kind: 'physical-equipment', read: 10, imported: 8, rejected: 2, warnings: 0 },
    { file: 'b.csv', kind: 'datacenter', read: 3, imported: 2, rejected: 1, warnings: 0 },
  ],
  totals: {
    byCriterion: [
      {
        criterion: 'ACIDIFICATION',
        unit: 'mol H+ eq',
        value: 2,
        byStep: { MANUFACTURING: 2 },
        indicators: 4,
        errors: 2,
      },
      {
        criterion: 'CLIMATE_CHANGE',
        unit: 'kg CO2 eq',
        value: 1500,
        byStep: { MANUFACTURING: 1000, USE: 500 },
        indicators: 4,
        errors: 0,
        perCollaborator: 15,
        peopleEquivalent: 0.2,
      },
    ],
    by: {
      tier: { TERMINAL: { CLIMATE_CHANGE: 1200 }, DATACENTER: { CLIMATE_CHANGE: 300 } },
      type: { Server: { CLIMATE_CHANGE: 300 }, Laptop: { CLIMATE_CHANGE: 1200 } },
    },
    electricity: { itKWh: 100, facilityKWh: 150 },
    coverage: {
      indicators: 8,
      computed: 6,
      notCovered: { indicators: 2, share: 0.25, openReferentialOnly: true, byCriterion: {} },
      toFix: {
        indicators: 0,
        share: 0,
        byCode: { CALC_ELECTRICITY_MISSING: { indicators: 1, items: 1, first: [{ kind: 'x', item: 'PHONE' }] } },
      },
    },
    outOfPeriod: { items: 0, quantity: 0 },
    items: { 'physical-equipment': 8 },
    warnings: {},
    collaborators: 100,
  },
} as unknown as TotalsDocument;

const trajectoryView = (withTarget: boolean): TrajectoryView =>
  ({
    criterion: 'CLIMATE_CHANGE',
    unit: 'kg CO2 eq',
    likeForLike: false,
    targetValue: withTarget ? 1400 : null,
    campaigns: [
      {
        name: '2024',
        year: 2024,
        total: 2000,
        referential: { id: 'pack', version: '1.0.0' },
        referentialDiffers: false,
        inTrajectory: true,
        target: withTarget ? 2000 : null,
        gap: withTarget ? 0 : null,
        relativeGap: null,
        status: withTarget ? 'on-track' : null,
      },
      {
        name: '2024 bis',
        year: 2024,
        total: 2100,
        referential: { id: 'pack', version: '1.0.0' },
        referentialDiffers: false,
        inTrajectory: false,
        target: null,
        gap: null,
        relativeGap: null,
        status: null,
      },
      {
        name: '2025',
        year: 2025,
        total: 1500,
        referential: { id: 'pack', version: '1.0.0' },
        referentialDiffers: false,
        inTrajectory: true,
        target: withTarget ? 1900 : null,
        gap: withTarget ? -400 : null,
        relativeGap: null,
        status: withTarget ? 'on-track' : null,
      },
    ],
    target: withTarget
      ? {
          organisationId: 'o',
          criterion: 'CLIMATE_CHANGE',
          baseYear: 2024,
          targetYear: 2030,
          reduction: -0.3,
          shape: 'linear',
          budget: null,
          updatedAt: '2026-01-01T00:00:00Z',
        }
      : null,
    targetLine: [],
    forecast: null,
    budget: null,
  }) as TrajectoryView;

describe('the dashboard’s report model', () => {
  it('the trajectory: the campaigns in it (not the earlier copy of a year), the target, or none with one campaign', () => {
    const t = reportTrajectory(trajectoryView(true))!;
    expect(t.campaigns.map((c) => [c.name, c.value, c.target, c.gap, c.status])).toEqual([
      ['2024', 2000, 2000, 0, 'on-track'],
      ['2025', 1500, 1900, -400, 'on-track'],
    ]);
    expect(t.target).toEqual({
      baselineYear: 2024,
      targetYear: 2030,
      reduction: -0.3,
      targetValue: 1400,
      shape: 'linear',
    });
    expect(reportTrajectory(trajectoryView(false))!.target).toBeUndefined();
    const one = { ...trajectoryView(false), campaigns: trajectoryView(false).campaigns.slice(0, 1) };
    expect(reportTrajectory(one)).toBeUndefined();
  });

  it('the sources: the campaign’s pack, its datasets and its files’ rows; not listed without it', () => {
    const packs = [
      { id: 'other', version: '1', files: [{ path: 'x.json', licence: 'MIT', rows: 1 }] },
      {
        id: 'pack',
        version: '1.0.0',
        files: [{ path: 'items.json', licence: 'ODbL-1.0', rows: 42 }],
        licences: [{ dataset: 'D', licence: 'MIT', attribution: 'A' }],
      },
    ] as Referential[];
    expect(reportSourcesOf(totals, packs)).toEqual({
      listed: true,
      datasets: [{ dataset: 'D', licence: 'MIT', attribution: 'A' }],
      layers: [{ layer: 'pack · items.json', licence: 'ODbL-1.0', rows: 42 }],
    });
    expect(reportSourcesOf(totals, undefined)).toEqual({ listed: false, datasets: [], layers: [] });
  });

  it('the report: key figures copied, splits sorted on climate change, top items, reasons only where they match', () => {
    const breakdowns = {
      criterion: 'CLIMATE_CHANGE',
      top: [
        { position: 3, name: 'LAPTOPS', type: 'Laptop', value: 1200 },
        { position: 1, name: 'SRV', type: null, value: 300 },
      ],
    } as unknown as BreakdownsView;
    const upload = (fileName: string, rejected: number): Upload =>
      ({
        fileName,
        report: {
          rejected,
          issues: [
            { code: 'INP_BAD_NUMBER', severity: 'R', message: 'Line 4: bad number', line: 4 },
            { code: 'INP_UNKNOWN_COLUMN', severity: 'W', message: 'unknown column' },
          ],
        },
      }) as unknown as Upload;
    const r = reportFromApi({
      campaign: '2025',
      organisation: 'Ville',
      totals,
      breakdowns,
      trajectory: trajectoryView(true),
      // a.csv: the upload refused as many lines as the assessment (2); b.csv: 5 at upload, 1 at assessment.
      uploads: [upload('a.csv', 2), upload('b.csv', 5)],
    });
    expect(r.title).toBe('Ville');
    expect(r.campaign).toEqual({
      name: '2025',
      referenceDate: '2025-12-31',
      period: { start: '2025-01-01', end: '2025-12-31' },
      profile: 'rcp',
    });
    expect(r.criteria.map((c) => [c.criterion, c.value, c.perCollaborator])).toEqual([
      ['ACIDIFICATION', 2, undefined],
      ['CLIMATE_CHANGE', 1500, 15],
    ]);
    expect(r.electricity).toEqual({ itKWh: 100, facilityKWh: 150 });
    expect(r.breakdowns.type.map((b) => b.key)).toEqual(['Laptop', 'Server']);
    expect(r.breakdowns.step).toEqual([
      { key: 'MANUFACTURING', values: { ACIDIFICATION: 2, CLIMATE_CHANGE: 1000 } },
      { key: 'USE', values: { CLIMATE_CHANGE: 500 } },
    ]);
    expect(r.top).toEqual({
      basis: 'items',
      criterion: 'CLIMATE_CHANGE',
      unit: 'kg CO2 eq',
      rows: [
        { name: 'LAPTOPS', type: 'Laptop', value: 1200 },
        { name: 'SRV', value: 300 },
      ],
    });
    expect(r.quality.files[0]!.reasons).toEqual([
      { line: 4, code: 'INP_BAD_NUMBER', message: { en: 'Line 4: bad number', fr: 'Line 4: bad number' } },
    ]);
    expect(r.quality.files[1]!.reasons).toBeUndefined();
    expect(r.quality.missingConsumptions).toEqual({ indicators: 1, items: 1, first: [{ item: 'PHONE' }] });
    expect(r.trajectory!.target!.targetValue).toBe(1400);
    expect(r.sources.listed).toBe(false);
  });

  it('names the fields an older totals document lacks', () => {
    const old = { ...totals, totals: { ...totals.totals, coverage: undefined, electricity: undefined } };
    expect(missingReportFields(old as unknown as TotalsDocument)).toEqual(['totals.electricity', 'totals.coverage']);
    expect(missingReportFields(totals)).toEqual([]);
  });
});
