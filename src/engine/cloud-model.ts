/**
 * The Boavizta cloud instance model (methodology F15) over the cloud archetypes of the active referential: provider +
 * instance type → bare-metal platform → the instance's yearly MANUFACTURING share and electricity (see `cloud.ts` for
 * how the engine turns them into indicators). Pure.
 */
import type { CloudEstimate, CloudModel } from './cloud.js';
import type { Profile } from './context.js';
import { refOf, type Sourced } from './trace.js';
import { issue, type Issue } from '../issues/catalogue.js';
import type { VirtualEquipment } from '../inventory/model.js';
import {
  CRITERION_OF,
  cloudInstanceImpact,
  cpuProfileFor,
  type CloudPlatform,
  type Impacts,
} from '../referential/boavizta/components.js';
import { resolveInstanceName, type InstanceNameMatch } from '../referential/boavizta/cloud-names.js';
import { cpuFuzzyLookup, dieSizeFallback, inFileOrder } from '../referential/boavizta/cpu-lookup.js';
import { foldKey } from '../referential/codes.js';
import { normaliseLocation } from '../referential/countries.js';
import { hypothesisNumber } from '../referential/hypotheses.js';
import { cloudKey, type CloudInstanceRow, type CloudPlatformRow, type Referential } from '../referential/model.js';

/** Generic server item whose non-component criteria complete bottom-up servers and cloud instances. */
export const DEFAULT_GENERIC_SERVER = 'ademe-server';
const F15_SOURCE =
  'Boavizta/boaviztapi v2.4.1: boaviztapi/data/archetypes/cloud/*.csv, archetypes/server.csv, factors.yml (UBA Texte 94/2021), methodology F15–F17';
/** §9 #8, #28: what G4IT sends to Boavizta (`teamg4it/g4it: …/external/boavizta/client/BoaviztapiClient.java`). */
const NUMECOEVAL_HOURS_LIFE_TIME = 43800;
const NUMECOEVAL_CLOUD_SOURCE =
  'methodology F15, §9 #8 and #28 (numecoeval): Boavizta applies no PUE; G4IT sends HOURS_LIFE_TIME 43 800 h, USE_TIME_RATIO 1 (teamg4it/g4it: …/external/boavizta/client/BoaviztapiClient.java)';

interface PreparedPlatform {
  readonly row: CloudPlatformRow;
  readonly model: CloudPlatform;
  readonly details: Readonly<Record<string, number | string>>;
}

export interface CloudModelOptions {
  /** Generic server item for the criteria the component data do not cover (default `ademe-server`). */
  readonly genericServerItem?: string;
}

/**
 * F15: the Boavizta cloud instance model over the referential's cloud archetypes.
 *
 * provider (code, description or synonym, case-insensitive) + instance type (resolved as BoaviztAPI's
 * `fuzzymatch_cloud_instance_name`: `cloud-names.ts`) → instance row → platform (bare-metal archetype, its CPU completed
 * from the catalogue as BoaviztAPI does) → F16 components × instance/platform ratios × min(1, h/H_life) × quantity for
 * CLIMATE_CHANGE, RESOURCE_USE and PRIMARY_ENERGY; every other criterion = the generic server's factor × vCPU ratio ×
 * min(1, h/H_life) × quantity (F15). Use: F17 power at `chargeMoy` (default: the platform's load, 50 %) × h / 1000.
 * Location: a country first, else the provider's region → country. `rcp`: H_life = platform `hours_life_time`,
 * PUE = `PUE_cloud_<PROVIDER>` else `PUEParDefaut`; `numecoeval`: H_life = 43 800 h, PUE 1 (§9 #8, #28).
 */
export function cloudModel(ref: Referential, profile: Profile, opts: CloudModelOptions = {}): CloudModel {
  const cloud = ref.cloud;
  const generic = ref.items.get(opts.genericServerItem ?? DEFAULT_GENERIC_SERVER);
  const cpuOf = cpuFuzzyLookup(ref);
  const cpuSpecs = [...(ref.cpuSpecs?.values() ?? [])];
  // Instance ids per provider in file order: the candidates of BoaviztAPI's name resolution (F15).
  const idsByProvider = new Map<string, string[]>();
  const rowById = new Map<string, CloudInstanceRow>();
  const resolvedNames = new Map<string, InstanceNameMatch | undefined>();
  for (const i of inFileOrder([...(cloud?.instances.values() ?? [])])) {
    const code = i.provider.trim().toLowerCase();
    const ids = idsByProvider.get(code);
    if (ids) ids.push(i.id);
    else idsByProvider.set(code, [i.id]);
    rowById.set(`${code}\u0000${i.id}`, i);
  }
  // Provider names: codes of the provider table and of the instance rows, descriptions, synonyms (foldKey).
  const providerByName = new Map<string, string>();
  const addName = (name: string | undefined, code: string) => {
    if (name !== undefined && foldKey(name) !== '' && !providerByName.has(foldKey(name)))
      providerByName.set(foldKey(name), code);
  };
  for (const p of cloud?.providers.values() ?? []) addName(p.provider, p.provider.trim().toLowerCase());
  for (const i of cloud?.instances.values() ?? []) addName(i.provider, i.provider.trim().toLowerCase());
  for (const p of cloud?.providers.values() ?? []) {
    addName(p.description, p.provider.trim().toLowerCase());
    for (const s of p.synonyms ?? []) addName(s, p.provider.trim().toLowerCase());
  }
  // Largest instance of each platform: the platform's vCPU when its CPU threads are unknown (choice).
  const maxVcpu = new Map<string, number>();
  for (const i of cloud?.instances.values() ?? [])
    maxVcpu.set(i.platform, Math.max(maxVcpu.get(i.platform) ?? 0, i.vcpu));
  const platforms = new Map<string, PreparedPlatform>();
  const pues = new Map<string, Sourced>();

  const prepare = (row: CloudPlatformRow): PreparedPlatform => {
    const hit = platforms.get(row.id);
    if (hit) return hit;
    // F15: the platform's CPU completed as BoaviztAPI does (`_complete_from_name`): the catalogue row its name
    // fuzzy-matches gives threads, cores, family, TDP and die size, which win over the archetype's cells.
    const match = row.cpuName !== undefined ? cpuOf(row.cpuName) : undefined;
    const cpu = match?.cpu;
    const matchText = match ? `'${cpu!.name}' (cpu_specs.csv, name score ${round2(match.score)})` : '';
    const threads = cpu?.threads ?? row.cpuThreads;
    const vcpu = threads !== undefined ? threads * row.cpuUnits : (maxVcpu.get(row.id) ?? 0);
    const vcpuRule =
      cpu?.threads !== undefined
        ? `threads ${cpu.threads} of ${matchText} × ${row.cpuUnits} CPU` +
          (row.cpuThreads !== undefined && row.cpuThreads !== cpu.threads
            ? ` (the archetype's CPU.threads ${row.cpuThreads} is not used: the catalogue wins, as in BoaviztAPI)`
            : '')
        : threads !== undefined
          ? `CPU.threads ${threads} × ${row.cpuUnits} CPU (archetype)`
          : `CPU threads unknown: largest instance on the platform, ${vcpu} vCPU (choice)`;
    // F16 die size: catalogue total_die_size (an integer, as BoaviztAPI reads it), else cores × die_size_per_core of
    // the archetype, else BoaviztAPI's completion from the catalogue (family, then core count).
    const cores = cpu?.cores ?? row.cpuCoreUnits;
    let die: number;
    let dieRule: string;
    if (cpu?.totalDieSizeMm2 !== undefined) {
      die = Math.trunc(cpu.totalDieSizeMm2);
      dieRule = `total_die_size ${cpu.totalDieSizeMm2} of ${matchText}, integer part (BoaviztAPI)`;
    } else if (cores !== undefined && row.cpuDieSizePerCoreMm2 !== undefined) {
      die = cores * row.cpuDieSizePerCoreMm2;
      dieRule = `${cores} cores × ${row.cpuDieSizePerCoreMm2} mm² per core (archetype)`;
    } else {
      const f = dieSizeFallback(cpuSpecs, {
        ...(cpu?.family !== undefined ? { family: cpu.family } : {}),
        ...(cpu?.cores !== undefined ? { cores: cpu.cores } : {}),
      });
      die = f.value;
      dieRule = f.rule;
    }
    const power = cpuProfileFor(cpu);
    const model: CloudPlatform = {
      config: {
        cpuUnits: row.cpuUnits,
        cpuDieMm2: die,
        ramUnits: row.ramUnits,
        ramCapacityGB: row.ramCapacityGB,
        ssdUnits: row.ssdUnits,
        ssdCapacityGB: row.ssdCapacityGB,
        hddUnits: row.hddUnits,
        powerSupplyUnits: row.powerSupplyUnits,
        powerSupplyWeightKg: row.powerSupplyWeightKg,
        caseType: row.caseType,
      },
      vcpu,
      memoryGB: row.ramUnits * row.ramCapacityGB,
      ssdGB: row.ssdUnits * row.ssdCapacityGB,
      hddGB: row.hddUnits * row.hddCapacityGB,
      hoursLifeTime: row.hoursLifeTime,
      profile: power.profile,
      otherConsumptionRatio: row.otherConsumptionRatio,
    };
    const p: PreparedPlatform = {
      row,
      model,
      details: {
        platformVcpu: vcpu,
        platformVcpuRule: vcpuRule,
        platformMemoryGB: model.memoryGB,
        platformSsdGB: model.ssdGB,
        platformHddGB: model.hddGB,
        cpu: cpu ? `${cpu.name} (archetype: ${row.cpuName})` : (row.cpuName ?? '(none)'),
        cpuDieMm2: die,
        cpuDieRule: dieRule,
        cpuProfile: `a=${power.profile.a} b=${power.profile.b} c=${power.profile.c} d=${power.profile.d}`,
        cpuProfileRule: power.rule,
        otherConsumptionRatio: row.otherConsumptionRatio,
      },
    };
    platforms.set(row.id, p);
    return p;
  };

  const pueOf = (provider: string): Sourced => {
    const hit = pues.get(provider);
    if (hit) return hit;
    let pue: Sourced;
    if (profile !== 'rcp') pue = { value: 1, origin: 'DEFAULT', ref: { source: NUMECOEVAL_CLOUD_SOURCE } };
    else {
      const code = `PUE_cloud_${provider.toUpperCase()}`;
      const h = hypothesisNumber(ref, code) ?? hypothesisNumber(ref, 'PUEParDefaut');
      pue = h
        ? {
            value: h.value,
            origin: 'HYPOTHESIS',
            ref: refOf(h.prov, hypothesisNumber(ref, code) ? code : 'PUEParDefaut'),
          }
        : { value: 1, origin: 'DEFAULT', ref: { source: 'no PUE hypothesis in the referential' } };
    }
    pues.set(provider, pue);
    return pue;
  };

  return (vm: VirtualEquipment): CloudEstimate | { readonly error: Issue } => {
    const at = vm.at ? { file: vm.at.file, line: vm.at.line } : {};
    const line = vm.at?.line ?? 0;
    const fail = (
      code: 'INP_UNKNOWN_CLOUD_PROVIDER' | 'INP_UNKNOWN_CLOUD_INSTANCE' | 'INP_UNKNOWN_CLOUD_REGION',
      what: string,
      value: string,
    ) => ({ error: issue(code, { line, what, value }, at) });
    const required = (field: string) => ({ error: issue('INP_CLOUD_FIELD_REQUIRED', { line, field }, at) });
    if (vm.provider === undefined || vm.provider.trim() === '') return required('provider');
    if (vm.instanceType === undefined || vm.instanceType.trim() === '') return required('typeInstance');
    if (vm.location === undefined || vm.location.trim() === '') return required('location');
    const provider = providerByName.get(foldKey(vm.provider));
    if (provider === undefined) {
      const known = [...new Set(providerByName.values())].sort().join(', ');
      return fail('INP_UNKNOWN_CLOUD_PROVIDER', `cloud provider (known: ${known || 'none'})`, vm.provider);
    }
    // F15: the instance row BoaviztAPI resolves the name to (exact id, canonical forms, then Hamming/Levenshtein).
    const nameKey = `${provider}\u0000${vm.instanceType}`;
    let named = resolvedNames.get(nameKey);
    if (named === undefined && !resolvedNames.has(nameKey)) {
      named = resolveInstanceName(vm.instanceType, idsByProvider.get(provider) ?? []);
      resolvedNames.set(nameKey, named);
    }
    const inst = named ? rowById.get(`${provider}\u0000${named.id}`) : undefined;
    if (!named || !inst) return fail('INP_UNKNOWN_CLOUD_INSTANCE', `instance type of ${provider}`, vm.instanceType);
    // Location: a country first (G4IT sends a country), else a region of the provider.
    const country = normaliseLocation(vm.location);
    const region = country ? undefined : cloud?.regions.get(cloudKey(provider, vm.location));
    if (!country && !region) return fail('INP_UNKNOWN_CLOUD_REGION', `country or region of ${provider}`, vm.location);
    const location = country ? country.key : region!.location;
    const row = cloud?.platforms.get(inst.platform);
    if (!row)
      return {
        error: issue(
          'CALC_CLOUD_PLATFORM_UNKNOWN',
          { instance: `${provider} ${inst.id} (platform '${inst.platform}')` },
          at,
        ),
      };
    const p = prepare(row);
    if (!(p.model.vcpu > 0))
      return {
        error: issue(
          'CALC_CLOUD_PLATFORM_UNKNOWN',
          { instance: `${provider} ${inst.id} (platform '${inst.platform}' has no vCPU count)` },
          at,
        ),
      };
    const hours = vm.annualHours ?? 8760;
    const load = vm.avgLoad ?? row.load ?? 50;
    const quantity = vm.quantity ?? 1;
    const hLife = profile === 'rcp' ? row.hoursLifeTime : NUMECOEVAL_HOURS_LIFE_TIME;
    const res = cloudInstanceImpact(
      { vcpu: inst.vcpu, memoryGB: inst.memoryGB, ssdGB: inst.ssdGB, hddGB: inst.hddGB },
      p.model,
      { hours, load, quantity, pue: 1, mixKgPerKWh: 0, hoursLifeTime: hLife },
    );
    const vcpuRatio = inst.vcpu / p.model.vcpu;
    const share = Math.min(1, hours / hLife);
    const embodied: Record<string, number> = {};
    const fromComponents: string[] = [];
    for (const [k, criterion] of Object.entries(CRITERION_OF)) {
      embodied[criterion] = res.embodied[k as keyof Impacts];
      fromComponents.push(criterion);
    }
    // F15: criteria the components cannot give → generic server factor × vCPU ratio × yearly share × quantity.
    const fromGeneric: string[] = [];
    if (generic) {
      const byCriterion = new Map<string, { value: number; step: string }>();
      for (const [k, f] of generic.factors) {
        const sep = k.indexOf('|');
        const step = k.slice(0, sep);
        const criterion = k.slice(sep + 1);
        if (criterion in embodied || (step !== 'MANUFACTURING' && step !== 'EMBODIED')) continue;
        const cur = byCriterion.get(criterion);
        if (!cur || (cur.step === 'EMBODIED' && step === 'MANUFACTURING'))
          byCriterion.set(criterion, { value: f.value, step });
      }
      for (const [criterion, f] of [...byCriterion].sort(([a], [b]) => (a < b ? -1 : 1))) {
        embodied[criterion] = f.value * vcpuRatio * share * quantity;
        fromGeneric.push(`${criterion} (${f.step} ${f.value})`);
      }
    }
    const warnings: string[] = [];
    if (named.via === 'HAMMING' || named.via === 'LEVENSHTEIN')
      warnings.push(
        `instance type '${vm.instanceType}' is not in the ${provider} file: nearest id '${inst.id}' (${named.via.toLowerCase()} similarity ${round2(named.score ?? 0)}, BoaviztAPI fuzzy match)`,
      );
    if (inst.ssdGB > 0 && p.model.ssdGB === 0)
      warnings.push(`instance SSD ${inst.ssdGB} GB on a platform without SSD: SSD share 0`);
    if (inst.hddGB > 0 && p.model.hddGB === 0)
      warnings.push(`instance HDD ${inst.hddGB} GB on a platform without HDD: HDD share 0`);
    if (inst.gpu !== undefined) warnings.push(`GPU '${inst.gpu}' not modelled (no GPU factor in F16)`);
    return {
      embodied,
      kWh: res.kWh,
      pue: pueOf(provider),
      location,
      platform: row.id,
      source: `${F15_SOURCE}; instance ${inst.prov.source}; platform ${row.prov.source}`,
      details: {
        provider,
        instanceRow: inst.id,
        instanceMatch:
          named.via === 'EXACT'
            ? 'same id'
            : named.via === 'NORMALISED'
              ? `'${vm.instanceType}' → '${inst.id}': same name without 'standard_', case and separators (BoaviztAPI fuzzymatch_cloud_instance_name)`
              : `'${vm.instanceType}' → '${inst.id}': ${named.via.toLowerCase()} similarity ${round2(named.score ?? 0)} ≥ 0.8 (BoaviztAPI fuzzymatch_cloud_instance_name)`,
        vcpu: inst.vcpu,
        memoryGB: inst.memoryGB,
        ssdGB: inst.ssdGB,
        hddGB: inst.hddGB,
        ...p.details,
        vcpuRatio,
        memoryRatio: p.model.memoryGB > 0 ? inst.memoryGB / p.model.memoryGB : 0,
        hours,
        hoursLifeTime: hLife,
        hoursLifeTimeRule:
          profile === 'rcp' ? 'platform hours_life_time (archetypes/server.csv)' : NUMECOEVAL_CLOUD_SOURCE,
        yearlyShare: share,
        load,
        locationRule: country
          ? `country '${vm.location}' → ${location}`
          : `region ${provider} '${region!.region}' → ${region!.locationLabel} → ${location} (archetypes/cloud/regions.csv)`,
        criteriaFromComponents: `${fromComponents.join(', ')}: Boavizta components (F16) × ratios × yearly share × quantity`,
        criteriaFromGenericServer: fromGeneric.length
          ? `${fromGeneric.join('; ')}: generic server '${generic!.name}' × vCPU ratio × yearly share × quantity (F15)`
          : 'none',
        ...(warnings.length ? { warnings: warnings.join('; ') } : {}),
      },
    };
  };
}

const round2 = (x: number): number => Math.round(x * 100) / 100;
