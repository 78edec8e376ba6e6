/** `empreinte service`: the examples run with the default referential pack; bad input → exit 2 with one line. */
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { registerService, runServiceCommand } from './service.js';

const EXAMPLES = join(import.meta.dirname, '..', '..', 'examples', 'services');

async function run(files: string[], opts: Parameters<typeof runServiceCommand>[1]) {
  let out = '';
  let err = '';
  const code = await runServiceCommand(files, opts, { out: (s) => (out += s), err: (s) => (err += s) });
  return { code, out, err };
}

interface JsonCriterion {
  criterion: string;
  perFunctionalUnit: { total: number; byTierTotal: Record<string, number> };
  perYear: { total: number };
}
interface JsonService {
  service: { service: string; kind: string };
  functionalUnit: { perYear: number; label: string };
  criteria: JsonCriterion[];
}

describe('empreinte service', () => {
  it('registers the command', () => {
    const program = new Command();
    registerService(program);
    const cmd = program.commands.find((c) => c.name() === 'service')!;
    expect(cmd.options.map((o) => o.long)).toEqual(['--format', '--compare', '--inventory', '--referential']);
  });

  it('runs every example (one per preset, one per generic case, a before/after pair) as JSON', async () => {
    const files = readdirSync(EXAMPLES)
      .filter((f) => f.endsWith('.yaml'))
      .map((f) => join(EXAMPLES, f));
    expect(files.length).toBeGreaterThanOrEqual(8);
    const r = await run(files, { format: 'json' });
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.out) as { services: JsonService[] };
    const kinds = new Set(doc.services.map((s) => s.service.kind));
    for (const k of [
      'videoconference',
      'email',
      'streaming',
      'file_transfer',
      'web_search',
      'business_application',
      'online_procedure',
    ])
      expect(kinds.has(k)).toBe(true);
    const visio = doc.services.find((s) => s.service.kind === 'videoconference')!;
    const cc = visio.criteria.find((c) => c.criterion === 'CLIMATE_CHANGE')!;
    // C-12: 83.64794 g per hour for 2 laptops, SD, fixe FR → kg
    expect(Math.abs(cc.perFunctionalUnit.total - 0.08364794) / 0.08364794).toBeLessThan(1e-5);
    // per year = 81 000 hours × 0.08364794 kg
    expect(Math.abs(cc.perYear.total - 81000 * 0.08364794) / (81000 * 0.08364794)).toBeLessThan(1e-5);
    expect(Object.keys(cc.perFunctionalUnit.byTierTotal)).toEqual(['TERMINAL', 'NETWORK', 'DATACENTER']);
  });

  it('--compare prints absolute and relative differences', async () => {
    const r = await run([join(EXAMPLES, 'business-application.yaml'), join(EXAMPLES, 'business-application-v2.yaml')], {
      format: 'json',
      compare: true,
    });
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.out) as {
      comparisons: {
        before: { version: string };
        after: { version: string };
        criteria: { criterion: string; perYear: { total: { relative: number } } }[];
      }[];
    };
    expect(doc.comparisons).toHaveLength(1);
    expect(doc.comparisons[0]!.before.version).toBe('v1');
    expect(doc.comparisons[0]!.after.version).toBe('v2');
    expect(doc.comparisons[0]!.criteria[0]!.perYear.total.relative).toBeLessThan(0);
    const t = await run([join(EXAMPLES, 'business-application.yaml'), join(EXAMPLES, 'business-application-v2.yaml')], {
      compare: true,
    });
    expect(t.out).toContain('Comparison HR portal v1 → HR portal v2');
  });

  it('--inventory reads indicator rows and shares them by β', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'empreinte-service-'));
    const rows = join(dir, 'indicators.json');
    // 'crm' allocated over two VMs: MANUFACTURING 30 + 10 kg, USE 8 kg; the service uses half of it
    writeFileSync(
      rows,
      JSON.stringify([
        {
          kind: 'application',
          item: 'crm',
          lifecycleStep: 'MANUFACTURING',
          criterion: 'CLIMATE_CHANGE',
          value: 30,
          unit: 'kg CO2 eq',
          status: 'OK',
        },
        {
          kind: 'application',
          item: 'crm',
          lifecycleStep: 'MANUFACTURING',
          criterion: 'CLIMATE_CHANGE',
          value: 10,
          unit: 'kg CO2 eq',
          status: 'OK',
        },
        {
          kind: 'application',
          item: 'crm',
          lifecycleStep: 'USE',
          criterion: 'CLIMATE_CHANGE',
          value: 8,
          unit: 'kg CO2 eq',
          status: 'OK',
        },
      ]),
    );
    const svc = join(dir, 'crm.yaml');
    writeFileSync(
      svc,
      'service: CRM\nversion: 1\nkind: business_application\nfunctionalUnit: service-year\nusage:\n  users: 10\n  sessionsPerUserPerYear: 100\n  sessionHours: 0.1\n  dataPerSessionGB: 0\nservers:\n  - { inventory: application, name: crm, share: 0.5 }\n',
    );
    const r = await run([svc], { format: 'json', inventory: [rows] });
    expect(r.code).toBe(0);
    const cc = (JSON.parse(r.out) as { services: JsonService[] }).services[0]!.criteria[0]!;
    expect(cc.perFunctionalUnit.byTierTotal['DATACENTER']).toBeCloseTo(0.5 * (30 + 10 + 8), 12); // 24 kg
    const bad = await run([svc], { format: 'json' });
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/SVC_INVENTORY_REQUIRED/);
  });

  it('bad input: exit 2 and one line naming file, line and path', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'empreinte-service-'));
    const f = join(dir, 'bad.yaml');
    writeFileSync(f, 'service: X\nversion: 1\nkind: hologram\nfunctionalUnit: unit\n');
    const r = await run([f], {});
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).toContain(`${f}:3:kind: SVC_UNKNOWN_KIND`);
    expect((await run([join(dir, 'missing.yaml')], {})).code).toBe(2);
    expect((await run([f], { format: 'xml' })).err).toContain('INP_BAD_ENUM');
  });
});
