/**
 * Database errors the application may answer rather than fail on, recognised the same way on SQLite and PostgreSQL.
 */

/**
 * Whether `e` is the refusal of a row that duplicates a unique key of `table` made of exactly `columns` (in the key's
 * order): PostgreSQL's 23505 whose detail names those columns, or SQLite's "UNIQUE constraint failed" naming them.
 */
export function isUniqueViolation(e: unknown, table: string, columns: readonly string[]): boolean {
  if (typeof e !== 'object' || e === null) return false;
  const { code, table: pgTable, detail, message } = e as Record<string, unknown>;
  if (code === '23505')
    return pgTable === table && typeof detail === 'string' && detail.startsWith(`Key (${columns.join(', ')})=`);
  return (
    code === 'SQLITE_CONSTRAINT_UNIQUE' &&
    message === `UNIQUE constraint failed: ${columns.map((c) => `${table}.${c}`).join(', ')}`
  );
}
