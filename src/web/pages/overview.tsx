/**
 * Overview of a campaign: total per criterion (uncertainty range when present), per collaborator, people-equivalent,
 * electricity; for the chosen criterion, the split by tier, step, type, entity and country and the top contributors.
 * Uses the breakdowns route when the server has it, else the totals document.
 */
import { useState } from 'preact/hooks';
import {
  ApiError,
  paths,
  toBreakdowns,
  type Breakdowns,
  type BreakdownsView,
  type LabelValue,
  type TotalsDocument,
} from '../api.js';
import { HBarChart, SplitBar, type TableMode } from '../components/charts/index.js';
import { formatPercent, formatQuantity, formatNumber, quantityFormatter, type Lang } from '../format.js';
import { codeLabel, type Translator } from '../i18n/index.js';
import { breakdownsFromTotals, entityLabel, rangeOf, topWithOther } from '../model/overview.js';
import { useApp } from '../app/context.js';
import { useGet } from '../app/hooks.js';
import { Async, CsvButton, ErrorBox, Section, type ExportTable } from '../app/ui.js';

const DEFAULT_CRITERION = 'CLIMATE_CHANGE';

/** Key figures: one per criterion, and per collaborator / people / electricity for climate change. */
export function KeyFigures({ doc }: { readonly doc: TotalsDocument }) {
  const { t, lang } = useApp();
  return <KeyFiguresView doc={doc} t={t} lang={lang} />;
}

export function KeyFiguresView({ doc, t, lang }: { doc: TotalsDocument; t: Translator; lang: Lang }) {
  const climate = doc.totals.byCriterion.find((c) => c.criterion === DEFAULT_CRITERION);
  const elec = doc.totals.electricity;
  const coverage = doc.totals.coverage;
  return (
    <>
      {doc.scope !== undefined ? (
        <p class="notice" role="note" data-testid="scope-notice">
          {t('overview.scope', { entities: doc.scope.entities.join(', ') })}
        </p>
      ) : null}
      <ul class="figures" data-testid="totals">
        {doc.totals.byCriterion.map((c) => {
          const range = rangeOf(c, doc);
          return (
            <li class="figure" key={c.criterion}>
              <span class="label">{codeLabel(lang, 'criterion', c.criterion)}</span>
              <span class="value" data-testid={`total-${c.criterion}`} data-value={String(c.value)}>
                {formatQuantity(c.value, c.unit, lang)}
              </span>
              {range ? (
                <span
                  class="sub"
                  data-testid={`range-${c.criterion}`}
                  data-lower={String(range.lower)}
                  data-upper={String(range.upper)}
                >
                  {t('overview.range', {
                    lower: formatQuantity(range.lower, c.unit, lang),
                    upper: formatQuantity(range.upper, c.unit, lang),
                  })}
                </span>
              ) : null}
            </li>
          );
        })}
      </ul>
      <ul class="figures">
        {climate?.perCollaborator !== undefined ? (
          <li class="figure">
            <span class="label">{t('overview.perCollaborator')}</span>
            <span class="value" data-testid="per-collaborator" data-value={String(climate.perCollaborator)}>
              {formatQuantity(climate.perCollaborator, climate.unit, lang)}
            </span>
            {doc.totals.collaborators !== undefined ? (
              <span class="sub">
                {t('overview.perCollaboratorValue', {
                  value: formatQuantity(climate.perCollaborator, climate.unit, lang),
                  count: formatNumber(doc.totals.collaborators, lang),
                })}
              </span>
            ) : null}
          </li>
        ) : null}
        {climate?.peopleEquivalent !== undefined ? (
          <li class="figure">
            <span class="label">{t('overview.people')}</span>
            <span class="value" data-testid="people-equivalent" data-value={String(climate.peopleEquivalent)}>
              {formatNumber(climate.peopleEquivalent, lang)}
            </span>
            <span class="sub">
              {t('overview.peopleValue', { value: formatNumber(climate.peopleEquivalent, lang) })}
            </span>
          </li>
        ) : null}
        {elec ? (
          <li class="figure">
            <span class="label">{t('overview.electricity')}</span>
            <span class="value" data-testid="electricity" data-value={String(elec.itKWh)}>
              {formatQuantity(elec.itKWh, 'kWh', lang)}
            </span>
            <span class="sub">
              {t('overview.electricityIt', {
                it: formatQuantity(elec.itKWh, 'kWh', lang),
                facility: formatQuantity(elec.facilityKWh, 'kWh', lang),
              })}
            </span>
          </li>
        ) : null}
        {coverage ? (
          <li class="figure">
            <span class="label">{t('nav.quality')}</span>
            <span class="value">{formatPercent(coverage.computed / Math.max(1, coverage.indicators), lang)}</span>
            <span class="sub">
              {t('overview.indicators', { computed: coverage.computed, total: coverage.indicators })}
            </span>
          </li>
        ) : null}
      </ul>
    </>
  );
}

/** The CSV of a breakdown: label, exact value, unit. */
export function breakdownTable(
  title: string,
  header: string,
  rows: readonly LabelValue[],
  unit: string,
  t: Translator,
): ExportTable {
  return {
    title,
    header: [header, t('common.value'), t('common.unit')],
    rows: rows.map((r) => [r.label, r.value, unit]),
  };
}

/** The charts of the breakdowns of one criterion (shared by the overview page and the printable report). */
export function BreakdownCharts(p: {
  readonly b: Breakdowns;
  readonly t: Translator;
  readonly lang: Lang;
  readonly tableMode?: TableMode;
  readonly exports?: boolean;
  readonly idPrefix?: string;
}) {
  const { b, t, lang } = p;
  const q = quantityFormatter(b.unit, [b.total, ...b.byType.map((r) => r.value)], lang);
  const share = (s: number) => formatPercent(s, lang);
  const pre = p.idPrefix ?? 'ov';
  const common = { tableLabel: t('chart.table'), tableMode: p.tableMode, format: q.format };
  const tierRows = b.byTier.map((r) => ({ label: codeLabel(lang, 'tier', r.label), value: r.value }));
  const stepRows = b.byStep.map((r) => ({ label: codeLabel(lang, 'step', r.label), value: r.value }));
  const typeRows = topWithOther(b.byType, 12, t('common.other'));
  const entityRows = b.byEntity.map((r) => ({ label: entityLabel(r), value: r.value }));
  const tool = (title: string, header: string, rows: readonly LabelValue[], key: string) =>
    p.exports === false ? undefined : (
      <CsvButton table={breakdownTable(title, header, rows, b.unit, t)} testId={`export-csv-${key}`} />
    );
  return (
    <div class="grid">
      <Section title={t('overview.byTier')} tools={tool(t('overview.byTier'), t('common.tier'), tierRows, 'tier')}>
        <SplitBar
          {...common}
          id={`${pre}-tier`}
          testId="chart-tier"
          title={t('overview.byTier')}
          data={tierRows}
          formatShare={share}
          labelHeader={t('common.tier')}
          valueHeader={q.display.unit}
          shareHeader={t('common.share')}
        />
      </Section>
      <Section title={t('overview.byStep')} tools={tool(t('overview.byStep'), t('common.step'), stepRows, 'step')}>
        <SplitBar
          {...common}
          id={`${pre}-step`}
          testId="chart-step"
          title={t('overview.byStep')}
          data={stepRows}
          formatShare={share}
          labelHeader={t('common.step')}
          valueHeader={q.display.unit}
          shareHeader={t('common.share')}
        />
      </Section>
      <Section title={t('overview.byType')} tools={tool(t('overview.byType'), t('common.type'), b.byType, 'type')}>
        <HBarChart
          {...common}
          id={`${pre}-type`}
          testId="chart-type"
          title={t('overview.byType')}
          data={typeRows}
          single
          labelHeader={t('common.type')}
          valueHeader={q.display.unit}
          share={{ header: t('common.share'), format: share }}
        />
      </Section>
      <Section
        title={t('overview.byEntity')}
        tools={tool(t('overview.byEntity'), t('common.entity'), entityRows, 'entity')}
      >
        <HBarChart
          {...common}
          id={`${pre}-entity`}
          testId="chart-entity"
          title={t('overview.byEntity')}
          data={entityRows}
          single
          labelHeader={t('common.entity')}
          valueHeader={q.display.unit}
          share={{ header: t('common.share'), format: share }}
        />
      </Section>
      <Section
        title={t('overview.byCountry')}
        tools={tool(t('overview.byCountry'), t('common.country'), b.byCountry, 'country')}
      >
        <HBarChart
          {...common}
          id={`${pre}-country`}
          testId="chart-country"
          title={t('overview.byCountry')}
          data={b.byCountry}
          single
          labelHeader={t('common.country')}
          valueHeader={q.display.unit}
        />
      </Section>
      {b.top.length > 0 ? (
        <Section title={t('overview.top')} tools={tool(t('overview.top'), t('common.name'), b.top, 'top')}>
          <HBarChart
            {...common}
            id={`${pre}-top`}
            testId="chart-top"
            title={t('overview.top')}
            data={b.top.slice(0, 10)}
            single
            labelHeader={t('common.name')}
            valueHeader={q.display.unit}
            share={{ header: t('common.share'), format: share }}
          />
        </Section>
      ) : null}
    </div>
  );
}

/** Breakdowns of a criterion: the route's answer, or the totals document's when the route is not there yet. */
export function useBreakdowns(campaignId: string | null, criterion: string, doc: TotalsDocument | undefined) {
  const route = useGet<BreakdownsView>(campaignId ? paths.breakdowns(campaignId, criterion) : null);
  if (route.data) return { data: toBreakdowns(route.data), error: undefined };
  if (route.error && route.error.kind !== 'unavailable') return { data: undefined, error: route.error };
  if (route.loading) return { data: undefined, error: undefined };
  return { data: doc ? breakdownsFromTotals(doc, criterion) : undefined, error: undefined };
}

export function OverviewPage() {
  const { t, lang, campaign } = useApp();
  const [criterion, setCriterion] = useState(DEFAULT_CRITERION);
  const totals = useGet<TotalsDocument>(campaign ? paths.totals(campaign.id) : null);
  const b = useBreakdowns(campaign?.id ?? null, criterion, totals.data);
  if (!campaign) return <h1>{t('nav.overview')}</h1>;
  return (
    <>
      <h1>{t('overview.title', { campaign: campaign.name })}</h1>
      <Async state={totals} notFound={t('error.noResults')}>
        {(doc) => (
          <>
            <Section
              title={t('overview.totals')}
              tools={
                <CsvButton
                  testId="export-csv-totals"
                  table={{
                    title: t('overview.totals'),
                    header: [t('common.criterion'), t('common.value'), t('common.unit')],
                    rows: doc.totals.byCriterion.map((c) => [
                      codeLabel(lang, 'criterion', c.criterion),
                      c.value,
                      c.unit,
                    ]),
                  }}
                />
              }
            >
              <KeyFigures doc={doc} />
            </Section>
            <div class="row">
              <label>
                {t('overview.criterionSelect')}
                <select
                  data-testid="criterion-select"
                  value={criterion}
                  onChange={(e) => setCriterion((e.target as HTMLSelectElement).value)}
                >
                  {doc.meta.criteria.map((c) => (
                    <option key={c} value={c}>
                      {codeLabel(lang, 'criterion', c)}
                    </option>
                  ))}
                </select>
              </label>
            </div>
            {b.error ? <ErrorBox error={b.error as ApiError} /> : null}
            {b.data ? <BreakdownCharts b={b.data} t={t} lang={lang} /> : null}
          </>
        )}
      </Async>
    </>
  );
}
