/**
 * Index and resolve steps for references (§2.11): indexes of the lines accepted so far (entities, datacenters, hosts,
 * VMs), filled as items are streamed in dependency order, and the check of an item's references against them — or,
 * in strict mode, against the names of the key pass (`StrictKeys`). Never a rescan: a line rejected in a referenced
 * file is absent, so its dependants fail with the reference error.
 */
import { issue, type Issue, type Location } from '../../issues/catalogue.js';
import { KeyIndex } from '../key-index.js';
import type { Application, InventoryItem, InventoryKind, VirtualEquipment } from '../model.js';
import type { StrictKeys } from './strict-keys.js';
import type { OpenedTable } from './table.js';

/**
 * Hosts accepted so far, by name (and by name and data source when VMs may name it). Two-part keys (name, then host or
 * data source) are the names joined by U+0000 (`KeyIndex` hashes the parts without joining them).
 */
class HostIndex {
  readonly byName = new KeyIndex(1 << 14);
  readonly byNameDs: KeyIndex | undefined;

  constructor(withDataSource: boolean) {
    this.byNameDs = withDataSource ? new KeyIndex(1 << 14) : undefined;
  }
}

/** VMs accepted so far, by name, by name and host, and by name and data source. */
class VmIndex {
  readonly byName = new KeyIndex();
  readonly byNameHost = new KeyIndex();
  readonly byNameDs = new KeyIndex();
}

/** Which referenced kinds the run reads (an index is kept only when a dependant kind is read). */
export interface ReferencedKinds {
  readonly entities: boolean;
  readonly virtualEquipment: boolean;
  readonly applications: boolean;
}

/** Indexes of the accepted lines the references of later kinds are resolved against. */
export class ReferenceIndex {
  private readonly entities: Set<string> | undefined;
  private readonly datacenters = new Set<string>();
  private readonly hosts: HostIndex | undefined;
  private readonly vms: VmIndex | undefined;

  constructor(
    kinds: ReferencedKinds,
    /** Strict mode: datacenters, hosts and VMs are resolved by name against the key pass. */
    private readonly strict: StrictKeys | undefined,
  ) {
    this.entities = kinds.entities ? new Set<string>() : undefined;
    this.hosts = kinds.virtualEquipment || kinds.applications ? new HostIndex(kinds.virtualEquipment) : undefined;
    this.vms = kinds.applications ? new VmIndex() : undefined;
  }

  /** Whether a datacenter name resolves (lenient: an accepted datacenter; strict: a name of the key pass). */
  hasDatacenter(name: string): boolean {
    return this.strict ? this.strict.has('datacenter', name) : this.datacenters.has(name);
  }

  /** Registers an accepted item for the references of later kinds. */
  accept(item: InventoryItem): void {
    switch (item.kind) {
      case 'entity':
        this.entities?.add(item.item.name);
        break;
      case 'datacenter':
        this.datacenters.add(item.item.name);
        break;
      case 'physical-equipment': {
        const { name, dataSource } = item.item;
        if (this.hosts) {
          this.hosts.byName.addIfAbsent(name, 1);
          this.hosts.byNameDs?.addIfAbsent(name, 1, dataSource ?? '');
        }
        break;
      }
      case 'virtual-equipment': {
        const vm = item.item;
        if (this.vms) {
          this.vms.byName.addIfAbsent(vm.name, 1);
          if (vm.host !== undefined) this.vms.byNameHost.addIfAbsent(vm.name, 1, vm.host);
          if (vm.dataSource !== undefined) this.vms.byNameDs.addIfAbsent(vm.name, 1, vm.dataSource);
        }
        break;
      }
      default:
        break;
    }
  }

  /** The warning of an item naming an entity absent from the entity files read (when there are some). */
  unknownEntity(t: OpenedTable, item: InventoryItem, line: number): Issue | undefined {
    const entity = item.kind === 'entity' ? undefined : item.item.entity;
    if (this.entities === undefined || entity === undefined || this.entities.has(entity)) return undefined;
    return issue('INP_UNKNOWN_ENTITY', { value: entity }, at(t, line, 'nomEntite'));
  }

  /** The error of an item of table `t` whose datacenter, host or VM does not resolve. */
  referenceError(t: OpenedTable, item: InventoryItem, line: number): Issue | undefined {
    switch (item.kind) {
      case 'physical-equipment':
      case 'non-it': {
        const dc = item.item.datacenter;
        if (dc === undefined || this.hasDatacenter(dc)) return undefined;
        return issue('INP_UNKNOWN_DATACENTER', { name: dc }, at(t, line, 'nomCourtDatacenter'));
      }
      case 'virtual-equipment': {
        const vm = item.item;
        if (vm.host === undefined || vm.infrastructure === 'CLOUD_SERVICES' || this.hasHost(vm, vm.host)) {
          return undefined;
        }
        return issue('INP_UNKNOWN_HOST', { host: vm.host, vm: vm.name }, at(t, line, 'nomEquipementPhysique'));
      }
      case 'application':
        return this.strict ? strictAppError(this.strict, t, item.item, line) : this.appError(t, item.item, line);
      default:
        return undefined;
    }
  }

  private hasHost(vm: VirtualEquipment, host: string): boolean {
    if (this.strict) return this.strict.has('physical-equipment', host); // G4IT: the host's name alone
    if (!this.hosts) return false;
    if (vm.hostDataSource === undefined) return this.hosts.byName.has(host);
    return this.hosts.byNameDs?.has(host, vm.hostDataSource) ?? false;
  }

  private appError(t: OpenedTable, app: Application, line: number): Issue | undefined {
    if (app.vm !== undefined) {
      const vms = this.vms;
      const found =
        vms !== undefined &&
        (app.host !== undefined
          ? vms.byNameHost.has(app.vm, app.host)
          : app.vmDataSource !== undefined
            ? vms.byNameDs.has(app.vm, app.vmDataSource)
            : vms.byName.has(app.vm));
      if (found) return undefined;
      return issue('INP_UNKNOWN_VM', { vm: app.vm, app: app.name }, at(t, line, 'nomEquipementVirtuel'));
    }
    if (app.host !== undefined && !this.hosts?.byName.has(app.host)) {
      return issue('INP_UNKNOWN_APP_HOST', { host: app.host, app: app.name }, at(t, line, 'nomEquipementPhysique'));
    }
    return undefined;
  }
}

/** G4IT: an application names its VM, matched by name alone. */
function strictAppError(strict: StrictKeys, t: OpenedTable, app: Application, line: number): Issue | undefined {
  const column = 'nomEquipementVirtuel';
  if (app.vm === undefined) return issue('INP_REQUIRED', { field: t.columnName(column) }, at(t, line, column));
  if (strict.has('virtual-equipment', app.vm)) return undefined;
  return issue('INP_UNKNOWN_VM', { vm: app.vm, app: app.name }, at(t, line, column));
}

/** Location of a cell of table `t`, its column named as the user wrote it. */
function at(t: OpenedTable, line: number, canonical: string): Location {
  return { file: t.report.file, line, column: t.columnName(canonical) };
}

/** The kinds read by a run's tables. */
export function referencedKinds(tables: readonly OpenedTable[]): ReferencedKinds {
  const has = (k: InventoryKind) => tables.some((t) => t.kind === k);
  return { entities: has('entity'), virtualEquipment: has('virtual-equipment'), applications: has('application') };
}
