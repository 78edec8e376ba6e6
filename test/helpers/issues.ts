/**
 * The coded issue a call fails with: every reader and loader reports bad input as an `EmpreinteError`, and the tests
 * check its issue (code, file, line, column, details).
 */
import { expect } from 'vitest';
import { EmpreinteError, type Issue } from '../../src/issues/catalogue.js';

/** The issue of the `EmpreinteError` that `f` throws; the test fails if it throws anything else or nothing. */
export function thrownIssue(f: () => unknown): Issue {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(EmpreinteError);
    return (e as EmpreinteError).issue;
  }
  throw new Error('expected an EmpreinteError');
}

/** The issue of the `EmpreinteError` that `p` rejects with; the test fails if it rejects with anything else or not. */
export async function rejectedIssue(p: Promise<unknown>): Promise<Issue> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(EmpreinteError);
    return (e as EmpreinteError).issue;
  }
  throw new Error('expected an EmpreinteError');
}

/** What `p` rejects with, as `<class>: <message>` (to compare two runs' errors); the test fails if it resolves. */
export async function failureLine(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    return `${(e as Error).constructor.name}: ${(e as Error).message}`;
  }
  throw new Error('no error');
}
