import { describe, expect, it } from 'vitest';
import { ApiClient, ApiError, errorKind, paths, type TotalsDocument } from '../../src/web/api.js';
import { parseRoute, routeHash } from '../../src/web/app/router.js';
import { itemTotals, parseColumn } from '../../src/web/model/items.js';
import { buildLever } from '../../src/web/model/levers.js';
import { breakdownsFromTotals, entityLabel, rangeOf, topWithOther } from '../../src/web/model/overview.js';

const doc = {
  meta: {
    engine: { name: 'empreinte', version: '0.1.0' },
    profile: 'rcp',
    referenceDate: '2024-12-31',
    referential: { id: 'r', version: '1', hash: 'h', layers: [] },
    criteria: ['CLIMATE_CHANGE', 'ACIDIFICATION'],
    steps: ['MANUFACTURING', 'USE', 'EMBODIED'],
  },
  inventory: [],
  totals: {
    byCriterion: [
      {
        criterion: 'CLIMATE_CHANGE',
        unit: 'kg CO2 eq',
        value: 1000,
        byStep: { MANUFACTURING: 600, USE: 400, EMBODIED: 0 },
        indicators: 3,
        errors: 0,
        perCollaborator: 10,
        peopleEquivalent: 1.17,
      },
    ],
    by: {
      tier: {
        TERMINAL: { CLIMATE_CHANGE: 700, ACIDIFICATION: 1 },
        DATACENTER: { CLIMATE_CHANGE: 300 },
        NETWORK: { CLIMATE_CHANGE: 0 },
      },
      type: { Laptop: { CLIMATE_CHANGE: 500 }, Server: { CLIMATE_CHANGE: 300 }, Monitor: { CLIMATE_CHANGE: 200 } },
      entity: { DSI: { CLIMATE_CHANGE: 300 }, Écoles: { CLIMATE_CHANGE: 700 } },
      country: { FR: { CLIMATE_CHANGE: 1000 } },
    },
    electricity: { itKWh: 2500, facilityKWh: 3000 },
  },
} satisfies TotalsDocument;

describe('overview model from the totals document', () => {
  it('splits one criterion by tier, type, step, entity and country, largest first, zeros left out', () => {
    const b = breakdownsFromTotals(doc, 'CLIMATE_CHANGE');
    expect(b.total).toBe(1000);
    expect(b.unit).toBe('kg CO2 eq');
    expect(b.byTier).toEqual([
      { label: 'TERMINAL', value: 700 },
      { label: 'DATACENTER', value: 300 },
    ]);
    // steps in life-cycle order, EMBODIED (0) left out
    expect(b.byStep).toEqual([
      { label: 'MANUFACTURING', value: 600 },
      { label: 'USE', value: 400 },
    ]);
    expect(b.byType.map((r) => r.label)).toEqual(['Laptop', 'Server', 'Monitor']);
    expect(b.byEntity[0]).toEqual({ label: 'Écoles', value: 700, parent: null });
    expect(b.electricityKwh).toBe(2500);
    expect(b.perCollaborator).toBe(10);
    // the parts of each split add up to the total
    expect(b.byTier.reduce((a, r) => a + r.value, 0)).toBe(b.total);
    expect(b.byStep.reduce((a, r) => a + r.value, 0)).toBe(b.total);
  });

  it('keeps only the criterion asked for', () => {
    expect(breakdownsFromTotals(doc, 'ACIDIFICATION').byTier).toEqual([{ label: 'TERMINAL', value: 1 }]);
  });

  it('groups the tail into "Others" and labels entities with their parent', () => {
    const rows = [
      { label: 'a', value: 5 },
      { label: 'b', value: 3 },
      { label: 'c', value: 2 },
      { label: 'd', value: 1 },
    ];
    expect(topWithOther(rows, 2, 'Others')).toEqual([
      { label: 'a', value: 5 },
      { label: 'b', value: 3 },
      { label: 'Others', value: 3 },
    ]);
    expect(topWithOther(rows, 4, 'Others')).toEqual(rows);
    expect(entityLabel({ label: 'École A', value: 1, parent: 'Écoles' })).toBe('Écoles › École A');
    expect(entityLabel({ label: 'DSI', value: 1 })).toBe('DSI');
  });

  it('reads an uncertainty range under either name, else none', () => {
    const c = doc.totals.byCriterion[0]!;
    expect(rangeOf(c)).toBeNull();
    expect(rangeOf({ ...c, range: { lower: 900, upper: 1200 } })).toEqual({ lower: 900, upper: 1200 });
    expect(rangeOf({ ...c, uncertainty: { lower: 800, upper: 1100, confidence: 0.95 } })).toEqual({
      lower: 800,
      upper: 1100,
    });
    // assess --uncertainty: P5 and P95 of the document's list win
    const withRange = {
      uncertainty: [{ criterion: 'CLIMATE_CHANGE', unit: 'kg CO2 eq', range: { p5: 850, p50: 990, p95: 1250 } }],
    };
    expect(rangeOf(c, withRange)).toEqual({ lower: 850, upper: 1250 });
    expect(rangeOf({ ...c, criterion: 'ACIDIFICATION' }, withRange)).toBeNull();
  });
});

describe('wide item rows', () => {
  it('sums an item’s steps per criterion, empty cells adding nothing', () => {
    expect(parseColumn('CLIMATE_CHANGE USE (kg CO2 eq)')).toEqual({
      criterion: 'CLIMATE_CHANGE',
      step: 'USE',
      unit: 'kg CO2 eq',
    });
    expect(parseColumn('quantity')).toBeUndefined();
    const t = itemTotals(
      ['CLIMATE_CHANGE USE (kg CO2 eq)', 'CLIMATE_CHANGE EMBODIED (kg CO2 eq)', 'ACIDIFICATION USE (mol H+ eq)'],
      [113.02262999999999, 6519.676799999999, null],
    );
    // 113.02263 + 6519.6768 = 6632.69943
    expect(t.get('CLIMATE_CHANGE')!.value).toBeCloseTo(6632.69943, 8);
    expect(t.get('CLIMATE_CHANGE')!.computed).toBe(2);
    expect(t.get('ACIDIFICATION')).toEqual({ value: 0, unit: 'mol H+ eq', computed: 0 });
  });
});

describe('scenario levers', () => {
  it('builds the API lever with numbers parsed (decimal comma accepted) and optional fields left out', () => {
    expect(buildLever({ kind: 'lifetime', values: { type: 'Laptop', addYears: '1' } })).toEqual({
      lever: { lifetime: { type: 'Laptop', addYears: 1 } },
    });
    expect(buildLever({ kind: 'replace', values: { from: 'Desktop', to: 'Laptop', share: '0,5' } })).toEqual({
      lever: { replace: { from: 'Desktop', to: 'Laptop', share: 0.5 } },
    });
    expect(buildLever({ kind: 'pue', values: { value: '1.4' } })).toEqual({ lever: { pue: { value: 1.4 } } });
  });

  it('names the first missing or invalid field', () => {
    expect(buildLever({ kind: 'lifetime', values: { type: 'Laptop' } })).toEqual({ invalid: 'addYears' });
    expect(buildLever({ kind: 'refurbished', values: { type: 'Laptop', share: '1.5' } })).toEqual({ invalid: 'share' });
    expect(buildLever({ kind: 'nope', values: {} })).toEqual({ invalid: 'kind' });
  });
});

describe('routes and API errors', () => {
  it('parses hash routes, unknown pages falling back to the overview', () => {
    expect(parseRoute('#/explorer?item=3&q=PC')).toEqual({ page: 'explorer', params: { item: '3', q: 'PC' } });
    expect(parseRoute('')).toEqual({ page: 'overview', params: {} });
    expect(parseRoute('#/nope')).toEqual({ page: 'overview', params: {} });
    expect(parseRoute('#/login').page).toBe('login');
    expect(routeHash('explorer', { item: '3', q: undefined })).toBe('#/explorer?item=3');
  });

  it('builds the paths of the contract', () => {
    expect(paths.items('c1', { q: 'PC', sort: 'name', order: 'desc', offset: 50, limit: 50 })).toBe(
      '/api/v1/campaigns/c1/items?q=PC&sort=name&order=desc&offset=50&limit=50',
    );
    expect(paths.export('c1', 'xlsx', 'wide', 'fr')).toBe(
      '/api/v1/campaigns/c1/export?format=xlsx&layout=wide&locale=fr',
    );
    expect(paths.compare('c1', 'c2')).toBe('/api/v1/campaigns/c1/compare?with=c2&criterion=CLIMATE_CHANGE');
    expect(paths.breakdowns('c1', 'CLIMATE_CHANGE')).toBe('/api/v1/campaigns/c1/breakdowns?criterion=CLIMATE_CHANGE');
  });

  it('tells a route the server lacks from a missing resource', () => {
    expect(errorKind(401, undefined)).toBe('unauthenticated');
    expect(errorKind(501, undefined)).toBe('unavailable');
    expect(errorKind(404, { title: 'x', status: 404, details: { kind: 'route', id: 'GET /x' } })).toBe('unavailable');
    expect(errorKind(404, { title: 'x', status: 404, details: { kind: 'totals of campaign', id: 'c' } })).toBe(
      'not-found',
    );
    expect(errorKind(422, { title: 'x', status: 422 })).toBe('problem');
  });

  it('sends the CSRF token on writes, reads problem+json and calls back on 401', async () => {
    const calls: { url: string; init: RequestInit }[] = [];
    let unauthenticated = 0;
    const answers = [
      new Response(JSON.stringify({ csrfToken: 'tok', expiresAt: 'x' }), {
        headers: { 'content-type': 'application/json' },
      }),
      new Response(null, { status: 204 }),
      new Response(JSON.stringify({ title: 'Conflict', status: 409, code: 'APP_CAMPAIGN_LOCKED', detail: 'locked' }), {
        status: 409,
        headers: { 'content-type': 'application/problem+json' },
      }),
      new Response(JSON.stringify({ title: 'Unauthenticated', status: 401 }), {
        status: 401,
        headers: { 'content-type': 'application/problem+json' },
      }),
    ];
    const api = new ApiClient({
      fetch: (async (url: string, init: RequestInit) => {
        calls.push({ url, init });
        return answers.shift()!;
      }) as typeof fetch,
      onUnauthenticated: () => unauthenticated++,
    });
    await api.login('a@b.c', 'pw');
    await api.post('/api/v1/campaigns/c/lock');
    expect((calls[1]!.init.headers as Record<string, string>)['x-csrf-token']).toBe('tok');
    const locked = await api.post('/api/v1/campaigns/c/uploads').catch((e: unknown) => e);
    expect(locked).toBeInstanceOf(ApiError);
    expect((locked as ApiError).kind).toBe('problem');
    expect((locked as ApiError).problem?.code).toBe('APP_CAMPAIGN_LOCKED');
    expect((locked as ApiError).message).toBe('locked');
    const gone = await api.get('/api/v1/me').catch((e: unknown) => e);
    expect((gone as ApiError).kind).toBe('unauthenticated');
    expect(unauthenticated).toBe(1);
    // a GET carries no CSRF header
    expect((calls[3]!.init.headers as Record<string, string>)['x-csrf-token']).toBeUndefined();
  });
});
