/**
 * The server's `APP_*` codes live in the one issues catalogue (src/issues/catalogue.ts) with French templates, map to one
 * HTTP status each (src/server/problem.ts) and are documented in docs/deployment.md ("Error codes").
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CATALOGUE, issue, issueMessage } from '../../src/issues/catalogue.js';
import { FR } from '../../src/issues/messages-fr.js';
import { HTTP_STATUS, problem } from '../../src/server/problem.js';
import { AppError, APP_CODES } from '../../src/server/usecases/errors.js';

const appCodes = Object.keys(CATALOGUE).filter((c) => c.startsWith('APP_'));

describe('APP_* codes', () => {
  it('are the catalogue’s, every one with an HTTP status, and nothing else is', () => {
    expect(appCodes.length).toBeGreaterThanOrEqual(16);
    expect(Object.keys(APP_CODES).sort()).toEqual([...appCodes].sort());
    expect(Object.keys(HTTP_STATUS).sort()).toEqual([...appCodes].sort());
    for (const c of appCodes)
      expect(FR[c as keyof typeof FR], c).not.toBe(CATALOGUE[c as keyof typeof CATALOGUE].message);
  });

  it('render their message from the catalogue template, in the error and in the problem details', () => {
    const e = new AppError('APP_NOT_FOUND', { kind: 'campaign', id: 'c-1' });
    expect(e.message).toBe('campaign c-1 does not exist.');
    const p = problem(e.code, e.details, '/api/v1/campaigns/c-1');
    expect(p).toMatchObject({ status: 404, code: 'APP_NOT_FOUND', detail: 'campaign c-1 does not exist.' });
    expect(p.title).toBe('… … does not exist.');
    // The same template through the catalogue's own functions, in French too.
    const i = issue('APP_CAMPAIGN_LOCKED', { id: 'c-2' });
    expect(issueMessage(i)).toBe('Campaign c-2 is locked; an administrator must unlock it first.');
    expect(issueMessage(i, {}, 'fr')).toBe(
      'La campagne c-2 est verrouillée ; un administrateur doit d’abord la déverrouiller.',
    );
  });

  it('are each documented in docs/deployment.md with their status', () => {
    const doc = readFileSync('docs/deployment.md', 'utf8');
    const rows = new Map([...doc.matchAll(/^\| `(APP_\w+)` \| (\d+) \|/gm)].map((m) => [m[1]!, Number(m[2])] as const));
    expect([...rows.keys()].sort()).toEqual([...appCodes].sort());
    for (const c of appCodes) expect(rows.get(c), c).toBe(HTTP_STATUS[c as keyof typeof HTTP_STATUS]);
  });
});
