/**
 * State KPIs of a campaign (GET /campaigns/:id/kpis): equipment per collaborator, climate change per collaborator per
 * entity (bars), average lifetime retained against the lifetime expected per type (paired bars), refurbished, reused
 * and reuse-or-donation shares (bars), end-of-life routes (split), and the entities side by side. Each chart carries
 * its data table (its text alternative).
 */
import { paths } from '../api.js';
import { formatNumber, formatPercent, quantityFormatter } from '../format.js';
import { useApp } from '../app/context.js';
import { useGet } from '../app/hooks.js';
import { Async, Section } from '../app/ui.js';
import { HBarChart, PairedBars, SplitBar } from '../components/charts/index.js';
import { DataTable } from '../components/data-table.js';

/** One block of the KPIs document (the campaign, an entity, or the items without an entity). */
export interface KpiBlock {
  readonly units: number;
  readonly headcount: number | null;
  readonly equipmentPerCollaborator: number | null;
  readonly footprint: readonly { criterion: string; unit: string; value: number; perCollaborator: number | null }[];
  readonly lifetimeByType: readonly {
    type: string;
    quantity: number;
    retainedYears: number;
    expectedYears: number | null;
    gapYears: number | null;
  }[];
  readonly refurbished: { readonly units: number; readonly share: number | null };
  readonly reused: { readonly units: number; readonly share: number | null };
  readonly endOfLife: {
    readonly units: { reuse: number; donation: number; recycling: number; unknown: number };
    readonly reuseOrDonationShare: number | null;
  };
}

/** GET /campaigns/:id/kpis (the server's CampaignKpis). */
export interface KpisView {
  readonly campaign: KpiBlock;
  readonly byEntity: readonly (KpiBlock & { readonly entity: string })[];
  readonly withoutEntity: KpiBlock | null;
}

const CRITERION = 'CLIMATE_CHANGE';
const climate = (b: KpiBlock) => b.footprint.find((f) => f.criterion === CRITERION);

function Kpis({ k }: { readonly k: KpisView }) {
  const { t, lang } = useApp();
  const c = k.campaign;
  const cc = climate(c);
  const unit = cc?.unit ?? 'kg CO2 eq';
  const perEntity = k.byEntity
    .map((e) => ({ label: e.entity, value: climate(e)?.perCollaborator ?? null }))
    .filter((d): d is { label: string; value: number } => d.value !== null)
    .sort((a, b) => b.value - a.value);
  const per = quantityFormatter(
    unit,
    perEntity.map((d) => d.value),
    lang,
  );
  const years = (v: number) => t('kpis.years', { n: formatNumber(v, lang) });
  const pct = (v: number) => formatPercent(v, lang);
  const shares = [
    { label: t('kpis.refurbished'), value: c.refurbished.share },
    { label: t('kpis.reused'), value: c.reused.share },
    { label: t('kpis.reuseOrDonation'), value: c.endOfLife.reuseOrDonationShare },
  ].filter((d): d is { label: string; value: number } => d.value !== null);
  const eol = c.endOfLife.units;
  const eolTotal = eol.reuse + eol.donation + eol.recycling + eol.unknown;
  const blocks = [
    ...k.byEntity.map((e) => ({ name: e.entity, b: e as KpiBlock })),
    ...(k.withoutEntity ? [{ name: t('kpis.withoutEntity'), b: k.withoutEntity }] : []),
  ];
  const count = (v: number | null) => (v === null ? '—' : { text: formatNumber(v, lang), value: v });
  return (
    <>
      <Section title={t('kpis.campaign')}>
        <dl class="kv" data-testid="kpis-figures">
          <div>
            <dt>{t('kpis.units')}</dt>
            <dd data-value={String(c.units)}>{formatNumber(c.units, lang)}</dd>
          </div>
          <div>
            <dt>{t('kpis.headcount')}</dt>
            <dd>{c.headcount === null ? '—' : formatNumber(c.headcount, lang)}</dd>
          </div>
          <div>
            <dt>{t('kpis.equipmentPerCollaborator')}</dt>
            <dd>{c.equipmentPerCollaborator === null ? '—' : formatNumber(c.equipmentPerCollaborator, lang)}</dd>
          </div>
          <div>
            <dt>{t('kpis.perCollaborator')}</dt>
            <dd data-testid="kpis-per-collaborator" data-value={cc?.perCollaborator ?? undefined}>
              {cc?.perCollaborator == null
                ? '—'
                : quantityFormatter(unit, [cc.perCollaborator], lang).format(cc.perCollaborator)}
            </dd>
          </div>
        </dl>
      </Section>
      <Section title={t('kpis.perCollaboratorByEntity')}>
        {perEntity.length > 0 ? (
          <HBarChart
            id="kpi-entity"
            testId="chart-kpi-entity"
            title={`${t('kpis.perCollaboratorByEntity')} (${per.display.unit})`}
            tableLabel={t('chart.table')}
            single
            data={perEntity}
            format={per.format}
            labelHeader={t('common.entity')}
            valueHeader={`${t('kpis.perCollaborator')} (${per.display.unit})`}
          />
        ) : (
          <p>{t('kpis.noHeadcount')}</p>
        )}
      </Section>
      <Section title={t('kpis.lifetimeByType')}>
        <PairedBars
          id="kpi-lifetime"
          testId="chart-kpi-lifetime"
          title={t('kpis.lifetimeByType')}
          tableLabel={t('chart.table')}
          data={c.lifetimeByType.map((l) => ({
            label: `${l.type} (${formatNumber(l.quantity, lang)})`,
            values: [l.retainedYears, l.expectedYears] as const,
          }))}
          series={[t('kpis.retained'), t('kpis.expected')]}
          format={years}
          labelHeader={t('common.type')}
        />
      </Section>
      <Section title={t('kpis.shares')}>
        <HBarChart
          id="kpi-shares"
          testId="chart-kpi-shares"
          title={t('kpis.shares')}
          tableLabel={t('chart.table')}
          single
          data={shares}
          format={pct}
          labelHeader={t('kpis.indicator')}
          valueHeader={t('common.share')}
        />
        {eolTotal > 0 ? (
          <SplitBar
            id="kpi-eol"
            testId="chart-kpi-eol"
            title={t('kpis.endOfLife')}
            tableLabel={t('chart.table')}
            data={(['reuse', 'donation', 'recycling', 'unknown'] as const).map((r) => ({
              label: t(`kpis.eol.${r}`),
              value: eol[r],
            }))}
            format={(v) => formatNumber(v, lang)}
            formatShare={pct}
            labelHeader={t('kpis.endOfLife')}
            valueHeader={t('kpis.units')}
            shareHeader={t('common.share')}
          />
        ) : (
          <p>{t('kpis.noEndOfLife')}</p>
        )}
      </Section>
      <Section title={t('kpis.byEntity')}>
        <DataTable
          caption={t('kpis.byEntity')}
          hideCaption
          testId="kpis-entities"
          columns={[
            { key: 'name', label: t('common.entity') },
            { key: 'units', label: t('kpis.units'), numeric: true },
            { key: 'headcount', label: t('kpis.headcount'), numeric: true },
            { key: 'perHead', label: t('kpis.equipmentPerCollaborator'), numeric: true },
            { key: 'climate', label: `${t('kpis.perCollaborator')} (${unit})`, numeric: true },
            { key: 'refurbished', label: t('kpis.refurbished'), numeric: true },
          ]}
          rows={blocks.map(({ name, b }) => ({
            name,
            units: count(b.units),
            headcount: count(b.headcount),
            perHead: count(b.equipmentPerCollaborator),
            climate: count(climate(b)?.perCollaborator ?? null),
            refurbished:
              b.refurbished.share === null ? '—' : { text: pct(b.refurbished.share), value: b.refurbished.share },
          }))}
        />
      </Section>
    </>
  );
}

export function KpisPage() {
  const { t, campaign } = useApp();
  const kpis = useGet<KpisView>(campaign ? paths.kpis(campaign.id) : null);
  return (
    <>
      <h1>{t('kpis.title')}</h1>
      <Async state={kpis} notFound={t('error.noResults')}>
        {(k) => <Kpis k={k} />}
      </Async>
    </>
  );
}
