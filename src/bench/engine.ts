/**
 * Pure-engine benchmark: N physical-equipment items built in memory, assessed and aggregated on one core with the
 * default pack (4 steps × 5 criteria). Prints indicators per second. Usage: tsx scripts/bench-engine.ts [N]
 */
import { Aggregator, Assessment } from '../engine/index.js';
import type { PhysicalEquipment } from '../inventory/model.js';
import { MANDATORY_CRITERIA } from '../referential/codes.js';
import { profileLayer } from '../referential/hypotheses.js';
import { mergeLayers } from '../referential/merge.js';
import { loadDefaultPack } from '../referential/pack.js';

export async function benchEngine(
  n: number,
): Promise<{ items: number; indicators: number; seconds: number; cpuSeconds: number; perSecond: number }> {
  const pack = await loadDefaultPack();
  const { referential } = mergeLayers([pack.layer, profileLayer('rcp')], { id: pack.manifest.id });
  const types = ['Laptop', 'Desktop', 'Monitor', 'Smartphone', 'Server', 'Tablet', 'Printer', 'Switch'];
  const countries = ['France', 'Germany', 'Spain', 'Belgium'];
  // A pool of distinct items cycled n times: a streamed inventory never holds all its lines at once, so the
  // benchmark does not either (a 1M-object input array would measure the garbage collector, not the engine).
  const pool = Math.min(n, 50_000);
  const items: PhysicalEquipment[] = new Array(pool);
  for (let i = 0; i < pool; i++) {
    const y = 2015 + (i % 10);
    items[i] = {
      name: `eq-${i}`,
      type: types[i % types.length]!,
      quantity: 1 + (i % 3),
      country: countries[i % countries.length]!,
      purchaseDate: `${y}-0${1 + (i % 9)}-1${i % 10}`,
      ...(i % 5 === 0 ? { annualKWh: 50 + (i % 100) } : {}),
    };
  }
  const a = new Assessment(referential, {
    profile: 'rcp',
    referenceDate: '2025-01-01',
    lifetimeMethod: 'REEL',
    criteria: MANDATORY_CRITERIA,
    steps: ['MANUFACTURING', 'DISTRIBUTION', 'USE', 'END_OF_LIFE'],
  });
  const agg = new Aggregator(a.layout, referential);
  let indicators = 0;
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) {
    const r = a.physical(items[i % pool]!);
    agg.add(r);
    for (let s = 0; s < r.status.length; s++) if (r.status[s] !== 0) indicators++;
  }
  agg.result();
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = process.cpuUsage(cpu0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  return { items: n, indicators, seconds, cpuSeconds, perSecond: indicators / seconds };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const n = Number(process.argv[2] ?? 1_000_000);
  const r = await benchEngine(n);
  console.log(
    `engine: ${r.items} items, ${r.indicators} indicators in ${r.seconds.toFixed(2)} s wall (${r.cpuSeconds.toFixed(2)} s CPU incl. GC threads) = ${(r.perSecond / 1e6).toFixed(2)} M indicators/s`,
  );
}
