/** Generated inventories for the job tests: `n` physical items built from the example's lines without a datacenter. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..');

/** `n` physical items, each with its own name (`<prefix>-<i>`) and a quantity from 1 to 7; no entity, no user. */
export function physicalCsv(prefix: string, n: number): string {
  const lines = readFileSync(join(ROOT, 'examples/inventory/equipements_physiques.csv'), 'utf8').trim().split('\n');
  const header = lines[0]!.split(';');
  const col = (name: string) => header.indexOf(name);
  const rows = lines
    .slice(1)
    .map((l) => l.split(';'))
    .filter((c) => c[col('nomCourtDatacenter')] === '');
  const out = [header.join(';')];
  for (let i = 0; i < n; i++) {
    const c = [...rows[i % rows.length]!];
    c[col('nomEquipementPhysique')] = `${prefix}-${i}`;
    c[col('quantite')] = String(1 + (i % 7));
    c[col('utilisateur')] = '';
    c[col('nomEntite')] = '';
    out.push(c.join(';'));
  }
  return out.join('\n') + '\n';
}
