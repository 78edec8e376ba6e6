/**
 * Concurrent uploads of the same organisation referential name (issue 12): each gets its own version, 1…n with no gap
 * and no duplicate, never a 500 from the (organisation, name, version) unique constraint. On PostgreSQL the uploads
 * run in parallel transactions on several connections; on SQLite they share the one connection, as in the server.
 */
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../src/server/app.js';
import { DATABASES, freshStore, type FreshStore } from '../store/databases.js';
import { postReferential } from './served-world.js';
import { depsFor, makeWorld, unique, type World } from './world.js';

const HYPOTHESES = readFileSync('examples/referential/hypotheses.csv');
const CONCURRENT = 8;

describe.each(DATABASES)('concurrent referential uploads on %s', (d) => {
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

  it(`${CONCURRENT} uploads of one name at once get versions 1…${CONCURRENT}, each once`, async () => {
    const name = unique('race');
    const upload = () => postReferential(app, w.a.editor.token, w.orgA, 'hypotheses.csv', HYPOTHESES, name);
    const answers = await Promise.all(Array.from({ length: CONCURRENT }, upload));
    expect(
      answers.map((r) => r.statusCode),
      answers[0]!.body,
    ).toEqual(Array(CONCURRENT).fill(201));
    const versions = answers.map((r) => (r.json() as { version: number }).version).sort((a, b) => a - b);
    expect(versions).toEqual(Array.from({ length: CONCURRENT }, (_, i) => i + 1));
    // Stored once each, with one audit entry each (a retried attempt left nothing behind).
    const stored = await f.store.db
      .selectFrom('org_referentials')
      .select('version')
      .where('organisation_id', '=', w.orgA)
      .where('name', '=', name)
      .orderBy('version')
      .execute();
    expect(stored.map((r) => r.version)).toEqual(versions);
    const audited = await f.store.db
      .selectFrom('audit_log')
      .select('target_id')
      .where('organisation_id', '=', w.orgA)
      .where('action', '=', 'referential.upload')
      .execute();
    const ids = new Set(answers.map((r) => (r.json() as { id: string }).id));
    expect(audited.filter((a) => ids.has(a.target_id!))).toHaveLength(CONCURRENT);
  });
});
