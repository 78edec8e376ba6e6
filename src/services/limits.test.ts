/**
 * Numbers in service descriptions (issue 9 point 2): finite, and within the hard limits of methodology §2.1 for the
 * quantities an inventory also has (quantity ≤ 10⁶, kWh per year ≤ 10⁷, lifespan ≤ 50 years, PUE ≤ 10).
 */
import { describe, expect, it } from 'vitest';
import { formatIssue } from '../issues/catalogue.js';
import { parseServiceText } from './parse.js';
import { thrownIssue } from '../../test/helpers/issues.js';

const doc = (server: string, volume = '1000') => `service: Portal
version: 1
kind: business_application
functionalUnit: unit
volume: ${volume}
usage:
  users: 10
  sessionsPerUserPerYear: 5
  sessionHours: 1
  dataPerSessionGB: 0
servers:
  - ${server}
`;

describe('hard limits in service descriptions', () => {
  it('limits accepted at their value', () => {
    const p = parseServiceText(
      doc(
        '{ cloud: { provider: aws, quantity: 1000000, kWhPerYear: 10000000, lifespanYears: 50, location: France, pue: 10 } }',
      ),
      'ok.yaml',
    );
    expect(p.definition.servers?.[0]?.cloud).toMatchObject({
      quantity: 1e6,
      kWhPerYear: 1e7,
      lifespanYears: 50,
      pue: 10,
    });
  });
  const cases: [string, string, string][] = [
    [
      'cloud quantity 1000001',
      '{ cloud: { provider: aws, quantity: 1000001, kWhPerYear: 1, location: France } }',
      'servers[0].cloud.quantity',
    ],
    [
      'cloud kWhPerYear 1e8',
      '{ cloud: { provider: aws, kWhPerYear: 1e8, location: France } }',
      'servers[0].cloud.kWhPerYear',
    ],
    [
      'cloud lifespan 51 years',
      '{ cloud: { provider: aws, kWhPerYear: 1, lifespanYears: 51, location: France } }',
      'servers[0].cloud.lifespanYears',
    ],
    ['energy PUE 11', '{ energy: { kWhPerYear: 10, pue: 11, location: France } }', 'servers[0].energy.pue'],
    ['energy kWhPerYear 1e308', '{ energy: { kWhPerYear: 1e308, location: France } }', 'servers[0].energy.kWhPerYear'],
  ];
  for (const [name, server, column] of cases) {
    it(`${name} → INP_OUT_OF_RANGE on line 12, column ${column}`, () => {
      const i = thrownIssue(() => parseServiceText(doc(server), 's.yaml'));
      expect(i).toMatchObject({ code: 'INP_OUT_OF_RANGE', file: 's.yaml', line: 12, column });
      expect(formatIssue(i)).toMatch(/^s\.yaml:12:servers\[0\]\.\w+\.\w+: INP_OUT_OF_RANGE /);
    });
  }
  it('YAML .inf, JSON 1e309 and .nan are refused, never a non-finite number', () => {
    for (const [text, file] of [
      [doc('{ energy: { kWhPerYear: 1, location: France } }', '.inf'), 'inf.yaml'],
      [doc('{ energy: { kWhPerYear: 1, location: France } }', '.nan'), 'nan.yaml'],
      [
        '{"service":"P","version":"1","kind":"business_application","functionalUnit":"unit","volume":1e309}',
        'big.json',
      ],
    ] as const) {
      const i = thrownIssue(() => parseServiceText(text, file));
      expect(i.file).toBe(file);
      expect(formatIssue(i)).toMatch(/volume/);
    }
  });
});
