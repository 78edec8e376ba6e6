/**
 * Details typed per code (issue 10): `issue(code, details)` takes the placeholders of the code's template, derived at
 * compile time. The `@ts-expect-error` lines are the proof: `tsc --noEmit` (part of every commit's checks) fails if
 * one of them compiles, i.e. if a missing, misspelt or unknown detail were accepted.
 */
import { describe, expect, it } from 'vitest';
import { CATALOGUE, issue, issueMessage, withDetails, type IssueDetailsOf, type Placeholders } from './catalogue.js';

// Type-level: the placeholders of a template, in any order (each line fails to compile if the type is wrong).
const a: Placeholders<"Line {line}: field '{field}' is mandatory."> = 'field';
const b: Placeholders<"Line {line}: field '{field}' is mandatory."> = 'line';
// @ts-expect-error 'value' is not a placeholder of this template
const notOne: Placeholders<"Line {line}: field '{field}' is mandatory."> = 'value';
const none: [Placeholders<'No placeholder here.'>] extends [never] ? true : false = true;

describe('issue(code, details) is typed by the code’s template', () => {
  it('accepts exactly the placeholders, the location keys being optional', () => {
    const i = issue('INP_OUT_OF_RANGE', { field: 'quantite', min: 0, max: 10, value: 12 }, { line: 3 });
    expect(issueMessage(i)).toBe("Line 3: field 'quantite' must be between 0 and 10 (got 12).");
    // `file` may be given in the details (services do) even when the template has no {file}.
    expect(issue('CALC_DEFAULT_PUE', { value: 1.5, name: 'srv', file: 'svc.yaml' }).details['file']).toBe('svc.yaml');
    expect([a, b, notOne, none]).toEqual(['field', 'line', 'value', true]);
  });

  it('refuses a missing, a misspelt or an unknown detail at compile time', () => {
    const made = [
      // @ts-expect-error `max` is missing
      issue('INP_OUT_OF_RANGE', { field: 'quantite', min: 0, value: 12 }),
      // @ts-expect-error `feild` is misspelt
      issue('INP_REQUIRED', { feild: 'quantite' }),
      // @ts-expect-error `reason` is not a detail of CALC_DEFAULT_PUE
      issue('CALC_DEFAULT_PUE', { value: 1.5, name: 'srv', reason: 'x' }),
      // @ts-expect-error a code with placeholders needs its details
      issue('CALC_DEFAULT_PUE'),
      // @ts-expect-error details are strings or numbers
      issue('INP_REQUIRED', { field: true }),
    ];
    // At run time the calls still build issues (the compiler is what refuses them).
    expect(made.map((i) => i.code)).toEqual([
      'INP_OUT_OF_RANGE',
      'INP_REQUIRED',
      'CALC_DEFAULT_PUE',
      'CALC_DEFAULT_PUE',
      'INP_REQUIRED',
    ]);
  });

  it('leaves a code’s context placeholders to the rendering context', () => {
    const shared = issue('CALC_ELECTRICITY_MISSING', { item: 'ademe-laptop' });
    expect(issueMessage(shared, { name: 'PC-042' })).toBe(
      "Missing electricity consumption for equipment 'PC-042': no consoElecAnnuelle and no average consumption on reference item 'ademe-laptop'.",
    );
    // A code whose placeholders are all context or location ones can be made without details.
    expect(issue('CALC_LIFESPAN_UNDETERMINED').details).toEqual({});
  });

  it('keeps a code’s extra details, which the template does not show', () => {
    const i = issue('INP_ENCODING', { reason: 'UTF-16 is not supported' }, { file: 'a.csv' });
    expect(i.details).toEqual({ reason: 'UTF-16 is not supported' });
    expect(issueMessage(i)).toBe('File a.csv is neither valid UTF-8 nor Windows-1252 text.');
  });

  it('withDetails replaces some details of an issue, keeping the others', () => {
    const host = issue('CALC_OUT_OF_PERIOD', {
      name: 'h1',
      start: '2025-01-01',
      end: '2025-12-31',
      from: '–',
      to: '2024-06-30',
    });
    const vm = withDetails(host, { name: 'vm1' });
    expect(vm).toEqual({ ...host, details: { ...host.details, name: 'vm1' } });
    expect(host.details['name']).toBe('h1');
    const typed: Partial<IssueDetailsOf<'CALC_OUT_OF_PERIOD'>> = { name: 'x' };
    expect(typed).toEqual({ name: 'x' });
  });

  it('every context name is a placeholder of its template, every extra name is not', () => {
    const names = (t: string) => new Set([...t.matchAll(/\{(\w+)\}/g)].map((m) => m[1]));
    for (const [code, e] of Object.entries(CATALOGUE)) {
      const p = names(e.message);
      if ('context' in e) for (const k of e.context) expect(p.has(k), `${code} context ${k}`).toBe(true);
      if ('extra' in e) for (const k of e.extra) expect(p.has(k), `${code} extra ${k}`).toBe(false);
    }
  });
});
