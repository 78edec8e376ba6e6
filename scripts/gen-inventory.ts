/**
 * Synthetic NumEcoEval physical-equipment inventory for benchmarks (`npm run bench`): `generatePhysicalCsv(path, n)`
 * writes a header and n lines with varied types, models, dates (the four accepted patterns), countries and
 * consumptions. Deterministic (a fixed linear congruential sequence), so two runs write the same file.
 *
 * CLI: `node --import tsx scripts/gen-inventory.ts <path> <n>`.
 */
import { createWriteStream } from 'node:fs';
import { pathToFileURL } from 'node:url';

export const PHYSICAL_HEADER =
  'nomEquipementPhysique;modele;quantite;type;statut;paysDUtilisation;utilisateur;dateAchat;dateRetrait;nbCoeur;nomCourtDatacenter;consoElecAnnuelle;nomEntite;nomSourceDonnee';

const TYPES = [
  {
    type: 'Laptop',
    models: ['Latitude 5520', 'ThinkPad T14 Gen 2i', 'EliteBook 840 G8', 'MacBook Pro 14'],
    kwh: [18, 45],
  },
  { type: 'Desktop', models: ['OptiPlex 7090', 'ThinkCentre M70q', 'EliteDesk 800 G6'], kwh: [60, 180] },
  { type: 'Monitor', models: ['DELL P2422H', 'LEN T24i-20', 'Samsung S27R650'], kwh: [20, 70] },
  { type: 'Smartphone', models: ['iPhone 13', 'Galaxy A54 5G', 'Pixel 7'], kwh: [2, 6] },
  { type: 'Server', models: ['PowerEdge R750', 'ProLiant DL380 Gen10'], kwh: [1500, 4500] },
] as const;
const COUNTRIES = ['France', 'Germany', 'Spain', 'Italy', 'Belgium'];
const STATUSES = ['In use', 'In stock'];

/** Deterministic pseudo-random sequence (Numerical Recipes LCG). */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const pad = (n: number) => String(n).padStart(2, '0');

/** Write `n` NumEcoEval physical-equipment lines to `path`; resolves when the file is closed. */
export async function generatePhysicalCsv(path: string, n: number): Promise<void> {
  const out = createWriteStream(path);
  const rnd = lcg(42);
  out.write(PHYSICAL_HEADER + '\n');
  let chunk = '';
  for (let i = 1; i <= n; i++) {
    const t = TYPES[Math.floor(rnd() * TYPES.length)]!;
    const model = t.models[Math.floor(rnd() * t.models.length)]!;
    const y = 2016 + Math.floor(rnd() * 8);
    const m = 1 + Math.floor(rnd() * 12);
    const d = 1 + Math.floor(rnd() * 28);
    const fmt = i % 4;
    const date =
      fmt === 0
        ? `${y}-${pad(m)}-${pad(d)}`
        : fmt === 1
          ? `${y}${pad(m)}${pad(d)}`
          : fmt === 2
            ? `${pad(d)}/${pad(m)}/${y}`
            : `${y}/${pad(m)}/${pad(d)}`;
    const retired = rnd() < 0.1 ? `${y + 5}-${pad(m)}-${pad(d)}` : '';
    const kwh = (t.kwh[0] + rnd() * (t.kwh[1] - t.kwh[0])).toFixed(1);
    const server = t.type === 'Server';
    chunk += `EQ-${i};${model};1;${t.type};${STATUSES[i % 2]};${COUNTRIES[i % COUNTRIES.length]};user${i % 5000};${date};${retired};${server ? 32 : ''};;${kwh};Entity ${i % 20};SRC\n`;
    if (chunk.length > 1 << 16) {
      if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()));
      chunk = '';
    }
  }
  out.write(chunk);
  await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [path, count] = process.argv.slice(2);
  if (!path || !count) {
    console.error('usage: gen-inventory.ts <path> <n>');
    process.exit(2);
  }
  await generatePhysicalCsv(path, Number(count));
}
