/**
 * Opens the store: SQLite (better-sqlite3, WAL) in a file, or PostgreSQL (pg) from a connection string. The choice is
 * made by the configuration passed in; nothing here reads the environment. Migrations run before the store is returned.
 */
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, type Transaction } from 'kysely';
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

export async function openStore(config: StoreConfig): Promise<Store> {
  let db: Kysely<Database>;
  if (config.kind === 'sqlite') {
    const sqlite = new BetterSqlite3(config.file);
    if (config.file !== ':memory:') sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 5000');
    db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
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
