/**
 * Boavizta F15/F16/F17 pure functions. Expected values are computed by hand from the constants of methodology §4 F16
 * and §6 (Boavizta factors.yml / archetypes), arithmetic in the comments.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  COMPONENT_FACTORS,
  CPU_PROFILES,
  DEFAULT_CPU_PROFILE,
  cpuProfileFor,
  lookupCpuProfile,
  DEFAULT_RAM_DENSITY,
  DEFAULT_SSD_DENSITY,
  DEFAULT_CPU_DIE_MM2,
  cloudInstanceImpact,
  cpuPower,
  deviceYearlyKWh,
  serverComponents,
  serverConfigFromInventory,
  serverEmbodied,
  serverPower,
  serverYearlyKWh,
  type ServerConfig,
} from '../../src/referential/boavizta/components.js';
import { canonicalForms, resolveInstanceName } from '../../src/referential/boavizta/cloud-names.js';
import {
  cpuFuzzyLookup,
  cpuLookup,
  dieSizeFallback,
  inFileOrder,
  tokenSetRatio,
} from '../../src/referential/boavizta/cpu-lookup.js';
import { tokenSortRatio } from '../../src/referential/boavizta/fuzz.js';
import type { CpuSpec, Referential } from '../../src/referential/model.js';
import { DATA_DIR } from './data-dir.js';

/** 2 CPUs of 400 mm², 8 × 32 GB at 1 GB/cm², 1 × 1000 GB SSD at 50 GB/cm², 2 PSU × 2.99 kg, rack. */
const CONFIG: ServerConfig = {
  cpuUnits: 2,
  cpuDieMm2: 400,
  ramUnits: 8,
  ramCapacityGB: 32,
  ramDensity: 1,
  ssdUnits: 1,
  ssdCapacityGB: 1000,
  ssdDensity: 50,
  hddUnits: 0,
  powerSupplyUnits: 2,
  powerSupplyWeightKg: 2.99,
  caseType: 'rack',
};

describe('F16 server bottom-up embodied', () => {
  it('climate change per component and total', () => {
    const c = serverComponents(CONFIG);
    expect(c.cpu.gwp).toBeCloseTo(34.04, 10); // 2 × (400 × 0.0197 + 9.14) = 2 × 17.02
    expect(c.ram.gwp).toBeCloseTo(604.96, 10); // 8 × (32/1 × 2.2 + 5.22) = 8 × 75.62
    expect(c.ssd.gwp).toBeCloseTo(50.34, 10); // 1000/50 = 20 cm²; 20 × 2.2 + 6.34
    expect(c.hdd.gwp).toBe(0);
    expect(c.motherboard.gwp).toBe(66.1);
    expect(c.powerSupply.gwp).toBeCloseTo(145.314, 10); // 2 × 2.99 × 24.3
    expect(c.case.gwp).toBe(150);
    expect(c.assembly.gwp).toBe(6.68);
    // 34.04 + 604.96 + 50.34 + 66.1 + 145.314 + 150 + 6.68 = 1057.434
    expect(serverEmbodied(CONFIG).gwp).toBeCloseTo(1057.434, 9);
  });
  it('resource use (adp) total', () => {
    // CPU 2 × (400 × 5.87e-9 + 0.0204) = 0.040804696; RAM 8 × (32 × 6.3e-5 + 0.00169) = 0.029648;
    // SSD 20 × 6.3e-5 + 0.000563 = 0.001823; MB 0.00369; PSU 5.98 × 0.0083 = 0.049634; case 0.0202; assembly 1.41e-6
    // sum = 0.145801106
    expect(serverEmbodied(CONFIG).adp).toBeCloseTo(0.145801106, 12);
  });
  it('primary energy of the CPU and the blade case', () => {
    expect(serverComponents(CONFIG).cpu.pe).toBeCloseTo(524, 10); // 2 × (400 × 0.265 + 156) = 2 × 262
    const blade = serverComponents({ ...CONFIG, caseType: 'blade' }).case;
    expect(blade.gwp).toBeCloseTo(85.9, 10); // 880 / 16 + 30.9 = 55 + 30.9
    expect(blade.pe).toBeCloseTo(1228.75, 10); // 12700 / 16 + 435 = 793.75 + 435
  });
  it('inventory mapping onto the medium archetype', () => {
    // 48 cores / 24 per CPU = 2 CPUs; 100 GB → round(100/32) = 3 strips of 33.33 GB; disk 480 GB → one SSD
    const c = serverConfigFromInventory({ cores: 48, memoryGB: 100, diskGB: 480 });
    expect(c.cpuUnits).toBe(2);
    expect(c.ramUnits).toBe(3);
    expect(c.ramCapacityGB).toBeCloseTo(100 / 3, 12);
    expect(c.ssdUnits).toBe(1);
    expect(c.ssdCapacityGB).toBe(480);
    expect(serverConfigFromInventory({ cores: 8 }).cpuUnits).toBe(1); // max(1, round(8/24)) = max(1, 0)
  });
  it('constants and defaults agree with the Boavizta data files', () => {
    const f = JSON.parse(readFileSync(join(DATA_DIR, 'boavizta/boaviztapi/factors.json'), 'utf8'));
    expect(COMPONENT_FACTORS.cpu.die.gwp).toBe(f.cpu.gwp.die_impact);
    expect(COMPONENT_FACTORS.ram.base.adp).toBe(f.ram.adp.impact);
    expect(COMPONENT_FACTORS.ssd.base.pe).toBe(f.ssd.pe.impact);
    expect(COMPONENT_FACTORS.powerSupply.gwp).toBe(f.power_supply.gwp.impact);
    expect(COMPONENT_FACTORS.bladeEnclosure16.gwp).toBe(f.case.gwp.blade.impact_blade_16_slots);
    const col = (file: string, name: string) => {
      const [h, ...rows] = readFileSync(join(DATA_DIR, 'boavizta/boaviztapi/crowdsourcing', file), 'utf8')
        .trim()
        .split(/\r?\n/);
      const i = h!.split(',').indexOf(name);
      return rows
        .map((r) => r.split(',')[i]!)
        .filter((x) => x.trim() !== '')
        .map(Number);
    };
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(DEFAULT_RAM_DENSITY).toBeCloseTo(mean(col('ram_manufacture.csv', 'density')), 12); // 13.688 / 11
    expect(DEFAULT_SSD_DENSITY).toBeCloseTo(mean(col('ssd_manufacture.csv', 'density')), 10); // 1042.8 / 19
    expect(DEFAULT_CPU_DIE_MM2).toBeCloseTo(793359.82 / 1519, 9);
  });
});

describe('F17 power models', () => {
  it('CPU at 50 % load (Xeon Platinum default)', () => {
    // 171.2 × ln(0.0354 × (50 + 36.89)) − 10.13 = 171.2 × ln(3.075906) − 10.13 = 171.2 × 1.1235996 − 10.13 = 182.2302
    expect(cpuPower(50)).toBeCloseTo(182.2302, 3);
    // at 0 %: 171.2 × ln(1.305906) − 10.13 = 171.2 × 0.266897 − 10.13 = 35.5628
    expect(cpuPower(0, DEFAULT_CPU_PROFILE)).toBeCloseTo(35.5628, 3);
    // floor at 1 W: 1 × ln(1 × (1 + 0)) + 0 = 0 → 1
    expect(cpuPower(1, { a: 1, b: 1, c: 0, d: 0 })).toBe(1);
  });
  it('server power and yearly energy', () => {
    // each CPU's power rounded to 5 significant figures as BoaviztAPI does: 182.2302 → 182.23 W;
    // (2 × 182.23 + 256 × 0.284) × (1 + 0.33) = (364.46 + 72.704) × 1.33 = 437.164 × 1.33 = 581.42812 W
    const p = serverPower({ cpuUnits: 2, ramGB: 256 });
    expect(p).toBeCloseTo(581.42812, 9);
    expect(serverYearlyKWh(p)).toBeCloseTo(5093.3103, 3); // 581.42812 × 8760 / 1000 = 5093.31033
    expect(serverYearlyKWh(100, 0.5)).toBe(438); // 100 × 8760 × 0.5 / 1000
  });
  it('device rule (ACV-NUM): laptop 26.5 W × 3 h/day × 365 / 1000 = 29.0175 kWh', () => {
    expect(deviceYearlyKWh(26.5, 3)).toBeCloseTo(29.0175, 12);
    expect(deviceYearlyKWh(8, 24)).toBeCloseTo(70.08, 12); // box
  });
});

describe('F15 cloud instance', () => {
  const platform = { config: CONFIG, vcpu: 96, memoryGB: 256, ssdGB: 1000, hddGB: 0, hoursLifeTime: 35040 };
  it('quarter of the platform for a year', () => {
    const r = cloudInstanceImpact({ vcpu: 24, memoryGB: 64, ssdGB: 250, hddGB: 0 }, platform, {
      pue: 1.135,
      mixKgPerKWh: 0.0519,
    });
    // every ratio = 0.25; share = min(1, 8760 / 35040) = 0.25 → 1057.434 × 0.25 × 0.25 = 66.089625
    expect(r.embodied.gwp).toBeCloseTo(66.089625, 9);
    // P = 581.4287 × 0.25 = 145.3572 W; E = 145.3572 × 8760 / 1000 = 1273.329 kWh
    expect(r.kWh).toBeCloseTo(1273.329, 2);
    // use = 1273.329 × 1.135 × 0.0519 = 75.0074
    expect(r.useGwp).toBeCloseTo(75.0074, 3);
  });
  it('quantity multiplies every result; G4IT lifetime 43 800 h', () => {
    const one = cloudInstanceImpact({ vcpu: 24, memoryGB: 64, ssdGB: 250, hddGB: 0 }, platform, {
      pue: 1,
      mixKgPerKWh: 0.1,
      hoursLifeTime: 43800,
    });
    const two = cloudInstanceImpact({ vcpu: 24, memoryGB: 64, ssdGB: 250, hddGB: 0 }, platform, {
      pue: 1,
      mixKgPerKWh: 0.1,
      hoursLifeTime: 43800,
      quantity: 2,
    });
    // 1057.434 × 0.25 × 8760 / 43800 = 1057.434 × 0.25 × 0.2 = 52.8717
    expect(one.embodied.gwp).toBeCloseTo(52.8717, 9);
    expect(two.embodied.gwp).toBeCloseTo(2 * 52.8717, 9);
    expect(two.kWh).toBeCloseTo(2 * one.kWh, 9);
  });
});

describe('F16 disks of a bottom-up server (nbSsd, tailleSsd, nbHdd)', () => {
  it('counts and sizes given: 2 × 960 GB SSD and 4 HDD; tailleDuDisque is then not used', () => {
    const c = serverConfigFromInventory({ diskGB: 9999, ssdCount: 2, ssdSizeGb: 960, hddCount: 4 });
    expect(c).toMatchObject({ ssdUnits: 2, ssdCapacityGB: 960, hddUnits: 4 });
    // HDD: a constant per unit (factors.yml hdd: 31.11 kg CO2 eq, 0.00025 kg Sb eq, 276 MJ) → 4 × 31.11 = 124.44 kg
    const k = serverComponents({ ...CONFIG, hddUnits: 4 }).hdd;
    expect(k.gwp).toBeCloseTo(124.44, 10);
    expect(k.adp).toBeCloseTo(0.001, 12);
    expect(k.pe).toBeCloseTo(1104, 10);
  });
  it('HDD only: no SSD; SSD size alone: one SSD; count alone: the archetype size 1000 GB', () => {
    expect(serverConfigFromInventory({ hddCount: 2 })).toMatchObject({ ssdUnits: 0, hddUnits: 2 });
    expect(serverConfigFromInventory({ ssdSizeGb: 480 })).toMatchObject({
      ssdUnits: 1,
      ssdCapacityGB: 480,
      hddUnits: 0,
    });
    expect(serverConfigFromInventory({ ssdCount: 3 })).toMatchObject({ ssdUnits: 3, ssdCapacityGB: 1000 });
    // SSDs only, no tailleSsd: tailleDuDisque shared among them (1920 / 2 = 960 GB); with HDDs the split is unknown
    expect(serverConfigFromInventory({ diskGB: 1920, ssdCount: 2 })).toMatchObject({ ssdUnits: 2, ssdCapacityGB: 960 });
    expect(serverConfigFromInventory({ diskGB: 1920, ssdCount: 2, hddCount: 1 })).toMatchObject({
      ssdCapacityGB: 1000,
      hddUnits: 1,
    });
    expect(serverConfigFromInventory({})).toMatchObject({ ssdUnits: 1, ssdCapacityGB: 1000, hddUnits: 0 });
  });
});

describe('BoaviztAPI name matching', () => {
  it('token_set_ratio: 100 when one token set contains the other, else the Indel ratio', () => {
    expect(tokenSetRatio('intel xeon scalable platinum 8173m', 'intel xeon platinum 8173m')).toBe(100);
    // no common token: Indel("abc", "abd") = 2 (one deletion, one insertion) over 3 + 3 → 100 − 200/6 = 66.67
    expect(tokenSetRatio('abc', 'abd')).toBeCloseTo(100 - 200 / 6, 10);
    // common "intel": rests "a" and "b" → sect+ab = "intel a" (7), sect+ba = "intel b" (7); Indel("a", "b") = 2 →
    // 100 − 200/14 = 85.71; sect vs sect+ab: distance 2 over 5 + 7 → 83.33; the best is 85.71
    expect(tokenSetRatio('intel a', 'intel b')).toBeCloseTo(100 - 200 / 14, 10);
    expect(tokenSetRatio('', 'x')).toBe(0);
  });
  it("instance names: exact id, then canonical form (Azure 'standard_', case, separators), then ≥ 0.8 similarity", () => {
    expect(canonicalForms('Standard_D4s_v3')).toEqual(['d4s_v3', 'd4s-v3', 'd4sv3']);
    const ids = ['d2s_v3', 'd4s_v3', 'standard_d4s_v3', 'm5.xlarge', 'e2-standard-4'];
    expect(resolveInstanceName('standard_d4s_v3', ids)).toEqual({ id: 'standard_d4s_v3', via: 'EXACT' });
    expect(resolveInstanceName('Standard_D4s_v3', ids)).toEqual({ id: 'd4s_v3', via: 'NORMALISED' });
    expect(resolveInstanceName('E2_STANDARD_4', ids)).toEqual({ id: 'e2-standard-4', via: 'NORMALISED' });
    // 'm5.xlarg' (8 characters): no id of that length; Levenshtein to 'm5.xlarge' = 1 → 1 − 1/9 = 0.889 ≥ 0.8
    expect(resolveInstanceName('m5.xlarg', ids)).toEqual({ id: 'm5.xlarge', via: 'LEVENSHTEIN', score: 1 - 1 / 9 });
    // 'd8s_v3': same length as d2s_v3 and d4s_v3, one letter differs → Hamming 5/6 = 0.833; the first id wins the tie
    expect(resolveInstanceName('d8s_v3', ids)).toEqual({ id: 'd2s_v3', via: 'HAMMING', score: 5 / 6 });
    expect(resolveInstanceName('m5.enormous', ids)).toBeUndefined();
  });
});

describe("F17 profile lookup as BoaviztAPI's lookup_consumption_profile", () => {
  it('token_sort_ratio ≥ 90 on the model range, exact range among several', () => {
    // "xeon e" vs "xeon e7": sorted "e xeon" (6) / "e7 xeon" (7), Indel 1 → 100 × (1 − 1/13) = 92.31 ≥ 90;
    // "xeon e5" / "xeon e3" vs "xeon e7": Indel 2 over 14 → 85.71 < 90
    expect(tokenSortRatio('xeon e', 'xeon e7')).toBeCloseTo(100 * (1 - 1 / 13), 10);
    expect(lookupCpuProfile('Intel', 'Xeon E7')?.range).toBe('Xeon E');
    // "Xeon E": "xeon e" scores 100 and "xeon e5"/"xeon e3" 92.31 → three rows; the exact range wins
    expect(lookupCpuProfile('Intel', 'Xeon E')?.range).toBe('Xeon E');
    expect(lookupCpuProfile('Intel', 'Xeon Gold')?.profile).toEqual(CPU_PROFILES['Xeon Gold']);
    // AMD EPYC: no manufacturer nor range matches → every row stays, none is exact → no profile
    expect(lookupCpuProfile('AMD', 'EPYC')).toBeUndefined();
    // without TDP: the range profile; without anything: the default
    expect(cpuProfileFor({ manufacturer: 'Intel', modelRange: 'Xeon E7' }).profile).toEqual(CPU_PROFILES['Xeon E']);
    expect(cpuProfileFor({ manufacturer: 'AMD', modelRange: 'EPYC' }).profile).toEqual(DEFAULT_CPU_PROFILE);
  });
});

describe("F16 die size completed as BoaviztAPI's _complete_die_size_from_cpu_specs", () => {
  const spec = (
    name: string,
    family: string | undefined,
    cores: number | undefined,
    die: number | undefined,
  ): CpuSpec => ({
    name,
    ...(family !== undefined ? { family } : {}),
    ...(cores !== undefined ? { cores } : {}),
    ...(die !== undefined ? { totalDieSizeMm2: die } : {}),
    prov: { source: 'test', layer: 'test' },
  });
  const specs = [
    spec('A1', 'Alpha', 8, 200),
    spec('A2', 'Alpha', 16, 400),
    spec('A3', 'Alpha', 16, 500),
    spec('B1', 'Beta', 32, 1000),
    spec('C1', 'Gamma', 12, undefined),
    spec('D1', undefined, undefined, 321.4),
  ];
  it('rows are read in file order (sourceRow), rows without one after', () => {
    const rows = [{ n: 'b', sourceRow: 2 }, { n: 'x' }, { n: 'a', sourceRow: 1 }];
    expect(inFileOrder(rows).map((r) => r.n)).toEqual(['a', 'b', 'x']);
  });
  it('family and core count known: mean of that family with that many cores (3 significant figures)', () => {
    expect(dieSizeFallback(specs, { family: 'Alpha', cores: 16 }).value).toBe(450); // (400 + 500) / 2
  });
  it('family whose CPUs all have another core count: rule of three on the first', () => {
    expect(dieSizeFallback(specs, { family: 'Beta', cores: 24 }).value).toBe(750); // 1000 × 24 / 32
  });
  it('family with several core counts, none equal: linear regression on cores', () => {
    // Alpha: (8, 200), (16, 400), (16, 500): mean x = 40/3 = 13.3333, mean y = 1100/3 = 366.667;
    // Sxy = (−5.3333)(−166.667) + 2.6667 × 33.333 + 2.6667 × 133.333 = 888.89 + 88.89 + 355.56 = 1333.33;
    // Sxx = 28.444 + 7.111 + 7.111 = 42.667; slope = 31.25; intercept = 366.667 − 31.25 × 13.3333 = −50;
    // at 12 cores: −50 + 31.25 × 12 = 325
    expect(dieSizeFallback(specs, { family: 'Alpha', cores: 12 }).value).toBe(325);
  });
  it('family without any die size: all families; no core count: the mean of all (3 significant figures)', () => {
    // (200 + 400 + 500 + 1000 + 321.4) / 5 = 2421.4 / 5 = 484.28 → 484
    expect(dieSizeFallback(specs, { family: 'Gamma' }).value).toBe(484);
    expect(dieSizeFallback(specs, {}).rule).toMatch(/5 CPUs of all families/);
    // 32 cores over all families: only B1 → 1000
    expect(dieSizeFallback(specs, { family: 'Gamma', cores: 32 }).value).toBe(1000);
  });
});

describe('CPU catalogue lookups (F15, F16)', () => {
  const spec = (name: string, sourceRow?: number): CpuSpec => ({
    name,
    ...(sourceRow !== undefined ? { sourceRow } : {}),
    prov: { source: 'test', layer: 'test' },
  });
  /** A catalogue that counts how often its rows are listed (`values`), to see when a lookup prepares its index. */
  const catalogue = (rows: CpuSpec[]) => {
    const map = new Map(rows.map((r) => [r.name, r]));
    const counted = { listed: 0 };
    const values = map.values.bind(map);
    map.values = () => {
      counted.listed++;
      return values();
    };
    return { ref: { cpuSpecs: map } as unknown as Referential, counted };
  };

  it('cpuLookup: the exact (trimmed) name, then case-insensitive (first row of a lower-case name); index built once, on the first miss', () => {
    const a = spec('Intel Xeon Gold 6130');
    const b = spec('INTEL XEON GOLD 6130');
    const { ref, counted } = catalogue([a, b, spec('AMD EPYC 7502')]);
    const lookup = cpuLookup(ref);
    expect(counted.listed).toBe(0);
    expect(lookup(' INTEL XEON GOLD 6130 ')).toBe(b);
    expect(counted.listed).toBe(0);
    expect(lookup('intel xeon gold 6130')).toBe(a);
    expect(lookup('amd epyc 7502')?.name).toBe('AMD EPYC 7502');
    expect(lookup('Unknown CPU')).toBeUndefined();
    expect(counted.listed).toBe(1);
    expect(cpuLookup({} as Referential)('Intel Xeon Gold 6130')).toBeUndefined();
    // The catalogue itself is read on the first lookup, once (a snapshot's deferred property, merge-snapshot.ts).
    let reads = 0;
    const deferred = cpuLookup({
      get cpuSpecs() {
        reads++;
        return ref.cpuSpecs;
      },
    } as Referential);
    expect(reads).toBe(0);
    expect(deferred('AMD EPYC 7502')?.name).toBe('AMD EPYC 7502');
    expect(deferred('amd epyc 7502')?.name).toBe('AMD EPYC 7502');
    expect(reads).toBe(1);
  });

  it('cpuFuzzyLookup: the first row in file order with the best score above 80; catalogue prepared once, on the first name', () => {
    // Sorted by name in the map, by sourceRow in the file: the file's first row wins a tie.
    const later = spec('Intel Xeon Gold 6130', 2);
    const first = spec('Intel Xeon Gold 6130 ', 1);
    const { ref, counted } = catalogue([later, first, spec('AMD EPYC 7502', 3)]);
    const lookup = cpuFuzzyLookup(ref);
    expect(counted.listed).toBe(0);
    expect(lookup('intel xeon gold 6130')).toEqual({ cpu: first, score: 100 });
    expect(lookup('AMD EPYC 7502')?.cpu.name).toBe('AMD EPYC 7502');
    expect(lookup('Qualcomm Snapdragon')).toBeUndefined();
    expect(counted.listed).toBe(1);
  });
});
