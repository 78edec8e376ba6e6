import { describe, expect, it } from 'vitest';
import {
  paths,
  previewOf,
  toActions,
  toBreakdowns,
  toComparison,
  toItemTrace,
  toSavedScenario,
  toTrajectory,
  type CompareView,
  type TrajectoryView,
} from '../../src/web/api.js';

/** The server's views (api-read, api-steering) read into the pages' models: field names in one place. */
describe('adapters of the server views', () => {
  it('breakdowns: `key` shares become labelled rows, the entity parent and the top items kept', () => {
    const b = toBreakdowns({
      criterion: 'CLIMATE_CHANGE',
      unit: 'kg CO2 eq',
      total: 1000,
      byTier: [{ key: 'TERMINAL', value: 1000 }],
      byType: [{ key: 'Laptop', value: 1000 }],
      byStep: [{ key: 'USE', value: 1000 }],
      byEntity: [{ key: 'École A', value: 1000, parentName: 'Écoles' }],
      byCountry: [{ key: 'FR', value: 1000 }],
      top: [{ position: 4, name: 'PC-PORT-ADM', type: 'Laptop', value: 600 }],
      electricityKwh: 2500,
      perCollaborator: 10,
      peopleEquivalent: null,
    });
    expect(b.byTier).toEqual([{ label: 'TERMINAL', value: 1000 }]);
    expect(b.byEntity).toEqual([{ label: 'École A', value: 1000, parent: 'Écoles' }]);
    expect(b.top).toEqual([{ label: 'PC-PORT-ADM', value: 600, position: 4, type: 'Laptop' }]);
    expect(b.electricityKwh).toBe(2500);
  });

  it('compare: goes from the path campaign to `with`, reads the criterion’s decomposition and the diff counts', () => {
    expect(paths.compare('c2024', 'c2025')).toBe('/api/v1/campaigns/c2024/compare?with=c2025&criterion=CLIMATE_CHANGE');
    const view: CompareView = {
      criterion: 'CLIMATE_CHANGE',
      before: { campaignId: 'a', name: '2024' },
      after: { campaignId: 'b', name: '2025' },
      delta: { byCriterion: [{ criterion: 'CLIMATE_CHANGE', unit: 'kg CO2 eq' }] },
      decomposition: [
        {
          criterion: 'ACIDIFICATION',
          before: 1,
          after: 1,
          change: 0,
          referenceData: 0,
          effects: [],
        },
        {
          criterion: 'CLIMATE_CHANGE',
          before: 1000,
          after: 900,
          change: -100,
          referenceData: 20,
          effects: [
            { effect: 'referenceData', value: 20 },
            { effect: 'fleet', value: -150 },
            { effect: 'lifetime', value: 30 },
          ],
        },
      ],
      diff: { added: { count: 2, rows: [] }, removed: { count: 1, rows: [] }, changed: { count: 5, rows: [] } },
    };
    const c = toComparison(view);
    expect(c.before).toBe(1000);
    expect(c.after).toBe(900);
    expect(c.delta).toBe(-100);
    expect(c.unit).toBe('kg CO2 eq');
    // 20 − 150 + 30 = −100: the effects (reference data included) sum to the delta
    expect(c.effects.reduce((a, e) => a + e.value, 0)).toBe(c.delta);
    expect([c.diff.added, c.diff.removed, c.diff.changed]).toEqual([2, 1, 5]);
  });

  it('trajectory: campaigns without a total left out, referential changes flagged, target line kept', () => {
    const v: TrajectoryView = {
      criterion: 'CLIMATE_CHANGE',
      unit: 'kg CO2 eq',
      likeForLike: false,
      campaigns: [
        {
          name: '2024',
          year: 2024,
          total: 1000,
          referential: { id: 'empreinte-default', version: '1.0.0' },
          referentialDiffers: true,
          target: 1000,
          gap: 0,
          relativeGap: 0,
          status: 'on-track',
        },
        {
          name: 'draft',
          year: 2026,
          total: null,
          referential: { id: 'empreinte-default', version: '1.1.0' },
          referentialDiffers: false,
          target: null,
          gap: null,
          relativeGap: null,
          status: null,
        },
      ],
      target: null,
      targetLine: [
        { year: 2024, value: 1000 },
        { year: 2030, value: 700 },
      ],
      forecast: null,
      budget: null,
    };
    const t = toTrajectory(v);
    expect(t.campaigns).toHaveLength(1);
    expect(t.campaigns[0]).toMatchObject({ year: 2024, value: 1000, referentialDiffers: true });
    expect(t.campaigns[0]!.referentialVersion).toBe('empreinte-default 1.0.0');
    expect(t.targetLine).toEqual(v.targetLine);
    expect(t.hasTarget).toBe(false);
  });

  it('scenario preview and saved scenarios: before/after/delta per criterion, delta per tier', () => {
    const p = previewOf({
      name: 'x',
      delta: {
        byCriterion: [{ criterion: 'CLIMATE_CHANGE', unit: 'kg CO2 eq', before: 1000, after: 850, delta: -150 }],
        by: { tier: { TERMINAL: { CLIMATE_CHANGE: -150 } } },
      },
    });
    expect(p).toEqual({
      baseline: { CLIMATE_CHANGE: 1000 },
      scenario: { CLIMATE_CHANGE: 850 },
      delta: { CLIMATE_CHANGE: -150 },
      units: { CLIMATE_CHANGE: 'kg CO2 eq' },
      byTier: { TERMINAL: { CLIMATE_CHANGE: -150 } },
    });
    const s = toSavedScenario({
      id: 's',
      campaignId: 'c',
      name: 'Keep laptops',
      levers: [{ lifetime: { type: 'Laptop', addYears: 1 } }],
      createdAt: 'now',
      result: {
        byCriterion: [{ criterion: 'CLIMATE_CHANGE', unit: 'kg CO2 eq', before: 1000, after: 900, delta: -100 }],
        byTier: {},
      },
    });
    expect(s.result?.delta).toEqual({ CLIMATE_CHANGE: -100 });
  });

  it('action plan: the measured saving read from `measured`, null before a second campaign', () => {
    const base = {
      title: 'A',
      owner: 'DSI',
      dueDate: '2026-06-30',
      status: 'planned',
      scenarioId: 's',
      levers: [],
      expectedSaving: 100,
    };
    expect(
      toActions({
        measuredBetween: null,
        actions: [
          { ...base, id: '1', measured: { saving: 80 } },
          { ...base, id: '2', measured: null },
        ],
      }).map((a) => [a.id, a.expectedSaving, a.measuredSaving]),
    ).toEqual([
      ['1', 100, 80],
      ['2', 100, null],
    ]);
  });

  it('trace: the route’s single item becomes the explain document’s match list', () => {
    const meta = {
      engine: { name: 'empreinte', version: '0.1.0' },
      profile: 'rcp',
      referenceDate: '2024-12-31',
      referential: { id: 'r', version: '1', hash: 'h', layers: [] },
      criteria: [],
      steps: [],
    };
    const item = { kind: 'physical-equipment', item: 'PC', quantity: 3, indicators: [] };
    const tr = toItemTrace({ campaignId: 'c', position: 0, meta, item });
    expect(tr.item).toBe('PC');
    expect(tr.matches).toEqual([item]);
    expect(toItemTrace(tr)).toBe(tr);
  });
});
