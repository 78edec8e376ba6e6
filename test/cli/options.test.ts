/**
 * Option values (issue 11, small fixes): `--date` and `--period` accept every date format documented in methodology
 * §2.1 (`yyyy-MM-dd`, `yyyyMMdd`, `dd/MM/yyyy`, `yyyy/MM/dd`), normalised to `yyyy-MM-dd`; an impossible date is
 * refused with `INP_BAD_DATE` naming the option. `--electricity` names every dataset of the embedded pack.
 */
import { describe, expect, it } from 'vitest';
import { parsePeriod } from '../../src/cli/assess.js';
import { parseDateOption } from '../../src/cli/options.js';
import { EmpreinteError } from '../../src/issues/catalogue.js';
import { runCli } from '../helpers/cli.js';

describe('--date', () => {
  it('accepts the four documented formats, as yyyy-MM-dd', () => {
    for (const v of ['2025-12-31', '20251231', '31/12/2025', '2025/12/31'])
      expect(parseDateOption('--date', v)).toBe('2025-12-31');
    expect(parseDateOption('--date', '29/02/2024')).toBe('2024-02-29'); // 2024 is a leap year
    expect(parseDateOption('--date', undefined)).toBeUndefined();
  });

  it('refuses an impossible date or another format with INP_BAD_DATE naming the option', () => {
    for (const v of ['31/13/2025', '29/02/2025', '12/31/2025', '2025-1-5', 'tomorrow']) {
      let caught: unknown;
      try {
        parseDateOption('--date', v);
      } catch (e) {
        caught = e;
      }
      expect(caught, v).toBeInstanceOf(EmpreinteError);
      expect((caught as EmpreinteError).issue).toMatchObject({
        code: 'INP_BAD_DATE',
        details: { field: '--date', value: v },
      });
    }
  });
});

describe('--period', () => {
  it('takes a year, or two dates in any documented format', () => {
    expect(parsePeriod('2025')).toEqual({ start: '2025-01-01', end: '2025-12-31' });
    expect(parsePeriod('01/01/2025..2025/06/30')).toEqual({ start: '2025-01-01', end: '2025-06-30' });
    expect(parsePeriod('20250101..30/06/2025')).toEqual({ start: '2025-01-01', end: '2025-06-30' });
    expect(() => parsePeriod('30/06/2025..01/01/2025')).toThrow(EmpreinteError); // end before start
  });
});

describe('--electricity', () => {
  it('an unknown dataset is refused with the list of every dataset, boavizta included', async () => {
    const { code, err } = await runCli([
      'assess',
      'test/fixtures/cli/c06',
      '--electricity',
      'nope',
      '--date',
      '2025-01-01',
    ]);
    expect(code).toBe(2);
    expect(err).toBe(
      "empreinte: INP_BAD_ENUM Field '--electricity' accepts ademe, boavizta, ember; 'nope' is not recognised.\n",
    );
  });
});
