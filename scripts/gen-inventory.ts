/**
 * Synthetic NumEcoEval physical-equipment inventory for benchmarks (`npm run bench`): `generatePhysicalCsv(path, n)`
 * writes a header and n lines with varied types, models, dates (the four accepted patterns), countries and
 * consumptions. Deterministic (a fixed linear congruential sequence), so two runs write the same file.
 *
 * `generateMixedEstate(dir, hosts)` writes the mixed estate of issue 11 (hosts, 3 VMs per host, 2 applications per VM).
 *
 * CLI: `node --import tsx scripts/gen-inventory.ts <path> <n>`, or `… --mixed <dir> <hosts>`.
 */
import { createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';
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

/**
 * B of a comparison (`npm run bench`, compare's tests): the physical-equipment CSV `text` with every 20th line dropped
 * and every 10th line's quantity doubled.
 */
export function comparisonVariant(text: string): string {
  const [head, ...lines] = text.split('\n');
  const out = [head!];
  lines.forEach((l, i) => {
    if (l === '' || i % 20 === 19) return;
    if (i % 10 !== 4) return void out.push(l);
    const cells = l.split(';');
    cells[2] = String(Number(cells[2]) * 2);
    out.push(cells.join(';'));
  });
  return out.join('\n') + '\n';
}

/** A buffered line writer with back-pressure. */
function lineWriter(path: string) {
  const out = createWriteStream(path);
  let chunk = '';
  return {
    async line(text: string): Promise<void> {
      chunk += text + '\n';
      if (chunk.length > 1 << 16) {
        if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()));
        chunk = '';
      }
    },
    close(): Promise<void> {
      out.write(chunk);
      return new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
    },
  };
}

const HOST_MODELS = ['PowerEdge R750', 'ProLiant DL380 Gen10', 'PowerEdge R640', 'ThinkSystem SR650'];

/**
 * The mixed estate of issue 11: `hosts` virtualisation servers (`equipements_physiques.csv`), `vmsPerHost` VMs on
 * each (`equipements_virtuels.csv`, vCPU allocation) and `appsPerVm` applications on each VM (`applications.csv`),
 * NumEcoEval columns, in folder `dir` (created). Lines of a host, its VMs and their applications are far apart in
 * their files (VMs and applications are written host by host, hosts in another order), as exports are. Deterministic.
 */
export async function generateMixedEstate(dir: string, hosts: number, vmsPerHost = 3, appsPerVm = 2): Promise<void> {
  mkdirSync(dir, { recursive: true });
  const rnd = lcg(7);
  const phys = lineWriter(join(dir, 'equipements_physiques.csv'));
  await phys.line(
    'nomEquipementPhysique;modele;quantite;type;statut;paysDUtilisation;dateAchat;nbCoeur;consoElecAnnuelle;nomEntite;nomSourceDonnee',
  );
  for (let h = 1; h <= hosts; h++) {
    const model = HOST_MODELS[Math.floor(rnd() * HOST_MODELS.length)]!;
    const y = 2017 + Math.floor(rnd() * 7);
    const kwh = (1500 + rnd() * 3000).toFixed(1);
    await phys.line(
      `HOST-${h};${model};1;Server;In use;${COUNTRIES[h % COUNTRIES.length]};${y}-0${1 + (h % 9)}-15;${h % 2 ? 32 : 64};${kwh};Entity ${h % 20};SRC`,
    );
  }
  await phys.close();
  const vms = lineWriter(join(dir, 'equipements_virtuels.csv'));
  const apps = lineWriter(join(dir, 'applications.csv'));
  await vms.line('nomEquipementVirtuel;nomEquipementPhysique;nomSourceDonneeEquipementPhysique;vCPU;typeEqv;nomEntite');
  await apps.line(
    'nomApplication;typeEnvironnement;nomEquipementVirtuel;domaine;sousDomaine;nomEntite;nomEquipementPhysique',
  );
  // Hosts in a scattered order (a multiplicative permutation of 1..hosts).
  const step = 7919;
  for (let k = 0; k < hosts; k++) {
    const h = ((k * step) % hosts) + 1;
    for (let v = 1; v <= vmsPerHost; v++) {
      const vm = `VM-${h}-${v}`;
      await vms.line(`${vm};HOST-${h};SRC;${1 + Math.floor(rnd() * 16)};calcul;Entity ${h % 20}`);
      for (let a = 1; a <= appsPerVm; a++) {
        const app = `App ${(h * 7 + v * 3 + a) % 5000}`;
        await apps.line(
          `${app};${a === 1 ? 'Production' : 'Recette'};${vm};Domain ${h % 40};Sub ${h % 7};Entity ${h % 20};HOST-${h}`,
        );
      }
    }
  }
  await vms.close();
  await apps.close();
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const args = process.argv.slice(2);
  if (args[0] === '--mixed' && args[1] && args[2]) {
    await generateMixedEstate(args[1], Number(args[2]));
  } else {
    const [path, count] = args;
    if (!path || !count) {
      console.error('usage: gen-inventory.ts <path> <n> | gen-inventory.ts --mixed <dir> <hosts>');
      process.exit(2);
    }
    await generatePhysicalCsv(path, Number(count));
  }
}
