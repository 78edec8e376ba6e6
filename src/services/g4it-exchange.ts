/**
 * G4IT's digital-service files ↔ Empreinte's service description (issue 14). Pure: tables in, a description out, and
 * back; reading and writing the zip or folder is the application layer's (`src/app/service-g4it.ts`).
 *
 * The format is the one G4IT's digital-service export writes into its zip (`ExportService`, rows by
 * `InputToCsvRecord`, headers from `csv-headers.yml`) and its digital-service import templates read (`ds_*.csv`):
 * - `datacenter.csv`: nomCourtDatacenter;nomLongDatacenter;pue;localisation;nomEntite;nomSourceDonnee
 * - `physical_equipment.csv`, one row per terminal line, network line and non-cloud server, told apart by `type`
 *   (`Terminal`, `Network`, `Dedicated Server`, `Shared Server`, G4IT's `DigitalServiceType`), NumEcoEval's
 *   physical-equipment columns plus `dureeUtilisation` and `nombreUtilisateur`;
 * - `virtual_equipment.csv`: cloud instances (`typeInfrastructure` CLOUD_SERVICES) and the virtual machines of shared
 *   servers (NON_CLOUD_SERVERS);
 * - indicator files (`ind_*.csv`) and `application.csv` are outputs or inventory files: not read.
 * Source: teamg4it/g4it (Apache-2.0), services/backend/src/main/java/…/apiinout/mapper/InputToCsvRecord.java,
 * services/backend/src/main/resources/csv-headers.yml, the frontend's digital-services components (how each part is
 * written: terminal quantity = users × hours / 8760, dates 2020-01-01 → + 365 × lifespan days, network quantity =
 * lines for a fixed type (GB ÷ the type's yearly GB) or GB for a mobile one, dedicated server quantity = servers ×
 * hours / 8760, a VM's `chargeMoy` in %).
 *
 * Mapping (docs/services.md "G4IT digital-service files"): a G4IT digital service becomes a `business_application` of
 * the generic model, functional unit one service-year, profile `numecoeval` (G4IT's calendar-hours allocation);
 * terminal rows → `usage.terminals`, network rows → `usage.network` shares of the yearly GB (one session a year
 * carrying them), servers → `servers[].server`, cloud instances → `servers[].instance`.
 */
import { EmpreinteError, issue } from '../issues/catalogue.js';
import type { Location } from '../issues/catalogue.js';
import type { HostKind, HostSize, ServiceReferenceData } from './reference-data.js';
import { gbPerSession, genericVolumes } from './generic.js';
import { resolveModel } from './assess.js';
import { HOURS_PER_YEAR } from './schema.js';
import type { HostServer, Instance, ServiceDefinition, ServiceDefinitionInput } from './schema.js';
import { fail, pathString } from './source.js';
import type { DocPath, ServiceSource } from './source.js';

/** Column orders of G4IT's export (csv-headers.yml: `datacenter`, `equipementPhysique`, `virtualEquipment`). */
export const G4IT_DS_HEADERS = {
  datacenter: ['nomCourtDatacenter', 'nomLongDatacenter', 'pue', 'localisation', 'nomEntite', 'nomSourceDonnee'],
  physical: [
    'nomEquipementPhysique',
    'nomEntite',
    'nomSourceDonnee',
    'modele',
    'quantite',
    'type',
    'statut',
    'paysDUtilisation',
    'utilisateur',
    'dateAchat',
    'dateRetrait',
    'nbCoeur',
    'nomCourtDatacenter',
    'consoElecAnnuelle',
    'fabricant',
    'tailleDuDisque',
    'tailleMemoire',
    'typeDeProcesseur',
    'dureeUtilisation',
    'nombreUtilisateur',
  ],
  virtual: [
    'nomEquipementVirtuel',
    'typeInfrastructure',
    'quantite',
    'provider',
    'typeInstance',
    'location',
    'chargeMoy',
    'dureeUtilisationAnnuelle',
    'nomEquipementPhysique',
    'nomSourceDonneeEquipementPhysique',
    'vCPU',
    'nomEntite',
    'cluster',
    'consoElecAn',
    'typeEqv',
    'cleRepartition',
    'nomSourceDonnee',
    'capaciteStockage',
  ],
} as const;

/** File names in G4IT's export zip (`FileType.getFileName`). */
export const G4IT_DS_FILES = {
  datacenter: 'datacenter.csv',
  physical: 'physical_equipment.csv',
  virtual: 'virtual_equipment.csv',
} as const;
export type G4itTableKind = keyof typeof G4IT_DS_FILES;

/** G4IT's `DigitalServiceType` values. */
const TYPES = ['Terminal', 'Network', 'Dedicated Server', 'Shared Server'] as const;
/** G4IT writes a digital service's equipment as bought on this date (terminals, networks, servers). */
const G4IT_PURCHASE = '2020-01-01';
/** Country of each G4IT network type (`ref_network_type.csv`, column `country`). */
const NETWORK_COUNTRY: Readonly<Record<string, string>> = {
  'fixed-line-network-1': 'France',
  'mobile-network-1': 'France',
  'fixed-line-network-2': 'Europe',
  'mobile-network-2': 'Europe',
};

export interface G4itRow {
  /** 1-based line in its file (header = 1). */
  readonly line: number;
  readonly cells: Readonly<Record<string, string>>;
}
export interface G4itTable {
  /** Name shown in errors (`export.zip:physical_equipment.csv`). */
  readonly file: string;
  readonly header: readonly string[];
  readonly rows: readonly G4itRow[];
}
export type G4itTables = Partial<Record<G4itTableKind, G4itTable>>;

/** What the mapping needs from the run's referential. */
export interface G4itLookups {
  /** How a terminal `modele` is known: a device type (G4IT `ref_device_type` code), a reference item, or not at all. */
  terminalModel(code: string): 'deviceType' | 'item' | undefined;
  /** A network type of the referential (G4IT `ref_network_type`), matched case-insensitively. */
  networkType(code: string): { readonly kind: 'FIXED' | 'MOBILE'; readonly annualGBPerLine?: number } | undefined;
  /** Codes of the referential's network types. */
  networkTypeCodes(): readonly string[];
  /** The referential's S/M/L server host archetypes (G4IT `ref_server_host`): item and vCPU or total disk. */
  hostArchetypes(): readonly {
    readonly kind: HostKind;
    readonly size: HostSize;
    readonly item: string;
    readonly capacity?: number;
  }[];
}

/** The lookups of the mapping from the run's reference data (network types and hosts from the active referential). */
export function g4itLookupsOf(data: ServiceReferenceData): G4itLookups {
  return {
    terminalModel: (code) =>
      data.deviceType(code)?.defaultRefItem !== undefined ? 'deviceType' : data.device(code) ? 'item' : undefined,
    networkType: (code) => {
      const t = data.networkType(code);
      return t
        ? { kind: t.kind, ...(t.annualGBPerLine ? { annualGBPerLine: t.annualGBPerLine.value } : {}) }
        : undefined;
    },
    networkTypeCodes: () => data.networkTypeCodes(),
    hostArchetypes: () =>
      data.serverHostArchetypes().map((h) => ({
        kind: h.kind,
        size: h.size,
        item: h.item,
        ...(h.capacity ? { capacity: h.capacity.value } : {}),
      })),
  };
}

function bad(file: string, at: Omit<Location, 'file'>, reason: string): never {
  throw new EmpreinteError(issue('SVC_G4IT_INVALID', { file, reason }, { file, ...at }));
}

/** Cell reader of one row: text (trimmed, empty → undefined) and numbers (`.` decimals as G4IT writes them). */
function cellsOf(t: G4itTable, r: G4itRow) {
  const text = (col: string): string | undefined => {
    const v = r.cells[col]?.trim();
    return v === undefined || v === '' ? undefined : v;
  };
  const need = (col: string): string =>
    text(col) ?? bad(t.file, { line: r.line, column: col }, `column '${col}' is empty on line ${r.line}`);
  const num = (col: string): number | undefined => {
    const v = text(col);
    if (v === undefined) return undefined;
    const n = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(v) ? Number(v) : NaN;
    if (!Number.isFinite(n))
      bad(t.file, { line: r.line, column: col }, `'${v}' in column '${col}' is not a number (G4IT writes 1234.5)`);
    return n;
  };
  const needNum = (col: string): number =>
    num(col) ?? bad(t.file, { line: r.line, column: col }, `column '${col}' is empty on line ${r.line}`);
  const date = (col: string): number | undefined => {
    const v = text(col);
    if (v === undefined) return undefined;
    const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(v);
    const ms = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : NaN;
    if (!Number.isFinite(ms)) bad(t.file, { line: r.line, column: col }, `'${v}' is not a date (yyyy-mm-dd)`);
    return ms;
  };
  return { text, need, num, needNum, date };
}

const DAY_MS = 86_400_000;

/** Years between purchase and withdrawal as G4IT writes them (withdrawal = purchase + 365 × lifespan days). */
function lifespanOf(c: ReturnType<typeof cellsOf>, file: string, line: number): number | undefined {
  const from = c.date('dateAchat');
  const to = c.date('dateRetrait');
  if (from === undefined || to === undefined) return undefined;
  if (to <= from) bad(file, { line, column: 'dateRetrait' }, 'dateRetrait is not after dateAchat');
  return (to - from) / DAY_MS / 365;
}

type ServerLinkInput = NonNullable<ServiceDefinitionInput['servers']>[number];
type TerminalInput = NonNullable<NonNullable<ServiceDefinitionInput['usage']>['terminals']>[number];

/** The host archetype of a G4IT server `modele` (the referential's S/M/L rows of ref_server_host), else undefined. */
function archetypeOf(
  lookups: G4itLookups,
  model: string,
): ReturnType<G4itLookups['hostArchetypes']>[number] | undefined {
  return lookups.hostArchetypes().find((a) => a.item === model);
}

/**
 * A G4IT digital service (its datacenter, physical and virtual equipment tables) as an Empreinte description, not yet
 * validated (the caller runs `validateServiceDefinition`). Every refused row names its file, line and column.
 */
export function serviceFromG4it(
  tables: G4itTables,
  lookups: G4itLookups,
  meta: { readonly service: string; readonly description: string },
): ServiceDefinitionInput {
  const physical = tables.physical;
  const virtual = tables.virtual;
  const dcTable = tables.datacenter;
  const datacenters = new Map<string, { location: string; pue?: number }>();
  for (const r of dcTable?.rows ?? []) {
    const c = cellsOf(dcTable!, r);
    const pue = c.num('pue');
    if (pue !== undefined && pue < 1) bad(dcTable!.file, { line: r.line, column: 'pue' }, `PUE ${pue} is below 1`);
    datacenters.set(c.need('nomCourtDatacenter'), {
      location: c.need('localisation'),
      ...(pue !== undefined ? { pue } : {}),
    });
  }

  const terminals: TerminalInput[] = [];
  const gbByCode = new Map<string, number>();
  const servers: ServerLinkInput[] = [];
  const shared = new Map<
    string,
    { row: G4itRow; model: string; datacenter: { location: string; pue?: number }; c: ReturnType<typeof cellsOf> }
  >();
  for (const r of physical?.rows ?? []) {
    const t = physical!;
    const c = cellsOf(t, r);
    const rawType = c.need('type');
    const type = TYPES.find((x) => x.toLowerCase() === rawType.toLowerCase());
    if (type === undefined)
      bad(
        t.file,
        { line: r.line, column: 'type' },
        `type '${rawType}' is not a digital-service type; accepted: ${TYPES.join(', ')}`,
      );
    const name = c.need('nomEquipementPhysique');
    const model = c.need('modele');
    if (type === 'Terminal') {
      const kind = lookups.terminalModel(model);
      if (kind === undefined)
        bad(
          t.file,
          { line: r.line, column: 'modele' },
          `device type '${model}' is neither a G4IT device type nor a reference item of the referential (G4IT's codes need its referential folder: --referential)`,
        );
      const users = c.needNum('nombreUtilisateur');
      if (users <= 0) bad(t.file, { line: r.line, column: 'nombreUtilisateur' }, `${users} users (must be above 0)`);
      const hours = c.needNum('dureeUtilisation');
      if (hours < 0 || hours > HOURS_PER_YEAR)
        bad(
          t.file,
          { line: r.line, column: 'dureeUtilisation' },
          `${hours} hours per user per year (accepted: 0 to ${HOURS_PER_YEAR})`,
        );
      const lifespanYears = lifespanOf(c, t.file, r.line);
      terminals.push({
        label: name,
        ...(kind === 'deviceType' ? { deviceType: model } : { item: model }),
        country: c.need('paysDUtilisation'),
        users,
        hoursPerUserPerYear: hours,
        ...(lifespanYears !== undefined ? { lifespanYears } : {}),
      });
    } else if (type === 'Network') {
      const code = model.toLowerCase();
      const net = lookups.networkType(code);
      if (net === undefined)
        bad(
          t.file,
          { line: r.line, column: 'modele' },
          `network type '${model}' is unknown; accepted: ${lookups.networkTypeCodes().join(', ')}`,
        );
      const q = c.needNum('quantite');
      if (q < 0) bad(t.file, { line: r.line, column: 'quantite' }, `quantity ${q} is negative`);
      let gb = q;
      if (net.kind === 'FIXED') {
        const capacity = net.annualGBPerLine;
        if (capacity === undefined)
          bad(
            t.file,
            { line: r.line, column: 'modele' },
            `the yearly GB of a '${code}' line (annual_quantity_of_go of its network type) is not in the referential`,
          );
        gb = q * capacity;
      }
      gbByCode.set(code, (gbByCode.get(code) ?? 0) + gb);
    } else {
      const dcName = c.text('nomCourtDatacenter');
      let datacenter: { location: string; pue?: number };
      if (dcName !== undefined) {
        const dc = datacenters.get(dcName);
        if (dc === undefined)
          bad(
            t.file,
            { line: r.line, column: 'nomCourtDatacenter' },
            `datacenter '${dcName}' is not in ${dcTable?.file ?? G4IT_DS_FILES.datacenter}`,
          );
        datacenter = dc;
      } else datacenter = { location: c.need('paysDUtilisation') };
      if (type === 'Shared Server') {
        if (shared.has(name))
          bad(t.file, { line: r.line, column: 'nomEquipementPhysique' }, `server '${name}' is given twice`);
        shared.set(name, { row: r, model, datacenter, c });
        continue;
      }
      const q = c.needNum('quantite');
      const hours = c.num('dureeUtilisation');
      if (hours !== undefined && (hours <= 0 || hours > HOURS_PER_YEAR))
        bad(
          t.file,
          { line: r.line, column: 'dureeUtilisation' },
          `${hours} operating hours per year (accepted: above 0, up to ${HOURS_PER_YEAR})`,
        );
      // G4IT folds the operating time into the quantity of a dedicated server (servers × hours / 8760).
      const quantity = hours !== undefined ? (q * HOURS_PER_YEAR) / hours : q;
      const lifespanYears = lifespanOf(c, t.file, r.line);
      const arch = archetypeOf(lookups, model);
      servers.push({
        label: name,
        server: {
          mode: 'dedicated',
          ...(arch ? { size: arch.size, kind: arch.kind } : { item: model }),
          quantity,
          ...(hours !== undefined ? { hoursPerYear: hours } : {}),
          ...(lifespanYears !== undefined ? { lifespanYears } : {}),
          datacenter,
        },
      });
    }
  }

  const usedHosts = new Set<string>();
  for (const r of virtual?.rows ?? []) {
    const t = virtual!;
    const c = cellsOf(t, r);
    const name = c.need('nomEquipementVirtuel');
    const infrastructure = (c.text('typeInfrastructure') ?? 'NON_CLOUD_SERVERS').toUpperCase();
    if (infrastructure === 'CLOUD_SERVICES') {
      const hours = c.num('dureeUtilisationAnnuelle');
      const load = c.num('chargeMoy');
      const quantity = c.num('quantite') ?? 1;
      const instance: Instance = {
        provider: c.need('provider'),
        instanceType: c.need('typeInstance'),
        location: c.need('location'),
        quantity,
        share: 1,
        ...(hours !== undefined ? { hoursPerYear: hours } : {}),
        ...(load !== undefined ? { loadPercent: load } : {}),
      };
      servers.push({ label: name, instance });
      continue;
    }
    if (infrastructure !== 'NON_CLOUD_SERVERS')
      bad(
        t.file,
        { line: r.line, column: 'typeInfrastructure' },
        `'${infrastructure}' is not CLOUD_SERVICES or NON_CLOUD_SERVERS`,
      );
    const hostName = c.need('nomEquipementPhysique');
    const host = shared.get(hostName);
    if (host === undefined)
      bad(
        t.file,
        { line: r.line, column: 'nomEquipementPhysique' },
        `virtual machine '${name}' is on '${hostName}', which is not a Shared Server of ${physical?.file ?? G4IT_DS_FILES.physical}`,
      );
    usedHosts.add(hostName);
    const typeKind = c.text('typeEqv')?.toLowerCase() === 'stockage' ? 'storage' : 'compute';
    const capacityCol = (k: 'compute' | 'storage') => (k === 'compute' ? 'nbCoeur' : 'tailleDuDisque');
    // G4IT's files cannot tell an S/M/L archetype from a plain host on the same item: the archetype is taken unless
    // the row's capacity differs from the archetype's.
    let arch = archetypeOf(lookups, host.model);
    if (arch) {
      const given = host.c.num(capacityCol(arch.kind));
      if (given !== undefined && given !== arch.capacity) arch = undefined;
    }
    const kind = arch?.kind ?? typeKind;
    const quantity = c.num('quantite') ?? 1;
    const used = kind === 'compute' ? c.needNum('vCPU') : c.needNum('capaciteStockage');
    const hours = c.num('dureeUtilisationAnnuelle') ?? host.c.num('dureeUtilisation');
    if (hours !== undefined && (hours <= 0 || hours > HOURS_PER_YEAR))
      bad(
        t.file,
        { line: r.line, column: 'dureeUtilisationAnnuelle' },
        `${hours} operating hours per year (accepted: above 0, up to ${HOURS_PER_YEAR})`,
      );
    const lifespanYears = lifespanOf(host.c, physical!.file, host.row.line);
    const hostCapacity = host.c.num(capacityCol(kind));
    const server: HostServer = {
      mode: 'shared',
      kind,
      ...(arch
        ? { size: arch.size }
        : {
            item: host.model,
            ...(hostCapacity !== undefined
              ? kind === 'compute'
                ? { hostVcpu: hostCapacity }
                : { hostStorageGB: hostCapacity }
              : {}),
          }),
      quantity: 1,
      // G4IT allocates vCPU (or GB) × quantity of the VM line; Empreinte's shared server takes the total.
      ...(kind === 'compute' ? { vcpu: used * quantity } : { storageGB: used * quantity }),
      ...(hours !== undefined ? { hoursPerYear: hours } : {}),
      ...(lifespanYears !== undefined ? { lifespanYears } : {}),
      datacenter: host.datacenter,
    };
    servers.push({ label: name, server });
  }
  for (const [name, h] of shared)
    if (!usedHosts.has(name))
      bad(
        physical!.file,
        { line: h.row.line, column: 'nomEquipementPhysique' },
        `Shared Server '${name}' has no virtual machine in ${virtual?.file ?? G4IT_DS_FILES.virtual}: nothing of it serves the service`,
      );

  const totalGB = [...gbByCode.values()].reduce((a, b) => a + b, 0);
  const network =
    totalGB > 0
      ? [...gbByCode].filter(([, gb]) => gb > 0).map(([type, gb]) => ({ type, share: gb / totalGB }))
      : [{ type: 'lan', share: 1 }];
  return {
    service: meta.service,
    version: '1',
    kind: 'business_application',
    model: 'generic',
    profile: 'numecoeval',
    description: meta.description,
    functionalUnit: 'service-year',
    usage: {
      // One "session" a year carries the service's yearly GB, split between the network types by their GB.
      sessionsPerYear: 1,
      dataPerSessionGB: totalGB,
      network,
      ...(terminals.length > 0 ? { terminals } : { sessionHours: 0 }),
    },
    ...(servers.length > 0 ? { servers } : {}),
  };
}

/** The rows of G4IT's three digital-service tables, in their export column order. */
export interface G4itExport {
  readonly datacenter: readonly (readonly (string | number | undefined)[])[];
  readonly physical: readonly (readonly (string | number | undefined)[])[];
  readonly virtual: readonly (readonly (string | number | undefined)[])[];
}

type Col<K extends G4itTableKind> = (typeof G4IT_DS_HEADERS)[K][number];
function rowOf<K extends G4itTableKind>(
  kind: K,
  values: Partial<Record<Col<K>, string | number>>,
): (string | number | undefined)[] {
  const v: Partial<Record<string, string | number>> = values;
  return G4IT_DS_HEADERS[kind].map((h: string) => v[h]);
}

/** The referential's host archetype of a server given by `size`, else undefined. */
function archetypeFor(
  lookups: G4itLookups,
  s: HostServer,
): ReturnType<G4itLookups['hostArchetypes']>[number] | undefined {
  return s.size === undefined
    ? undefined
    : lookups.hostArchetypes().find((a) => a.kind === s.kind && a.size === s.size);
}

const withdrawal = (years: number): string =>
  new Date(Date.parse(`${G4IT_PURCHASE}T00:00:00Z`) + Math.round(365 * years) * DAY_MS).toISOString().slice(0, 10);

/**
 * A description as G4IT's digital-service tables. Only what G4IT can describe is written: the generic model's terminal
 * lines, G4IT network types, dedicated and shared servers and cloud instances; anything else stops the export with
 * `SVC_G4IT_UNSUPPORTED` naming the field (nothing is dropped silently).
 */
export function g4itFromService(def: ServiceDefinition, lookups: G4itLookups, source?: ServiceSource): G4itExport {
  function no(path: DocPath, reason: string): never {
    return fail(source, path, 'SVC_G4IT_UNSUPPORTED', { field: pathString(path), reason });
  }
  const ctx = { service: def.service, ...(source !== undefined ? { source } : {}) };
  if (resolveModel(def, source) !== 'generic')
    no(['kind'], `G4IT has no counterpart of the ADEME '${def.kind}' preset (only the generic model is exported)`);
  if (def.backOffice !== undefined) no(['backOffice'], 'G4IT has no back office: describe its terminals as lines');
  const u = def.usage ?? no(['usage'], 'the usage is missing');
  const physical: (string | number | undefined)[][] = [];
  const virtual: (string | number | undefined)[][] = [];
  const datacenter: (string | number | undefined)[][] = [];

  if (u.terminals === undefined) {
    const h = u.sessionHours ?? (u.sessionMinutes !== undefined ? u.sessionMinutes / 60 : undefined);
    if (h !== 0)
      no(
        ['usage', 'devices'],
        'G4IT describes terminals as lines (device type, country, users, hours): use usage.terminals',
      );
  }
  (u.terminals ?? []).forEach((line, i) => {
    const model = line.deviceType ?? line.item ?? '';
    physical.push(
      rowOf('physical', {
        nomEquipementPhysique: line.label ?? `Terminal ${i + 1}`,
        modele: model,
        quantite: (line.users * line.hoursPerUserPerYear) / HOURS_PER_YEAR,
        type: 'Terminal',
        paysDUtilisation: line.country,
        dateAchat: G4IT_PURCHASE,
        ...(line.lifespanYears !== undefined ? { dateRetrait: withdrawal(line.lifespanYears) } : {}),
        dureeUtilisation: line.hoursPerUserPerYear,
        nombreUtilisateur: line.users,
      }),
    );
  });

  const volumes = genericVolumes(ctx, def);
  const gb = volumes.sessionsPerYear * gbPerSession(ctx, u, ['usage']);
  const network = u.network ?? no(['usage', 'network'], 'give the network as G4IT network types');
  const sum = network.reduce((a, n) => a + n.share, 0);
  network.forEach((n, j) => {
    const code = n.type.trim().toLowerCase();
    const GB = sum > 0 ? (gb * n.share) / sum : 0;
    if (code === 'lan' || GB === 0) return; // nothing to write: the LAN counts 0 (§5.2), and so does no data
    const net = lookups.networkType(code);
    if (net === undefined)
      no(
        ['usage', 'network', j, 'type'],
        `'${n.type}' is not a G4IT network type; accepted: ${lookups.networkTypeCodes().join(', ')}, lan`,
      );
    let quantity = GB;
    if (net.kind === 'FIXED') {
      const capacity =
        net.annualGBPerLine ??
        no(
          ['usage', 'network', j, 'type'],
          `the yearly GB of a line (annual_quantity_of_go of network type ${code}) is not loaded`,
        );
      quantity = GB / capacity;
    }
    physical.push(
      rowOf('physical', {
        nomEquipementPhysique: `Network ${j + 1} (${code})`,
        modele: code,
        quantite: quantity,
        type: 'Network',
        paysDUtilisation: NETWORK_COUNTRY[code] ?? '',
        dateAchat: G4IT_PURCHASE,
        dateRetrait: withdrawal(1),
      }),
    );
  });

  const dcNames = new Map<string, string>();
  const dcOf = (d: HostServer['datacenter']): string => {
    const key = `${d.location}|${d.pue ?? ''}`;
    let name = dcNames.get(key);
    if (name === undefined) {
      name = `DC${dcNames.size + 1}`;
      dcNames.set(key, name);
      datacenter.push(rowOf('datacenter', { nomCourtDatacenter: name, localisation: d.location, pue: d.pue }));
    }
    return name;
  };
  (def.servers ?? []).forEach((link, i) => {
    const path = ['servers', i];
    const label = link.label ?? `Server ${i + 1}`;
    if (link.instance !== undefined) {
      const c = link.instance;
      if (c.share !== 1) no([...path, 'instance', 'share'], 'G4IT has no share of a cloud instance');
      virtual.push(
        rowOf('virtual', {
          nomEquipementVirtuel: label,
          typeInfrastructure: 'CLOUD_SERVICES',
          quantite: c.quantity,
          provider: c.provider,
          typeInstance: c.instanceType,
          location: c.location,
          chargeMoy: c.loadPercent,
          dureeUtilisationAnnuelle: c.hoursPerYear,
        }),
      );
      return;
    }
    const s = link.server ?? no(path, 'G4IT describes servers only as dedicated or shared hosts and cloud instances');
    if (s.components !== undefined)
      no(
        [...path, 'server', 'components'],
        "G4IT's hosts are reference items; it has no server described by its components",
      );
    const archetype = archetypeFor(lookups, s);
    if (s.size !== undefined && archetype === undefined)
      no([...path, 'server', 'size'], `the referential has no ${s.kind} server host of size ${s.size}`);
    const hostItem = archetype?.item ?? s.item ?? '';
    const common = {
      modele: hostItem,
      paysDUtilisation: s.datacenter.location,
      nomCourtDatacenter: dcOf(s.datacenter),
      dateAchat: G4IT_PURCHASE,
      ...(s.lifespanYears !== undefined ? { dateRetrait: withdrawal(s.lifespanYears) } : {}),
    };
    if (s.mode === 'dedicated') {
      const hours = s.hoursPerYear;
      physical.push(
        rowOf('physical', {
          ...common,
          nomEquipementPhysique: label,
          type: 'Dedicated Server',
          quantite: hours !== undefined ? (s.quantity * hours) / HOURS_PER_YEAR : s.quantity,
          dureeUtilisation: hours,
        }),
      );
      return;
    }
    const host = `${label} (host)`;
    physical.push(
      rowOf('physical', {
        ...common,
        nomEquipementPhysique: host,
        type: 'Shared Server',
        quantite: 1,
        nbCoeur: s.kind === 'compute' ? (s.hostVcpu ?? archetype?.capacity) : undefined,
        tailleDuDisque: s.kind === 'storage' ? (s.hostStorageGB ?? archetype?.capacity) : undefined,
        dureeUtilisation: s.hoursPerYear,
      }),
    );
    virtual.push(
      rowOf('virtual', {
        nomEquipementVirtuel: label,
        typeInfrastructure: 'NON_CLOUD_SERVERS',
        quantite: 1,
        dureeUtilisationAnnuelle: s.hoursPerYear,
        nomEquipementPhysique: host,
        vCPU: s.vcpu,
        typeEqv: s.kind === 'compute' ? 'calcul' : 'stockage',
        capaciteStockage: s.storageGB,
      }),
    );
  });
  return { datacenter, physical, virtual };
}
