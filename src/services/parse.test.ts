/**
 * Reading service descriptions: YAML and JSON, and bad input → one clear error naming file, line, path and reason.
 */
import { describe, expect, it } from 'vitest';
import { formatIssue } from '../issues/catalogue.js';
import { profileLayer } from '../referential/hypotheses.js';
import { mergeLayers } from '../referential/merge.js';
import { loadDefaultPack } from '../referential/pack.js';
import { assessService } from './assess.js';
import { parseServiceText, validateServiceDefinition } from './parse.js';
import { thrownIssue } from '../../test/helpers/issues.js';

const { referential } = mergeLayers([(await loadDefaultPack()).layer, profileLayer('rcp')]);

const generic = (usage: string, extra = '') => `service: HR portal
version: 1
kind: business_application
functionalUnit: { kind: unit, label: one session }
usage:
${usage}
${extra}`;

describe('valid documents', () => {
  it('YAML and JSON give the same definition', () => {
    const y = parseServiceText(
      'service: Mail\nversion: 2\nkind: email\nfunctionalUnit: unit\nvolume: 1000\nparameters:\n  sizeMB: 0.1\n',
      'm.yaml',
    );
    const j = parseServiceText(
      JSON.stringify({
        service: 'Mail',
        version: '2',
        kind: 'email',
        functionalUnit: 'unit',
        volume: 1000,
        parameters: { sizeMB: 0.1 },
      }),
      'm.json',
    );
    expect(y.definition).toEqual(j.definition);
    expect(y.definition.functionalUnit).toEqual({ kind: 'unit' });
    expect(y.definition.version).toBe('2');
  });
  it('accepts percentages and device setups', () => {
    const p = parseServiceText(
      generic(
        '  users: 10\n  sessionsPerUserPerYear: 5\n  sessionHours: 1\n  dataPerSessionGB: 0\n  devices:\n    - { item: ademe-laptop, share: 60 % }\n    - { items: [ademe-desktop-pro, ademe-monitor], share: "40 %" }',
      ),
      'a.yaml',
    );
    expect(p.definition.usage?.devices).toEqual([
      { share: 0.6, items: [{ item: 'ademe-laptop', quantity: 1 }] },
      {
        share: 0.4,
        items: [
          { item: 'ademe-desktop-pro', quantity: 1 },
          { item: 'ademe-monitor', quantity: 1 },
        ],
      },
    ]);
  });
});

describe('bad input', () => {
  it('unknown preset → SVC_UNKNOWN_KIND at the kind line', () => {
    const i = thrownIssue(() =>
      parseServiceText('service: X\nversion: 1\nkind: podcast\nfunctionalUnit: unit\nvolume: 1\n', 'x.yaml'),
    );
    expect(i).toMatchObject({ code: 'SVC_UNKNOWN_KIND', file: 'x.yaml', line: 3, column: 'kind' });
    expect(formatIssue(i)).toMatch(/^x\.yaml:3:kind: SVC_UNKNOWN_KIND .*'podcast'; known: videoconference, email/);
  });
  it('unknown preset parameter and bad value', () => {
    const doc = (p: string) =>
      `service: V\nversion: 1\nkind: videoconference\nfunctionalUnit: unit\nvolume: 1\nparameters:\n  ${p}\n`;
    expect(thrownIssue(() => parseServiceText(doc('resolution: 4K'), 'v.yaml'))).toMatchObject({
      code: 'SVC_UNKNOWN_PARAMETER',
      line: 7,
      column: 'parameters.resolution',
    });
    const bad = thrownIssue(() => parseServiceText(doc('quality: 4K'), 'v.yaml'));
    expect(bad).toMatchObject({ code: 'SVC_BAD_PARAMETER_VALUE', line: 7 });
    expect(formatIssue(bad)).toContain('accepts audio, SD, HD, ultra-HD');
    expect(thrownIssue(() => parseServiceText(doc('durationMinutes: -5'), 'v.yaml'))).toMatchObject({
      code: 'SVC_BAD_PARAMETER_VALUE',
    });
  });
  it('negative duration → INP_NEGATIVE with its line', () => {
    const i = thrownIssue(() =>
      parseServiceText(
        generic('  users: 10\n  sessionsPerUserPerYear: 5\n  sessionHours: -1\n  dataPerSessionGB: 0'),
        'n.yaml',
      ),
    );
    expect(i).toMatchObject({ code: 'INP_NEGATIVE', file: 'n.yaml', line: 8, column: 'usage.sessionHours' });
    expect(formatIssue(i)).toBe(
      "n.yaml:8:usage.sessionHours: INP_NEGATIVE Line 8: field 'usage.sessionHours' must not be negative (got -1).",
    );
  });
  it('negative value in an object without text → SVC_FIELD_INVALID naming the path', () => {
    const i = thrownIssue(() =>
      validateServiceDefinition(
        { service: 'A', version: '1', kind: 'email', functionalUnit: 'unit', volume: -3 },
        { file: 'api' },
      ),
    );
    expect(i).toMatchObject({ code: 'SVC_FIELD_INVALID', column: 'volume' });
    expect(formatIssue(i)).toContain('must be ≥ 0 (got -3)');
  });
  it('shares over 100 % → SVC_SHARES_OVER_100; one share over 1 → INP_OUT_OF_RANGE', () => {
    const base = '  users: 10\n  sessionsPerUserPerYear: 5\n  sessionHours: 1\n  dataPerSessionGB: 0\n';
    const over = thrownIssue(() =>
      parseServiceText(
        generic(base + '  network:\n    - { type: fixed, share: 0.7 }\n    - { type: mobile, share: 0.5 }'),
        's.yaml',
      ),
    );
    expect(over).toMatchObject({ code: 'SVC_SHARES_OVER_100', line: 11, column: 'usage.network' });
    expect(formatIssue(over)).toContain("the shares of 'usage.network' sum to 1.2, more than 1 (100 %)");
    const one = thrownIssue(() =>
      parseServiceText(generic(base + '  devices:\n    - { item: ademe-laptop, share: 120 % }'), 's.yaml'),
    );
    expect(one).toMatchObject({ code: 'INP_OUT_OF_RANGE', column: 'usage.devices[0].share', line: 11 });
  });
  it('missing parameter → CALC_SERVICE_PARAMETER_MISSING naming the parameter', () => {
    const p = parseServiceText(generic('  users: 10\n  sessionsPerUserPerYear: 5\n  dataPerSessionGB: 0'), 'm.yaml');
    const i = thrownIssue(() => assessService(p.definition, { referential, source: p.source }));
    expect(i).toMatchObject({ code: 'CALC_SERVICE_PARAMETER_MISSING', column: 'usage.sessionHours', line: 6 });
    expect(formatIssue(i)).toContain("Digital service 'HR portal': parameter 'usage.sessionHours' is required.");
    const noVolume = parseServiceText('service: M\nversion: 1\nkind: email\nfunctionalUnit: unit\n', 'v.yaml');
    expect(
      thrownIssue(() => assessService(noVolume.definition, { referential, source: noVolume.source })),
    ).toMatchObject({
      code: 'CALC_SERVICE_PARAMETER_MISSING',
      column: 'volume',
    });
    expect(thrownIssue(() => parseServiceText('service: M\nversion: 1\nkind: email\n', 'f.yaml'))).toMatchObject({
      code: 'CALC_SERVICE_PARAMETER_MISSING',
      column: 'functionalUnit',
    });
  });
  it('unknown device, unknown network, unknown field, model mismatch, broken YAML', () => {
    const base = '  users: 10\n  sessionsPerUserPerYear: 5\n  sessionHours: 1\n  dataPerSessionGB: 0\n';
    const dev = parseServiceText(generic(base + '  devices: [{ item: pager, share: 1 }]'), 'd.yaml');
    expect(thrownIssue(() => assessService(dev.definition, { referential, source: dev.source }))).toMatchObject({
      code: 'SVC_UNKNOWN_DEVICE',
      column: 'usage.devices[0].item',
      line: 10,
    });
    const net = parseServiceText(generic(base + '  network: [{ type: carrier-pigeon, share: 1 }]'), 'n.yaml');
    expect(thrownIssue(() => assessService(net.definition, { referential, source: net.source }))).toMatchObject({
      code: 'SVC_UNKNOWN_NETWORK',
    });
    expect(thrownIssue(() => parseServiceText(generic(base + '  sesionHours: 1'), 'u.yaml'))).toMatchObject({
      code: 'SVC_FIELD_INVALID',
      column: 'usage',
    });
    expect(
      thrownIssue(() => parseServiceText(generic(base, 'model: ademe-acv-numerique-2.1.0'), 'm.yaml')),
    ).toMatchObject({
      code: 'SVC_MODEL_MISMATCH',
      line: 11,
    });
    expect(thrownIssue(() => parseServiceText('service: X\nversion: : 1\nkind: email\n', 'b.yaml'))).toMatchObject({
      code: 'SVC_FILE_INVALID',
      file: 'b.yaml',
      line: 2,
    });
  });
});
