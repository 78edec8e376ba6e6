/** The Boavizta CPU catalogue of the active referential, looked up by `typeDeProcesseur` (methodology F16, F17). */
import type { CpuSpec, Referential } from '../model.js';

/** F16: the CPU of the catalogue named `name`: exact (trimmed) name, then case-insensitive; undefined when unknown. */
export function cpuLookup(ref: Referential): (name: string) => CpuSpec | undefined {
  const specs = ref.cpuSpecs ?? new Map<string, CpuSpec>();
  const lower = new Map<string, CpuSpec>();
  for (const s of specs.values()) {
    const k = s.name.trim().toLowerCase();
    if (!lower.has(k)) lower.set(k, s);
  }
  return (name) => {
    const t = name.trim();
    return specs.get(t) ?? lower.get(t.toLowerCase());
  };
}
