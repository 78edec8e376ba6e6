/**
 * The databases every store and server test runs on: SQLite (in memory) and PostgreSQL. PostgreSQL comes from
 * DATABASE_URL (a role allowed to create databases; .ci/run starts a local server and exports it); each test file gets
 * its own database, dropped at the end. Without DATABASE_URL, test/setup/postgres.ts starts a throwaway cluster from
 * the machine's PostgreSQL binaries; without either the PostgreSQL tests FAIL, they never skip; a developer
 * without PostgreSQL runs `EMPREINTE_TEST_DBS=sqlite npx vitest run test/server test/store` and the run names what it left out.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { openStore, type Store } from '../../src/store/open.js';

export type TestDb = 'sqlite' | 'postgres';

export const DATABASES: readonly TestDb[] = (['sqlite', 'postgres'] as const).filter(
  (d) => process.env.EMPREINTE_TEST_DBS?.split(',').includes(d) ?? true,
);
if (DATABASES.length < 2) console.warn(`EMPREINTE_TEST_DBS=${process.env.EMPREINTE_TEST_DBS}: PostgreSQL not tested`);

export function adminUrl(): string {
  const url = process.env.DATABASE_URL;
  if (url === undefined || url === '')
    throw new Error(
      'DATABASE_URL is not set and no PostgreSQL server binaries were found: the PostgreSQL tests need one (apt-get install postgresql, or see .ci/run)',
    );
  return url;
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

export interface FreshStore {
  readonly store: Store;
  readonly url?: string;
  dispose(): Promise<void>;
}

export async function freshStore(d: TestDb): Promise<FreshStore> {
  if (d === 'sqlite') {
    const store = await openStore({ kind: 'sqlite', file: ':memory:' });
    return { store, dispose: () => store.close() };
  }
  const admin = adminUrl();
  const name = `empreinte_t_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
  const c = new pg.Client({ connectionString: admin });
  await c.connect();
  await c.query(`create database ${name}`);
  await c.end();
  const url = withDatabase(admin, name);
  const store = await openStore({ kind: 'postgres', url, poolSize: 4 });
  return {
    store,
    url,
    dispose: async () => {
      await store.close();
      const c2 = new pg.Client({ connectionString: admin });
      await c2.connect();
      try {
        // `with (force)` terminates the database's other sessions. An autovacuum worker that happens to be in it can
        // only be terminated by a member of pg_signal_backend (granted by .ci/run); without it, wait for it to end.
        for (let attempt = 1; ; attempt++) {
          try {
            await c2.query(`drop database if exists ${name} with (force)`);
            break;
          } catch (e) {
            if ((e as { code?: string }).code !== '42501' || attempt === 50) throw e;
            await new Promise((r) => setTimeout(r, 200));
          }
        }
      } finally {
        await c2.end();
      }
    },
  };
}
