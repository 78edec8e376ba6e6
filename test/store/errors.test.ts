/** `isUniqueViolation` recognises a duplicate of one unique key, on both databases, and nothing else. */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isUniqueViolation } from '../../src/store/errors.js';
import { DATABASES, freshStore, type FreshStore } from './databases.js';

describe.each(DATABASES)('isUniqueViolation on %s', (d) => {
  let f: FreshStore;
  beforeAll(async () => {
    f = await freshStore(d);
  });
  afterAll(() => f?.dispose());

  it('names the table and the columns of the key a duplicate broke', async () => {
    const org = { id: randomUUID(), name: 'Unique', created_at: 'now' };
    await f.store.db.insertInto('organisations').values(org).execute();
    const row = (version: number) => ({
      id: randomUUID(),
      organisation_id: org.id,
      name: 'ref',
      version,
      content_hash: 'h',
      files: '{}',
      report: '{}',
      created_at: 'now',
      created_by: null,
    });
    await f.store.db.insertInto('org_referentials').values(row(1)).execute();
    const dup = await f.store.db
      .insertInto('org_referentials')
      .values(row(1))
      .execute()
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(dup).toBeDefined();
    expect(isUniqueViolation(dup, 'org_referentials', ['organisation_id', 'name', 'version'])).toBe(true);
    expect(isUniqueViolation(dup, 'org_referentials', ['organisation_id', 'name'])).toBe(false);
    expect(isUniqueViolation(dup, 'services', ['organisation_id', 'name', 'version'])).toBe(false);
    // Another unique key of another table is not this one.
    const sameName = await f.store.db
      .insertInto('organisations')
      .values({ ...org, id: randomUUID() })
      .execute()
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(isUniqueViolation(sameName, 'organisations', ['name'])).toBe(true);
    expect(isUniqueViolation(sameName, 'org_referentials', ['organisation_id', 'name', 'version'])).toBe(false);
    expect(
      isUniqueViolation(new Error('UNIQUE constraint failed: organisations.name'), 'organisations', ['name']),
    ).toBe(false);
  });
});
