/**
 * The OpenAPI document, checked in (test/server/openapi.snapshot.json): an API change shows in review. After an
 * intended change, regenerate with `npx vitest run test/server/openapi.test.ts -u`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildServer } from '../../src/server/app.js';
import { openStore, type Store } from '../../src/store/open.js';
import { depsFor } from './world.js';

describe('OpenAPI document', () => {
  let store: Store;
  let app: FastifyInstance;
  beforeAll(async () => {
    store = await openStore({ kind: 'sqlite', file: ':memory:' });
    app = await buildServer(depsFor(store), { logger: false });
  });
  afterAll(async () => {
    await app.close();
    await store.close();
  });

  it('matches the checked-in snapshot', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    await expect(JSON.stringify(doc, null, 2) + '\n').toMatchFileSnapshot('./openapi.snapshot.json');
  });
});
