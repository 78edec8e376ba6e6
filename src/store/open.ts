/**
 * Opens the store: SQLite (better-sqlite3, WAL) in a file, or PostgreSQL (pg) from a connection string. The choice is
 * made by the configuration passed in; nothing here reads the environment. Migrations run before the store is returned.
 */
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, type SqliteDatabase, type Transaction } from 'kysely';
import pg from 'pg';
import { migrateToLatest, type DialectName } from './migrations.js';
import type { Database } from './schema.js';

export type StoreConfig =
  | { readonly kind: 'sqlite'; readonly file: string }
  | { readonly kind: 'postgres'; readonly url: string; readonly poolSize?: number };

export type Tx = Transaction<Database>;

export interface Store {
  readonly dialect: DialectName;
  /** Runs `fn` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  /** The raw handle, for the job queue and tests; application code goes through `transaction`. */
  readonly db: Kysely<Database>;
  close(): Promise<void>;
}

const INT8 = 20;
const NUMERIC = 1700;

/** Prepared statements kept per SQLite database (most used last); batch inserts of many sizes fall out first. */
export const SQLITE_STATEMENT_CACHE = 256;

/**
 * The SQLite handle Kysely sees, with its statements prepared once per distinct SQL text: Kysely compiles a query to
 * the same text each time, and better-sqlite3 would otherwise parse and plan it again on every execution (about a tenth
 * of a small authenticated read's CPU). SQLite re-prepares a cached statement by itself after a schema change. A
 * statement still being iterated (a streamed select) is busy: the same text then gets a statement of its own.
 */
function cachingPrepare(sqlite: BetterSqlite3.Database, size = SQLITE_STATEMENT_CACHE): SqliteDatabase {
  const cache = new Map<string, BetterSqlite3.Statement>();
  return {
    close: () => {
      cache.clear();
      sqlite.close();
    },
    prepare: (text: string) => {
      const hit = cache.get(text);
      if (hit !== undefined && !hit.busy) {
        cache.delete(text);
        cache.set(text, hit);
        return hit;
      }
      const stmt = sqlite.prepare(text);
      if (hit === undefined) {
        cache.set(text, stmt);
        if (cache.size > size) cache.delete(cache.keys().next().value!);
      }
      return stmt;
    },
  };
}

export async function openStore(config: StoreConfig): Promise<Store> {
  let db: Kysely<Database>;
  if (config.kind === 'sqlite') {
    const sqlite = new BetterSqlite3(config.file);
    if (config.file !== ':memory:') sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 5000');
    db = new Kysely<Database>({ dialect: new SqliteDialect({ database: cachingPrepare(sqlite) }) });
  } else {
    // Per-pool type parsers (never the global pg.types): count(*) and bigint come back as numbers, as on SQLite.
    const types = {
      getTypeParser: (oid: number, format?: 'text' | 'binary') =>
        oid === INT8 || oid === NUMERIC ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format),
    };
    const pool = new pg.Pool({ connectionString: config.url, max: config.poolSize ?? 10, types });
    db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  }
  const dialect: DialectName = config.kind;
  try {
    await migrateToLatest(db, dialect);
  } catch (e) {
    await db.destroy();
    throw e;
  }
  return {
    dialect,
    db,
    transaction: (fn) => db.transaction().execute(fn),
    close: () => db.destroy(),
  };
}
