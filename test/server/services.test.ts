/**
 * Digital services over HTTP (issue 14), on SQLite and PostgreSQL: create, list, read, replace, delete, the footprint
 * per functional unit with its tier split and the versions side by side, and the import of a G4IT zip.
 *
 * Expected values by hand: a service whose only non-zero part is hosting energy, 1,000 kWh a year in a datacenter of
 * PUE 1.5 in France (default pack: 0.0519 kg CO2 eq/kWh), 10 users, functional unit one user-year:
 * 1,000 × 1.5 × 0.0519 = 77.85 kg a year, 7.785 kg per user-year, all in the datacenter tier (no session hours, no
 * data: terminals and network 0). Version 2 halves the energy: 38.925 kg a year.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../src/server/app.js';
import { DATABASES, freshStore, type FreshStore } from '../store/databases.js';
import { depsFor, makeWorld, unique, type World } from './world.js';
import { G4IT_PHYSICAL, g4itZip, multipartBytes, zipOf } from './services-world.js';

const definition = (service: string, version: number, kWhPerYear: number) => ({
  service,
  version,
  kind: 'business_application',
  functionalUnit: 'user-year',
  usage: { users: 10, sessionsPerUserPerYear: 100, sessionHours: 0, dataPerSessionGB: 0 },
  servers: [{ label: 'hosting', energy: { kWhPerYear, pue: 1.5, location: 'FR' } }],
});

const close = (actual: number | undefined, expected: number) => {
  expect(actual).toBeDefined();
  expect(Math.abs((actual ?? Number.NaN) - expected)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(expected)));
};

interface Split {
  total: number;
  terminals: number;
  network: number;
  datacenter: number;
}
interface VersionFootprint {
  id: string;
  version: string;
  functionalUnit: { label: string; perYear: number };
  criteria: { criterion: string; perFunctionalUnit: Split; perYear: Split }[];
}

describe.each(DATABASES)('digital services API on %s', (d) => {
  let f: FreshStore;
  let w: World;
  let app: FastifyInstance;
  beforeAll(async () => {
    f = await freshStore(d);
    w = await makeWorld(depsFor(f.store));
    app = await buildServer(w.deps, { logger: false });
  });
  afterAll(async () => {
    await app?.close();
    await f?.dispose();
  });
  const as = (token: string) => ({ authorization: `Bearer ${token}` });

  it('create, list, read, footprint by tier per functional unit, versions side by side, replace, delete', async () => {
    const name = unique('Intranet');
    const editor = as(w.a.editor.token);
    const base = `/api/v1/organisations/${w.orgA}/services`;
    const v1 = await app.inject({
      method: 'POST',
      url: base,
      headers: editor,
      payload: { definition: definition(name, 1, 1000) },
    });
    expect(v1.statusCode, v1.body).toBe(201);
    const s1 = v1.json<{ id: string; name: string; version: string }>();
    expect(s1).toMatchObject({ name, version: '1' });
    const v2 = await app.inject({
      method: 'POST',
      url: base,
      headers: editor,
      payload: { definition: definition(name, 2, 500) },
    });
    expect(v2.statusCode, v2.body).toBe(201);
    // the same name and version twice: a conflict
    const again = await app.inject({
      method: 'POST',
      url: base,
      headers: editor,
      payload: { definition: definition(name, 2, 1) },
    });
    expect(again.statusCode).toBe(409);

    const viewer = as(w.a.viewer.token);
    const list = await app.inject({ method: 'GET', url: base, headers: viewer });
    expect(
      list
        .json<{ name: string; version: string }[]>()
        .filter((s) => s.name === name)
        .map((s) => s.version),
    ).toEqual(['1', '2']);
    const got = await app.inject({ method: 'GET', url: `/api/v1/services/${s1.id}`, headers: viewer });
    expect(got.json<{ definition: unknown }>().definition).toEqual(definition(name, 1, 1000));

    const fp = await app.inject({ method: 'GET', url: `/api/v1/services/${s1.id}/footprint`, headers: viewer });
    expect(fp.statusCode, fp.body).toBe(200);
    const doc = fp.json<{ footprint: VersionFootprint; versions: VersionFootprint[] }>();
    const cc = doc.footprint.criteria.find((c) => c.criterion === 'CLIMATE_CHANGE')!;
    expect(doc.footprint.functionalUnit).toEqual({ label: 'one user-year', perYear: 10 });
    close(cc.perYear.total, 1000 * 1.5 * 0.0519); // 77.85
    close(cc.perYear.datacenter, 77.85);
    expect([cc.perYear.terminals, cc.perYear.network]).toEqual([0, 0]);
    close(cc.perFunctionalUnit.total, 7.785);
    close(cc.perFunctionalUnit.datacenter, 7.785);
    expect(doc.versions.map((v) => v.version)).toEqual(['1', '2']);
    close(doc.versions[1]!.criteria.find((c) => c.criterion === 'CLIMATE_CHANGE')!.perYear.total, 500 * 1.5 * 0.0519);

    const put = await app.inject({
      method: 'PUT',
      url: `/api/v1/services/${s1.id}`,
      headers: editor,
      payload: { definition: definition(name, 1, 2000) },
    });
    expect(put.statusCode, put.body).toBe(200);
    const fp2 = await app.inject({ method: 'GET', url: `/api/v1/services/${s1.id}/footprint`, headers: viewer });
    close(
      fp2.json<{ footprint: VersionFootprint }>().footprint.criteria.find((c) => c.criterion === 'CLIMATE_CHANGE')!
        .perYear.total,
      2000 * 1.5 * 0.0519,
    );

    const del = await app.inject({ method: 'DELETE', url: `/api/v1/services/${s1.id}`, headers: editor });
    expect(del.statusCode).toBe(204);
    const gone = await app.inject({ method: 'GET', url: `/api/v1/services/${s1.id}`, headers: viewer });
    expect(gone.statusCode).toBe(404);
    // the audit log names each write
    const audit = await app.inject({
      method: 'GET',
      url: `/api/v1/organisations/${w.orgA}/audit`,
      headers: as(w.a.admin.token),
    });
    const actions = audit
      .json<{ action: string; targetId: string | null }[]>()
      .filter((e) => e.targetId === s1.id)
      .map((e) => e.action);
    expect(actions.sort()).toEqual(['service.create', 'service.delete', 'service.update']);
  });

  it('an invalid description is a 422 naming the field; a viewer cannot write', async () => {
    const bad = definition(unique('Bad'), 1, 1000);
    const res = await app.inject({
      method: 'POST',
      url: `/api/v1/organisations/${w.orgA}/services`,
      headers: as(w.a.editor.token),
      payload: { definition: { ...bad, usage: { ...bad.usage, users: -3 } } },
    });
    expect(res.statusCode).toBe(422);
    expect(res.json<{ code: string; detail: string }>().detail).toContain('usage.users');
    const viewer = await app.inject({
      method: 'POST',
      url: `/api/v1/organisations/${w.orgA}/services`,
      headers: as(w.a.viewer.token),
      payload: { definition: definition(unique('V'), 1, 1) },
    });
    expect(viewer.statusCode).toBe(403);
  });

  it("imports G4IT's digital-service zip; a broken or oversized one is refused with its code", async () => {
    const url = `/api/v1/organisations/${w.orgA}/services/import`;
    const name = unique('Imported');
    const m = multipartBytes('portal-export.zip', await g4itZip(), { name });
    const res = await app.inject({
      method: 'POST',
      url,
      headers: { ...as(w.a.editor.token), ...m.headers },
      payload: m.payload,
    });
    expect(res.statusCode, res.body).toBe(201);
    const s = res.json<{ id: string; name: string; definition: { usage: { terminals: unknown[] } } }>();
    expect(s.name).toBe(name);
    // 2020-01-01 → 2023-12-31: a lifespan of 4 years; 100 users × 1,600 h
    expect(s.definition.usage.terminals).toEqual([
      {
        label: 'Agents',
        item: 'ademe-laptop',
        country: 'France',
        users: 100,
        hoursPerUserPerYear: 1600,
        lifespanYears: 4,
      },
    ]);
    const fp = await app.inject({
      method: 'GET',
      url: `/api/v1/services/${s.id}/footprint`,
      headers: as(w.a.viewer.token),
    });
    expect(fp.statusCode, fp.body).toBe(200);

    const notZip = multipartBytes('x.zip', Buffer.from('not a zip'));
    const r2 = await app.inject({
      method: 'POST',
      url,
      headers: { ...as(w.a.editor.token), ...notZip.headers },
      payload: notZip.payload,
    });
    expect(r2.statusCode).toBe(422);
    expect(r2.json<{ code: string }>().code).toBe('SVC_G4IT_INVALID');

    const badRow = multipartBytes(
      'bad.zip',
      await zipOf({ 'physical_equipment.csv': G4IT_PHYSICAL.replace(';1600;', ';9000;') }),
    );
    const r3 = await app.inject({
      method: 'POST',
      url,
      headers: { ...as(w.a.editor.token), ...badRow.headers },
      payload: badRow.payload,
    });
    expect(r3.statusCode).toBe(422);
    expect(r3.json<{ code: string; detail: string }>()).toMatchObject({ code: 'SVC_G4IT_INVALID' });
    expect(r3.json<{ detail: string }>().detail).toContain('9000 hours per user per year');

    const big = multipartBytes('big.zip', await zipOf({ 'physical_equipment.csv': '\n'.repeat(17 << 20) }));
    const r4 = await app.inject({
      method: 'POST',
      url,
      headers: { ...as(w.a.editor.token), ...big.headers },
      payload: big.payload,
    });
    expect(r4.statusCode).toBe(422);
    expect(r4.json<{ code: string }>().code).toBe('INP_TOO_LARGE');
  });
});
