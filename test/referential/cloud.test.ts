/**
 * F15 cloud instances and F16 CPU catalogue from the embedded default pack, end to end through `assessInventory`
 * with `engineHooks`. Expected values are computed by hand from methodology §4 F15–F17 and the Boavizta rows
 * (arithmetic in the comments):
 *
 *   archetypes/cloud/aws.csv   m5.large,2,8,0,0,0,m5.metal,
 *   archetypes/server.csv      m5.metal,AWS,rack,2,,,Intel Xeon Platinum 8175M,,12,32,0,0,0,0,0,,0,2;2;2,2.99;1;5,
 *                              50;0;100,1,52560,0.33;0.2;0.6,…
 *   crowdsourcing/cpu_specs    Intel Xeon Platinum 8175M … tdp 240, cores 24, threads 48, total_die_size 615.4,
 *                              model_range Xeon Platinum (BoaviztAPI reads the die size as an integer: 615 mm²)
 *   archetypes/cloud/regions   aws,eu-west-3,FRA
 *
 * Platform: vCPU = 48 threads × 2 CPU = 96; memory = 12 × 32 = 384 GB; no SSD, no HDD; H_life 52 560 h.
 * Instance ratios: vCPU 2/96 = 1/48, memory 8/384 = 1/48.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { assessInventory, type RunContext } from '../../src/engine/index.js';
import { bottomUpModel, cloudModel, engineHooks } from '../../src/engine/hooks.js';
import type { VirtualEquipment } from '../../src/inventory/model.js';
import { CPU_PROFILES, cpuPower, fitCpuProfile } from '../../src/referential/boavizta/components.js';
import { profileLayer, type Profile } from '../../src/referential/hypotheses.js';
import { mergeLayers } from '../../src/referential/merge.js';
import { cloudKey, type ReferentialLayer, type Referential } from '../../src/referential/model.js';
import { loadDefaultPack, type Pack } from '../../src/referential/pack.js';

let pack: Pack;
const refs = new Map<Profile, Referential>();
beforeAll(async () => {
  pack = await loadDefaultPack();
  for (const p of ['rcp', 'numecoeval'] as const) refs.set(p, mergeLayers([pack.layer, profileLayer(p)]).referential);
});
const ref = (p: Profile) => refs.get(p)!;

// ---- hand computation, F16 constants (methodology §4 F16) -----------------------------------------------------
// CPU: 615 mm² (integer part of 615.4, as BoaviztAPI reads it) × 0.0197 + 9.14 = 21.2555 kg per CPU; × 2 = 42.511
const cpuGwp = 2 * (615 * 0.0197 + 9.14);
// RAM strip: 32 GB / (13.688/11 GB/cm²) = 25.7159556 cm² × 2.20 + 5.22 = 61.7951023 kg; × 12 = 741.5412274
const ramGwp = 12 * ((32 / (13.688 / 11)) * 2.2 + 5.22);
// motherboard 66.10 + PSU 2 × 2.99 kg × 24.30 = 145.314 + rack 150 + assembly 6.68
const restGwp = 66.1 + 2 * 2.99 * 24.3 + 150 + 6.68;
// instance: (741.5412274 + 42.511 + 368.094) / 48 = 1152.1462274 / 48 = 24.0030464 kg per platform lifetime
const instanceGwp = ramGwp / 48 + (cpuGwp + restGwp) / 48;
// adp: CPU 2 × (615 × 5.87e-9 + 0.0204) = 0.0408072201; RAM 12 × (25.7159556 × 6.3e-5 + 0.00169) = 0.0397212624;
// motherboard 0.00369, PSU 2 × 2.99 × 0.0083 = 0.049634, rack 0.0202, assembly 1.41e-6 → 0.1540538925 / 48
const instanceAdp =
  (12 * ((32 / (13.688 / 11)) * 6.3e-5 + 0.00169)) / 48 +
  (2 * (615 * 5.87e-9 + 0.0204) + 0.00369 + 2 * 2.99 * 0.0083 + 0.0202 + 1.41e-6) / 48;
// F17 use: per CPU P(50) from the TDP fit (TDP 240 W: ≈ 0.75 × 240 = 180 W, see f17-fit.test.ts, 179.56 W), rounded
// to 5 significant figures as BoaviztAPI does (p5);
// P_inst = (2 × P(50) × 1/48 + 384 GB × 0.284 W/GB × 1/48) × (1 + 0.33) = (7.4818 + 2.272) × 1.33 = 12.9726 W;
// E = 12.9726 × 8760 / 1000 = 113.64 kWh/yr
const p5 = (x: number) => Number(x.toPrecision(5));
const pCpu50 = p5(cpuPower(50, fitCpuProfile(240, CPU_PROFILES['Xeon Platinum'])));
const kWh = (((2 * pCpu50) / 48 + (384 * 0.284) / 48) * 1.33 * 8760) / 1000;

const CTX: RunContext = {
  profile: 'rcp',
  referenceDate: '2025-01-01',
  lifetimeMethod: 'REEL',
  criteria: ['CLIMATE_CHANGE', 'RESOURCE_USE', 'ACIDIFICATION', 'LAND_USE'],
  steps: ['MANUFACTURING', 'DISTRIBUTION', 'USE', 'END_OF_LIFE'],
};

const vm = (over: Partial<VirtualEquipment> = {}): VirtualEquipment => ({
  name: 'web-1',
  infrastructure: 'CLOUD_SERVICES',
  provider: 'aws',
  instanceType: 'm5.large',
  location: 'eu-west-3',
  at: { file: 'cloud.csv', line: 2 },
  ...over,
});

function assess(profile: Profile, vms: VirtualEquipment[], r: Referential = ref(profile)) {
  const out = assessInventory({ virtual: vms }, r, { ...CTX, profile }, engineHooks(r, { profile }));
  const row = (item: string, step: string, criterion = 'CLIMATE_CHANGE') => {
    const x = out.indicators.find((i) => i.item === item && i.lifecycleStep === step && i.criterion === criterion);
    if (!x) throw new Error(`no indicator ${item}/${step}/${criterion}`);
    return x;
  };
  return { out, row };
}

describe('cloud archetypes in the default pack', () => {
  it('embeds instances, platforms, regions, providers and CPUs with source, licence and vintage', () => {
    const l = pack.layer;
    // 1095 + 394 + 339 + 50 + 69 data rows of archetypes/cloud/{aws,azure,gcp,ovhcloud,scaleway}.csv
    expect(l.cloudInstances).toHaveLength(1095 + 394 + 339 + 50 + 69);
    expect(l.cloudPlatforms).toHaveLength(292); // server.csv: 293 lines − header
    expect(l.cloudRegions).toHaveLength(144); // regions.csv: 145 lines − header
    expect(l.cloudProviders!.map((p) => p.provider).sort()).toEqual(['aws', 'azure', 'gcp', 'ovhcloud', 'scaleway']);
    expect(l.cpuSpecs).toHaveLength(1807);
    for (const r of [...l.cloudInstances!, ...l.cloudPlatforms!, ...l.cloudRegions!, ...l.cpuSpecs!]) {
      expect(r.prov.source).toMatch(/^Boavizta\/boaviztapi@15878f0/);
      expect(r.prov.licence).toBe('AGPL-3.0-only');
      expect(r.prov.vintage).toBe('boaviztapi 2.4.1');
    }
    expect(l.cloudInstances!.find((i) => i.id === 'm5.large')).toMatchObject({
      provider: 'aws',
      vcpu: 2,
      memoryGB: 8,
      ssdGB: 0,
      hddGB: 0,
      platform: 'm5.metal',
    });
    expect(l.cloudPlatforms!.find((p) => p.id === 'm5.metal')).toMatchObject({
      cpuUnits: 2,
      cpuName: 'Intel Xeon Platinum 8175M',
      ramUnits: 12,
      ramCapacityGB: 32,
      ssdUnits: 0,
      powerSupplyUnits: 2, // '2;2;2' → default 2
      powerSupplyWeightKg: 2.99, // '2.99;1;5' → default 2.99
      load: 50,
      useTimeRatio: 1,
      hoursLifeTime: 52560,
      otherConsumptionRatio: 0.33,
    });
    // cpu_specs.csv names are trimmed ('Intel Xeon Platinum 8481C ' in the source)
    expect(l.cpuSpecs!.find((c) => c.name === 'Intel Xeon Platinum 8481C')).toMatchObject({ cores: 56, threads: 112 });
  });

  it('regions map to ISO countries: aws eu-west-3 → FRA → FR, azure westeurope → NL, gcp europe-west1 → BE', () => {
    const regions = ref('rcp').cloud!.regions;
    expect(regions.get(cloudKey('aws', 'EU-WEST-3'))).toMatchObject({ location: 'FR', locationLabel: 'FRA' });
    expect(regions.get(cloudKey('azure', 'westeurope'))?.location).toBe('NL');
    expect(regions.get(cloudKey('gcp', 'europe-west1'))?.location).toBe('BE');
  });

  it('a user layer overrides an instance row (merge upsert by provider and case-insensitive id)', () => {
    const user: ReferentialLayer = {
      ...profileLayer('rcp'),
      name: 'user:test',
      cloudInstances: [
        {
          provider: 'aws',
          id: 'M5.LARGE',
          vcpu: 4,
          memoryGB: 8,
          ssdGB: 0,
          hddGB: 0,
          platform: 'm5.metal',
          prov: { source: 'test', layer: 'user:test' },
        },
      ],
    };
    const r = mergeLayers([pack.layer, profileLayer('rcp'), user]).referential;
    expect(r.cloud!.instances.get(cloudKey('aws', 'm5.large'))?.vcpu).toBe(4);
    expect(r.hash).not.toBe(ref('rcp').hash);
    // vCPU 4/96 = 1/24 doubles the CPU, motherboard, PSU, case and assembly share; RAM share unchanged
    const e = cloudModel(r, 'rcp')(vm());
    if ('error' in e) throw new Error(e.error.code);
    expect(e.embodied.CLIMATE_CHANGE).toBeCloseTo((ramGwp / 48 + (cpuGwp + restGwp) / 24) / 6, 9);
  });
});

describe('the engine hooks read the cloud tables and the CPU catalogue on first use (issue 11)', () => {
  /** The rcp merge with its cloud tables and CPU catalogue behind getters that count their reads. */
  const counted = () => {
    const reads = { cloud: 0, cpuSpecs: 0 };
    const r = { ...ref('rcp') };
    for (const key of ['cloud', 'cpuSpecs'] as const) {
      const value = r[key];
      Object.defineProperty(r, key, {
        enumerable: true,
        get: () => {
          reads[key]++;
          return value;
        },
      });
    }
    return { r: r as Referential, reads };
  };

  it('neither is read to make the hooks or to match models', () => {
    const { r, reads } = counted();
    const hooks = engineHooks(r);
    expect(hooks.matcher!.match('Latitude 5420', 'Laptop')?.via).toBe('MODEL');
    expect(hooks.matcher!.best('Poste IP standard', 'Téléphone IP')).toBeDefined();
    expect(reads).toEqual({ cloud: 0, cpuSpecs: 0 });
  });

  it('the cloud model is made on the first cloud instance, once, with the same estimate', () => {
    const { r, reads } = counted();
    const hooks = engineHooks(r);
    const first = hooks.cloud!(vm());
    expect(reads.cloud).toBeGreaterThan(0);
    expect(first).toEqual(engineHooks(ref('rcp')).cloud!(vm()));
    const after = { ...reads };
    expect(hooks.cloud!(vm({ name: 'web-2', instanceType: 'm5.xlarge' }))).toEqual(
      engineHooks(ref('rcp')).cloud!(vm({ name: 'web-2', instanceType: 'm5.xlarge' })),
    );
    expect(reads).toEqual(after);
  });

  it('a bottom-up server reads the catalogue for its die size, once; the CPU catalogue only', () => {
    const { r, reads } = counted();
    const bottomUp = engineHooks(r).bottomUp!;
    const item = bottomUp({ name: 'srv', cores: 32, memoryGB: 64 });
    expect(reads).toEqual({ cloud: 0, cpuSpecs: 1 });
    expect(item).toEqual(bottomUpModel(ref('rcp'), 'ademe-server')({ name: 'srv', cores: 32, memoryGB: 64 }));
    bottomUp({ name: 'srv-2', cores: 16, memoryGB: 32, cpuType: 'Intel Xeon Gold 6130' });
    expect(reads).toEqual({ cloud: 0, cpuSpecs: 2 });
  });
});

describe('F15 cloud instance end to end (aws m5.large, eu-west-3)', () => {
  it('profile rcp: H_life 52 560 h, PUE AWS 1.135, France 0.0519 kg/kWh', () => {
    const { row, out } = assess('rcp', [vm()]);
    // MANUFACTURING CLIMATE_CHANGE = 24.0030464 × min(1, 8760 / 52560) = 24.0030464 / 6 = 4.0005077 kg
    expect(instanceGwp / 6).toBeCloseTo(4.0005077, 6);
    expect(row('web-1', 'MANUFACTURING').value).toBeCloseTo(instanceGwp / 6, 10);
    // RESOURCE_USE (adp) = 0.1540538925 / 48 / 6 = 5.349094e-4 kg Sb eq
    expect(row('web-1', 'MANUFACTURING', 'RESOURCE_USE').value).toBeCloseTo(instanceAdp / 6, 14);
    expect(instanceAdp / 6).toBeCloseTo(5.349094e-4, 9);
    // USE = 113.64 kWh × 1.135 × 0.0519 = 6.694 kg
    expect(kWh).toBeCloseTo(113.64, 2);
    expect(row('web-1', 'USE').value).toBeCloseTo(kWh * 1.135 * 0.0519, 10);
    expect(out.totals.electricity.facilityKWh).toBeCloseTo(kWh * 1.135, 9);
    // Boavizta component data exclude distribution and end of life: no rows for those steps
    expect(out.indicators.find((i) => i.lifecycleStep === 'DISTRIBUTION')).toBeUndefined();
    const t = row('web-1', 'MANUFACTURING').trace!;
    expect(t.variables.platform!.value).toBe('m5.metal');
    expect(t.variables.locationRule!.value).toMatch(/eu-west-3.*FRA.*FR/);
    expect(t.variables.platformVcpu!.value).toBe(96);
    expect(row('web-1', 'USE').trace!.variables.PUE!.ref?.key).toBe('PUE_cloud_AWS');
  });

  it('profile numecoeval: H_life 43 800 h and PUE 1 (§9 #8, #28)', () => {
    const { row } = assess('numecoeval', [vm()]);
    // MANUFACTURING = 24.0030464 × 8760 / 43800 = 24.0030464 × 0.2 = 4.8006093 kg
    expect(row('web-1', 'MANUFACTURING').value).toBeCloseTo(instanceGwp * 0.2, 10);
    expect(instanceGwp * 0.2).toBeCloseTo(4.8006093, 6);
    // USE = 113.64 kWh × 1 × 0.0519
    expect(row('web-1', 'USE').value).toBeCloseTo(kWh * 0.0519, 10);
  });

  it('quantity, hours and load: 3 instances × 4380 h at 20 % load', () => {
    const { row } = assess('rcp', [vm({ quantity: 3, annualHours: 4380, avgLoad: 20 })]);
    // embodied × min(1, 4380/52560) = 1/12, × 3
    expect(row('web-1', 'MANUFACTURING').value).toBeCloseTo((instanceGwp / 12) * 3, 10);
    const p20 = p5(cpuPower(20, fitCpuProfile(240, CPU_PROFILES['Xeon Platinum'])));
    const e = (((2 * p20) / 48 + (384 * 0.284) / 48) * 1.33 * 4380) / 1000;
    expect(row('web-1', 'USE').value).toBeCloseTo(e * 3 * 1.135 * 0.0519, 10);
  });

  it('location: a country first ("Germany" → DE, Ember 0.34206), provider and instance case-insensitive', () => {
    const { row } = assess('rcp', [
      vm({ provider: 'Amazon Web Services', instanceType: 'M5.LARGE', location: 'Germany' }),
    ]);
    expect(row('web-1', 'USE').value).toBeCloseTo(kWh * 1.135 * 0.34206, 9);
  });

  it('criteria the components cannot give: generic server factor × vCPU ratio × yearly share', () => {
    const { row } = assess('rcp', [vm()]);
    // ACIDIFICATION: ademe-server EMBODIED 19.7 mol H+ eq (Boavizta SERVER) × 1/48 × 1/6 = 0.0684028
    const acid = row('web-1', 'MANUFACTURING', 'ACIDIFICATION');
    expect(acid.value).toBeCloseTo(19.7 / 48 / 6, 12);
    expect(acid.trace!.variables.criteriaFromGenericServer!.value).toMatch(/ACIDIFICATION \(EMBODIED 19\.7\)/);
    expect(acid.trace!.variables.criteriaFromComponents!.value).toMatch(/^CLIMATE_CHANGE, RESOURCE_USE/);
    // LAND_USE: neither the components nor the generic server have it
    expect(row('web-1', 'MANUFACTURING', 'LAND_USE')).toMatchObject({
      status: 'ERROR',
      errorCode: 'CALC_FACTOR_MISSING',
    });
  });
});

describe('F15 errors', () => {
  const codeOf = (v: VirtualEquipment, r: Referential = ref('rcp')) => {
    const { row } = assess('rcp', [v], r);
    return row(v.name, 'MANUFACTURING');
  };
  it('unknown provider, instance and region', () => {
    expect(codeOf(vm({ provider: 'Oracle' }))).toMatchObject({
      status: 'ERROR',
      errorCode: 'INP_UNKNOWN_CLOUD_PROVIDER',
    });
    expect(codeOf(vm({ instanceType: 'm5.enormous' }))).toMatchObject({ errorCode: 'INP_UNKNOWN_CLOUD_INSTANCE' });
    const region = codeOf(vm({ location: 'mars-north-1' }));
    expect(region.errorCode).toBe('INP_UNKNOWN_CLOUD_REGION');
    expect(region.errorMessage).toMatchObject({ file: 'cloud.csv', line: 2, details: { value: 'mars-north-1' } });
    // a region of another provider is not a region of this one
    expect(codeOf(vm({ location: 'westeurope' })).errorCode).toBe('INP_UNKNOWN_CLOUD_REGION');
  });
  it('an instance whose platform is not described: CALC_CLOUD_PLATFORM_UNKNOWN', () => {
    const user: ReferentialLayer = {
      ...profileLayer('rcp'),
      name: 'user:test',
      cloudInstances: [
        {
          provider: 'aws',
          id: 'x9.large',
          vcpu: 2,
          memoryGB: 8,
          ssdGB: 0,
          hddGB: 0,
          platform: 'no-such-platform',
          prov: { source: 'test', layer: 'user:test' },
        },
      ],
    };
    const r = mergeLayers([pack.layer, profileLayer('rcp'), user]).referential;
    expect(codeOf(vm({ instanceType: 'x9.large' }), r).errorCode).toBe('CALC_CLOUD_PLATFORM_UNKNOWN');
  });
});

describe('F16 with a catalogue CPU (typeDeProcesseur)', () => {
  it('"annapurna labs graviton2" (case-insensitive): 64 cores per CPU, 457 mm² die, TDP 150 W', () => {
    const make = bottomUpModel(ref('rcp'), 'ademe-server');
    const item = make({ name: 's1', cores: 128, memoryGB: 256, diskGB: 1000, cpuType: 'annapurna labs graviton2' })!;
    // CPU units = max(1, round(128 / 64)) = 2; CPU = 2 × (457 × 0.0197 + 9.14) = 2 × 18.1429 = 36.2858
    // RAM 256 GB → 8 strips × 61.7951023 = 494.3608182; SSD 1000 GB / (1042.8/19) = 18.2201764 cm² × 2.2 + 6.34 = 46.4243882
    // + motherboard 66.1 + PSU 145.314 + rack 150 + assembly 6.68 = 945.1650064 kg
    const ssd = (1000 / (1042.8 / 19)) * 2.2 + 6.34;
    const expected = 2 * (457 * 0.0197 + 9.14) + 8 * ((32 / (13.688 / 11)) * 2.2 + 5.22) + ssd + restGwp;
    expect(expected).toBeCloseTo(945.1650064, 6);
    expect(item.factors.get('MANUFACTURING|CLIMATE_CHANGE')!.value).toBeCloseTo(expected, 9);
    expect(item.description).toMatch(/Annapurna Labs Graviton2/);
    // F17 with the TDP fit: (2 × P(50) + 256 × 0.284) × 1.33 × 8760 / 1000 ≈ (2 × 112.2 + 72.7) × 1.33 × 8.76 ≈ 3462 kWh
    const p50 = p5(cpuPower(50, fitCpuProfile(150)));
    expect(p50).toBeCloseTo(0.75 * 150, 0);
    expect(item.avgKWhPerYear).toBeCloseTo(((2 * p50 + 256 * 0.284) * 1.33 * 8760) / 1000, 9);
    // Without the CPU name: 96 cores → round(96 / 24) = 4 CPUs of 24 cores; die size completed as BoaviztAPI does: the
    // 37 catalogue CPUs with 24 cores and a total_die_size average 30 858.4 / 37 = 834.0108 mm² → 834 (3 significant
    // figures); CPU = 4 × (834 × 0.0197 + 9.14) = 4 × 25.5698 = 102.2792 kg
    const anon = make({ name: 's2', cores: 96, memoryGB: 256, diskGB: 1000 })!;
    expect(anon.factors.get('MANUFACTURING|CLIMATE_CHANGE')!.value).toBeCloseTo(
      expected - 2 * (457 * 0.0197 + 9.14) + 4 * (834 * 0.0197 + 9.14),
      9,
    );
    expect(anon.description).toMatch(/die 834 mm² \(mean total_die_size of 37 CPUs of all families with 24 cores/);
  });
});

/**
 * One instance per provider, by hand from the Boavizta rows (methodology F15–F17; BoaviztAPI 2.4.1 completes the
 * platform's CPU from the catalogue row its name matches: threads, cores, family, TDP, die size as an integer).
 * Common F16 pieces: RAM strip of c GB = (c / (13.688/11)) × 2.2 + 5.22 kg (16 GB: 12.8579778 cm² → 33.5075511;
 * 32 GB: 61.7951023; 360 GB: 289.3052 cm² → 641.6914 kg); SSD of c GB = (c / (1042.8/19)) × 2.2 + 6.34;
 * motherboard 66.1 + rack 150 + assembly 6.68; PSU units × weight × 24.3. One year on a 52 560 h platform = 1/6.
 */
describe('F15 per provider (hand-computed)', () => {
  const est = (provider: string, instanceType: string, location: string) => {
    const e = cloudModel(
      ref('rcp'),
      'rcp',
    )({
      name: 'x',
      infrastructure: 'CLOUD_SERVICES',
      provider,
      instanceType,
      location,
    });
    if ('error' in e) throw new Error(e.error.code);
    return e;
  };
  const ram = (c: number) => (c / (13.688 / 11)) * 2.2 + 5.22;
  const ssd = (c: number) => (c / (1042.8 / 19)) * 2.2 + 6.34;
  const board = 66.1 + 150 + 6.68;

  it('AWS m5.xlarge (m5.metal): 4/96 vCPU, 16/384 GB', () => {
    // (741.5412274 × 16/384 + (42.511 + 368.094) × 4/96) / 6 = (30.8975511 + 17.1085417) / 6 = 8.0010155 kg
    const e = est('aws', 'm5.xlarge', 'eu-west-3');
    expect(e.embodied.CLIMATE_CHANGE).toBeCloseTo((ramGwp / 24 + (cpuGwp + restGwp) / 24) / 6, 10);
    expect(e.embodied.CLIMATE_CHANGE).toBeCloseTo(8.0010155, 6);
    expect(e.details.platformVcpu).toBe(96);
    // a near miss resolves as BoaviztAPI does (Levenshtein 1 − 1/9 ≥ 0.8), with a warning in the trace details
    const typo = est('aws', 'm5.xlarg', 'eu-west-3');
    expect(typo.details.instanceRow).toBe('m5.xlarge');
    expect(typo.details.warnings).toMatch(/'m5\.xlarg' is not in the aws file: nearest id 'm5\.xlarge'/);
  });

  it('GCP n1-standard-4: the host has 2 × 56 threads, not 2 × 112 (issue 8: was 18 % low)', () => {
    // n1-standard: CPU.units 2, CPU.name 'Intel Xeon Scalable Platinum 8173M ', CPU.threads 112 (the whole host),
    // RAM 90 × 360 GB. The catalogue row of that name: 28 cores, 56 threads, TDP 165 W, family Skylake, no die size →
    // vCPU = 56 × 2 = 112; die = mean of the Skylake CPUs with 28 cores and a die size (only 8176M: 694 mm²).
    // CPU 2 × (694 × 0.0197 + 9.14) = 45.6236; rest 66.1 + 2 × 2.99 × 24.3 + 150 + 6.68 = 368.094
    // n1-standard-4: 4 vCPU, 15 GB → (90 × 641.6914 × 15/32400 + (45.6236 + 368.094) × 4/112) / 6
    //   = (26.7371 + 14.7756) / 6 = 6.91879 kg
    const e = est('gcp', 'n1-standard-4', 'europe-west1');
    const expected = ((90 * ram(360) * 15) / 32400 + ((2 * (694 * 0.0197 + 9.14) + restGwp) * 4) / 112) / 6;
    expect(expected).toBeCloseTo(6.91879, 4);
    expect(e.embodied.CLIMATE_CHANGE).toBeCloseTo(expected, 10);
    expect(e.details.platformVcpu).toBe(112);
    expect(e.details.cpuDieMm2).toBe(694);
    // Use: per CPU P(50) of the TDP-165 fit (5 significant figures); P = (2 × P × 4/112 + 15 GB × 0.284) × 1.33
    const p = p5(cpuPower(50, fitCpuProfile(165, CPU_PROFILES['Xeon Platinum'])));
    expect(p).toBeCloseTo(0.75 * 165, -1);
    expect(e.kWh).toBeCloseTo((((2 * p * 4) / 112 + 15 * 0.284) * 1.33 * 8760) / 1000, 9);
  });

  it("Azure Standard_D4s_v3 → d4s_v3 (BoaviztAPI strips 'standard_'), platform Dsv3-Type4", () => {
    // azure.csv has d4s_v3 (Dsv3-Type4) and standard_d4s_v3 (Dsv3-Type3); 'Standard_D4s_v3' is neither id exactly:
    // without 'standard_' and case it is d4s_v3, the first row of that canonical form.
    // Dsv3-Type4: 2 × Intel Xeon Platinum 8370C (catalogue: 32 cores, 64 threads, family Ice Lake-SP without any
    // die size) → vCPU 128; die = mean of the 35 catalogue CPUs with 32 cores = 46 011.5 / 35 = 1314.61 → 1310 mm²;
    // RAM 48 × 16 GB = 768 GB; SSD 1 × 2048 GB. d4s_v3: 4 vCPU, 16 GB, 32 GB SSD.
    // CPU 2 × (1310 × 0.0197 + 9.14) = 69.894; RAM 48 × 33.5075511 = 1608.3625; SSD 2048 GB: 37.3150 cm² → 88.4330
    // (1608.3625 × 16/768 + 88.4330 × 32/2048 + (69.894 + 368.094) × 4/128) / 6
    //   = (33.5075511 + 1.3817656 + 13.686875) / 6 = 8.0960730 kg
    const e = est('azure', 'Standard_D4s_v3', 'westeurope');
    expect(e.details.instanceRow).toBe('d4s_v3');
    expect(e.platform).toBe('Dsv3-Type4');
    const expected =
      ((48 * ram(16) * 16) / 768 + (ssd(2048) * 32) / 2048 + ((2 * (1310 * 0.0197 + 9.14) + restGwp) * 4) / 128) / 6;
    expect(expected).toBeCloseTo(8.096073, 5);
    expect(e.embodied.CLIMATE_CHANGE).toBeCloseTo(expected, 10);
    // the exact id standard_d4s_v3 keeps its own row (Dsv3-Type3)
    expect(est('azure', 'standard_d4s_v3', 'westeurope').platform).toBe('Dsv3-Type3');
  });

  it('OVHcloud b3-8 (General_Purpose_b3, 2 × AMD EPYC 7763)', () => {
    // EPYC 7763: 64 cores, 128 threads, total_die_size 1064 → vCPU 2 × 128 = 256; RAM 8 × 16 GB = 128 GB;
    // SSD 1 × 400 GB (7.28800 cm² → 22.3736 kg). b3-8: 2 vCPU, 8 GB, 50 GB SSD.
    // CPU 2 × (1064 × 0.0197 + 9.14) = 60.2016; (268.0604 × 8/128 + 22.3736 × 50/400 + (60.2016 + 368.094) × 2/256) / 6
    //   = (16.7538 + 2.7967 + 3.3461) / 6 = 3.81609 kg
    const e = est('ovhcloud', 'b3-8', 'eu-west-gra');
    const expected =
      ((8 * ram(16) * 8) / 128 + (ssd(400) * 50) / 400 + ((2 * (1064 * 0.0197 + 9.14) + restGwp) * 2) / 256) / 6;
    expect(expected).toBeCloseTo(3.81609, 4);
    expect(e.embodied.CLIMATE_CHANGE).toBeCloseTo(expected, 10);
    expect(e.location).toBe('FR');
  });

  it('Scaleway DEV1-S (scw_dev1.base, 1 × AMD EPYC 7281, power supplies of 0 kg)', () => {
    // 'DEV1-S' → dev1-s (case). EPYC 7281: 16 cores, 32 threads (the archetype's CPU.threads 64 is not used), family
    // Naples; the only Naples CPU with a die size is EPYC 7571 (32 cores, 852 mm²) → rule of three 852 × 16/32 = 426.
    // vCPU 32; RAM 8 × 32 GB = 256 GB; SSD 5 × 976 GB = 4880 GB; PSU 2 × 0 kg. dev1-s: 2 vCPU, 2 GB, 10 GB SSD.
    // CPU 426 × 0.0197 + 9.14 = 17.5322; SSD 5 × 45.46236 = 227.3118; rest 66.1 + 0 + 150 + 6.68 = 222.78
    // (494.3608 × 2/256 + 227.3118 × 10/4880 + (17.5322 + 222.78) × 2/32) / 6 = (3.86219 + 0.46580 + 15.01951) / 6
    //   = 3.22458 kg
    const e = est('scaleway', 'DEV1-S', 'fr-par');
    const expected =
      ((8 * ram(32) * 2) / 256 + (5 * ssd(976) * 10) / 4880 + ((426 * 0.0197 + 9.14 + board) * 2) / 32) / 6;
    expect(expected).toBeCloseTo(3.22458, 4);
    expect(e.embodied.CLIMATE_CHANGE).toBeCloseTo(expected, 10);
    expect(e.details.platformVcpu).toBe(32);
    expect(e.details.cpuDieMm2).toBe(426);
  });
});

describe('trace of the default server electricity (issue 8)', () => {
  it("E cites the power figure's source (ACV-NUM serveur . puissance), not the first factor's (Boavizta SERVER.ap)", () => {
    const r = ref('rcp');
    const out = assessInventory(
      { physical: [{ name: 'srv', model: 'zz-unknown', type: 'Server', quantity: 1, country: 'France' }] },
      r,
      { ...CTX, criteria: ['CLIMATE_CHANGE'] },
      engineHooks(r),
    );
    const use = out.indicators.find((i) => i.lifecycleStep === 'USE')!;
    // ACV-NUM: serveur . puissance 367 W × 24 h × 365 / 1000 = 3214.92 kWh/yr
    expect(use.trace!.variables.E).toMatchObject({ value: 3214.92, origin: 'REFERENCE' });
    expect(use.trace!.variables.E!.ref).toMatchObject({
      key: 'ademe-server',
      source: expect.stringMatching(
        /publicodes-acv-numerique.*\(serveur \. puissance; serveur \. puissance en mode actif\)/,
      ),
      licence: 'MIT',
    });
    // the factors keep their own sources
    const acid = r.items.get('ademe-server')!.factors.get('EMBODIED|ACIDIFICATION')!;
    expect(acid.prov.source).toMatch(/SERVER\.ap/);
  });
});
