/** The uploads routes over HTTP: multipart in, the stored report out, rejects downloadable as CSV, bounded size. */
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../src/server/app.js';
import { DATABASES, freshStore, type FreshStore } from '../store/databases.js';
import { depsFor, makeWorld, multipartFile, type World } from './world.js';
import { newCampaign } from './served-world.js';

const CSV =
  'nomEquipementPhysique;modele;type;quantite;paysDUtilisation;dateAchat\nPC-1;Latitude;Laptop;2;France;2022-01-10\nPC-2;Latitude;Laptop;x;France;2022-01-10\n';

describe.each(DATABASES)('uploads over HTTP on %s', (d) => {
  let f: FreshStore;
  let w: World;
  let app: FastifyInstance;
  let campaignId: string;
  beforeAll(async () => {
    f = await freshStore(d);
    w = await makeWorld(depsFor(f.store));
    app = await buildServer(w.deps, { logger: false, uploadLimit: 8192 });
    campaignId = await newCampaign(w, '2024', '2025-06-30');
  });
  afterAll(async () => {
    await app?.close();
    await f?.dispose();
  });
  const auth = () => ({ authorization: `Bearer ${w.a.editor.token}` });
  const post = (fileName: string, content: string, fields: Record<string, string> = {}) => {
    const m = multipartFile(fileName, content, fields);
    return app.inject({
      method: 'POST',
      url: `/api/v1/campaigns/${campaignId}/uploads`,
      headers: { ...auth(), ...m.headers },
      payload: m.payload,
    });
  };

  it('stores a multipart upload with its report; its rejects download as CSV', async () => {
    const r = await post('parc.csv', CSV);
    expect(r.statusCode, r.body).toBe(201);
    const u = r.json();
    expect(u).toMatchObject({ campaignId, fileName: 'parc.csv', size: Buffer.byteLength(CSV), mapping: null });
    expect(u.report).toMatchObject({ read: 2, imported: 1, rejected: 1 });
    const got = await app.inject({ method: 'GET', url: `/api/v1/uploads/${u.id}`, headers: auth() });
    expect(got.json()).toEqual(u);
    const list = await app.inject({ method: 'GET', url: `/api/v1/campaigns/${campaignId}/uploads`, headers: auth() });
    expect(list.json().map((x: { id: string }) => x.id)).toContain(u.id);
    const rej = await app.inject({ method: 'GET', url: `/api/v1/uploads/${u.id}/rejects`, headers: auth() });
    expect(rej.statusCode).toBe(200);
    expect(rej.headers['content-type']).toMatch(/^text\/csv/);
    const lines = rej.body
      .replace(/^\uFEFF/, '')
      .trim()
      .split(/\r?\n/);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain('PC-2');
  });

  it('passes a mapping preset and refuses an unknown one with a problem', async () => {
    const glpi = readFileSync('test/fixtures/mapping/glpi-monitors-default-fr.csv', 'utf8');
    const ok = await post('glpi.csv', glpi, { mapping: 'glpi-monitors' });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json().mapping).toBe('glpi-monitors');
    const bad = await post('parc.csv', CSV, { mapping: 'no-such-preset' });
    expect(bad.statusCode).toBeGreaterThanOrEqual(400);
    expect(bad.statusCode).toBeLessThan(500);
    expect(bad.headers['content-type']).toMatch(/application\/problem\+json/);
  });

  it('answers 413 above the upload limit and 422 without a file part; nothing is stored', async () => {
    const before = (
      await app.inject({ method: 'GET', url: `/api/v1/campaigns/${campaignId}/uploads`, headers: auth() })
    ).json().length;
    const big = await post('big.csv', CSV + 'x'.repeat(10_000));
    expect(big.statusCode).toBe(413);
    expect(big.json().code).toBe('APP_PAYLOAD_TOO_LARGE');
    const none = await app.inject({
      method: 'POST',
      url: `/api/v1/campaigns/${campaignId}/uploads`,
      headers: auth(),
      payload: { hello: 'world' },
    });
    expect(none.statusCode).toBe(422);
    expect(none.json().code).toBe('APP_INVALID');
    const after = (
      await app.inject({ method: 'GET', url: `/api/v1/campaigns/${campaignId}/uploads`, headers: auth() })
    ).json().length;
    expect(after).toBe(before);
  });
});
