/**
 * `empreinte kpis <inventory…> [--format table|json]`: the State reporting KPIs of a campaign (use case
 * `src/app/steering/kpis.ts`), per campaign and per entity. The JSON (English keys, as every data output) is the
 * outcome itself; the table is for people, in French or English (`--lang`).
 */
import type { Command } from 'commander';
import { standardDeps } from '../app/deps.js';
import { campaignKpis, type KpisOutcome } from '../app/steering/kpis.js';
import { EmpreinteError, issue, type Lang } from '../issues/catalogue.js';
import type { KpiBlock } from '../steering/kpis.js';
import { assessInput, defaultIo, type AssessIo, type AssessOptions } from './assess.js';
import type { CliContext } from './lang.js';
import { printDocument, runOptions, steeringAction } from './steering-cli.js';

const TEXT = {
  fr: {
    title: 'Indicateurs de pilotage (État)',
    campaign: 'Campagne',
    entity: 'Entité',
    noEntity: 'sans entité',
    units: 'équipements',
    headcount: 'collaborateurs',
    perCollaborator: 'équipements par collaborateur',
    footprint: (c: string, u: string) => `${c} par collaborateur (${u})`,
    refurbished: 'part reconditionnée',
    reused: 'part réemployée (aval)',
    eol: 'fin de vie (réemploi, don, recyclage, inconnu)',
    reuseOrDonation: 'part réemploi ou don',
    lifetime: 'durée de vie moyenne par type (retenue / attendue, années)',
    none: '—',
  },
  en: {
    title: 'State reporting KPIs',
    campaign: 'Campaign',
    entity: 'Entity',
    noEntity: 'without entity',
    units: 'equipment units',
    headcount: 'collaborators',
    perCollaborator: 'equipment per collaborator',
    footprint: (c: string, u: string) => `${c} per collaborator (${u})`,
    refurbished: 'refurbished share',
    reused: 'reused share (downstream)',
    eol: 'end of life (reuse, donation, recycling, unknown)',
    reuseOrDonation: 'reuse or donation share',
    lifetime: 'average lifetime per type (retained / expected, years)',
    none: '—',
  },
} as const;

function num(x: number | null, lang: Lang, digits = 3): string {
  if (x === null) return TEXT[lang].none;
  const s = Number(x.toPrecision(digits + 1)).toString();
  return lang === 'fr' ? s.replace('.', ',') : s;
}
const pct = (x: number | null, lang: Lang): string =>
  x === null ? TEXT[lang].none : `${num(Math.round(x * 1000) / 10, lang, 4)} %`;

function blockLines(title: string, b: KpiBlock, lang: Lang): string[] {
  const t = TEXT[lang];
  const e = b.endOfLife.units;
  const lines = [
    title,
    `  ${t.units}: ${num(b.units, lang, 6)}`,
    `  ${t.headcount}: ${num(b.headcount, lang, 6)}`,
    `  ${t.perCollaborator}: ${num(b.equipmentPerCollaborator, lang)}`,
    ...b.footprint.map((f) => `  ${t.footprint(f.criterion, f.unit)}: ${num(f.perCollaborator, lang, 4)}`),
    `  ${t.refurbished}: ${pct(b.refurbished.share, lang)}`,
    `  ${t.reused}: ${pct(b.reused.share, lang)}`,
    `  ${t.eol}: ${[e.reuse, e.donation, e.recycling, e.unknown].map((x) => num(x, lang, 6)).join(' / ')}`,
    `  ${t.reuseOrDonation}: ${pct(b.endOfLife.reuseOrDonationShare, lang)}`,
  ];
  if (b.lifetimeByType.length > 0) {
    lines.push(`  ${t.lifetime}:`);
    for (const l of b.lifetimeByType)
      lines.push(
        `    ${l.type}: ${num(l.retainedYears, lang)} / ${num(l.expectedYears, lang)} (${num(l.quantity, lang, 6)})`,
      );
  }
  return lines;
}

/** The KPIs as text for people, in the run's language. */
export function kpisTable(k: KpisOutcome, lang: Lang): string {
  const t = TEXT[lang];
  const lines = [t.title, '', ...blockLines(t.campaign, k.campaign, lang)];
  for (const e of k.byEntity) lines.push('', ...blockLines(`${t.entity} ${e.entity}`, e, lang));
  if (k.withoutEntity !== null) lines.push('', ...blockLines(`${t.entity} (${t.noEntity})`, k.withoutEntity, lang));
  return lines.join('\n') + '\n';
}

export async function runKpis(paths: readonly string[], o: AssessOptions, io: AssessIo = defaultIo): Promise<void> {
  const format = o.format === undefined ? 'table' : o.format.toLowerCase();
  if (format !== 'json' && format !== 'table')
    throw new EmpreinteError(
      issue('INP_BAD_ENUM', { field: '--format', allowed: 'json, table', value: o.format ?? '' }),
    );
  const k = await campaignKpis(standardDeps(io.today, io.temps), assessInput(paths, o));
  await printDocument(format === 'json' ? JSON.stringify(k, null, 2) + '\n' : kpisTable(k, io.lang ?? 'en'));
}

export function registerKpis(program: Command, ctx: CliContext = { lang: 'en' }): void {
  runOptions(
    program
      .command('kpis')
      .description(
        'State reporting KPIs per campaign and entity: equipment and footprint per collaborator, lifetimes, refurbished and reused shares, end of life',
      )
      .argument('<path...>', 'inventory files or folders, as for assess')
      .option('--format <format>', 'json or table', 'table'),
  )
    .option('--refurbished-rule <rule>', 'upstream life rule: category (default) or line')
    .action(async (paths: string[], o: AssessOptions) => {
      const io: AssessIo = { ...defaultIo, lang: ctx.lang, ...(ctx.temps ? { temps: ctx.temps } : {}) };
      await steeringAction(io, () => runKpis(paths, o, io));
    });
}
