import { assessInventory, type InventoryInput, type RunContext } from '../../src/engine/index.js';
import type { CloudModel } from '../../src/engine/cloud.js';
import type { Referential } from '../../src/referential/model.js';

export const CTX: RunContext = {
  profile: 'rcp',
  referenceDate: '2025-01-01',
  lifetimeMethod: 'REEL',
  criteria: ['CLIMATE_CHANGE'],
  steps: ['MANUFACTURING', 'DISTRIBUTION', 'USE', 'END_OF_LIFE'],
};

/** The context of the every-kind inventories (trace and CSV-sink tests): two criteria, mid-2025, volumes in MB. */
export const EVERY_KIND_CTX: RunContext = {
  profile: 'rcp',
  referenceDate: '2025-06-30',
  lifetimeMethod: 'REEL',
  criteria: ['CLIMATE_CHANGE', 'ACIDIFICATION'],
  steps: ['MANUFACTURING', 'DISTRIBUTION', 'USE', 'END_OF_LIFE'],
  messagingVolumeUnit: 'MB',
};

/** A stand-in for the Boavizta instance model (F15 is tested in cloud-model tests): instance type `unknown` in error. */
export const stubCloud: CloudModel = (vm) =>
  vm.instanceType === 'unknown'
    ? { error: { code: 'CALC_CLOUD_PLATFORM_UNKNOWN', severity: 'E', details: { instance: 'unknown' } } }
    : {
        embodied: { CLIMATE_CHANGE: 21.5 * (vm.quantity ?? 1) },
        kWh: 96.4 * (vm.quantity ?? 1),
        pue: { value: 1.135, origin: 'REFERENCE' },
        location: vm.location ?? 'France',
        platform: 'platform_aws_m5',
        details: { vcpu: 2, yearlyShare: 0.3 },
        source: 'test',
      };

export function run(input: InventoryInput, ref: Referential, ctx: Partial<RunContext> = {}) {
  const out = assessInventory(input, ref, { ...CTX, ...ctx });
  const value = (item: string, step: string, criterion = 'CLIMATE_CHANGE', kind?: string) => {
    const row = out.indicators.find(
      (r) => r.item === item && r.lifecycleStep === step && r.criterion === criterion && (!kind || r.kind === kind),
    );
    if (!row) throw new Error(`no indicator ${item}/${step}/${criterion}`);
    return row;
  };
  return { ...out, value };
}
