/**
 * Why it changed: between two campaigns, the waterfall of the decomposition (reference data, scope, fleet,
 * lifetimes, electricity…) whose effects sum to the delta, and the inventory diff (items added, removed, changed).
 */
import { useState } from 'preact/hooks';
import { paths, toComparison, type CompareView } from '../api.js';
import { Waterfall } from '../components/charts/index.js';
import { formatNumber, formatSigned, quantityFormatter } from '../format.js';
import { codeLabel } from '../i18n/index.js';
import { useApp } from '../app/context.js';
import { useGet } from '../app/hooks.js';
import { Async, CsvButton, Section } from '../app/ui.js';
import { DataTable } from '../components/data-table.js';

export function ChangePage() {
  const { t, lang, campaigns, campaign } = useApp();
  const later = campaign ?? campaigns[campaigns.length - 1];
  const earlier = campaigns.filter((c) => c.id !== later?.id && c.referenceDate <= (later?.referenceDate ?? ''));
  // The latest campaign before the selected one, else any other (a comparison backwards in time is allowed).
  const others = campaigns.filter((c) => c.id !== later?.id);
  const [fromId, setFromId] = useState<string | null>(earlier[earlier.length - 1]?.id ?? others[0]?.id ?? null);
  const view = useGet<CompareView>(later && fromId ? paths.compare(fromId, later.id) : null);
  const cmp = { ...view, data: view.data ? toComparison(view.data) : undefined };
  if (!later || campaigns.length < 2)
    return (
      <>
        <h1>{t('change.title')}</h1>
        <p class="notice">{t('change.needTwo')}</p>
      </>
    );
  const from = campaigns.find((c) => c.id === fromId);
  return (
    <>
      <h1>{t('change.title')}</h1>
      <div class="row card">
        <label>
          {t('change.from')}
          <select
            data-testid="change-from"
            value={fromId ?? ''}
            onChange={(e) => setFromId((e.target as HTMLSelectElement).value)}
          >
            {others.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </label>
        <p>
          {t('change.to')} : <strong>{later.name}</strong>
        </p>
      </div>
      <Async state={cmp} notFound={t('error.noResults')}>
        {(c) => {
          const unit = c.unit ?? 'kg CO2 eq';
          const q = quantityFormatter(unit, [c.before, c.after], lang);
          const sum = c.effects.reduce((a, e) => a + e.value, 0);
          const effectLabel = (e: string) => codeLabel(lang, 'effect', e);
          return (
            <>
              <Section
                title={t('change.waterfall')}
                tools={
                  <CsvButton
                    testId="export-csv-change"
                    table={{
                      title: t('change.waterfall'),
                      header: [t('chart.effect'), t('common.value'), t('common.unit')],
                      rows: [
                        [from?.name ?? t('chart.start'), c.before, unit],
                        ...c.effects.map((e) => [effectLabel(e.effect), e.value, unit] as const),
                        [later.name, c.after, unit],
                      ],
                    }}
                  />
                }
              >
                <Waterfall
                  id="change"
                  testId="chart-change"
                  title={`${t('change.waterfall')} (${codeLabel(lang, 'criterion', c.criterion ?? 'CLIMATE_CHANGE')})`}
                  tableLabel={t('chart.table')}
                  start={{ label: from?.name ?? t('chart.start'), value: c.before }}
                  steps={c.effects.map((e) => ({ label: effectLabel(e.effect), value: e.value }))}
                  end={{ label: later.name, value: c.after }}
                  format={q.format}
                  formatSigned={(v) => `${formatSigned(v * q.display.factor, lang)} ${q.display.unit}`}
                  labelHeader={t('chart.effect')}
                  valueHeader={q.display.unit}
                />
                <ul class="figures">
                  <li class="figure">
                    <span class="label">{t('change.delta')}</span>
                    <span class="value" data-testid="change-delta" data-value={String(c.delta)}>
                      {formatSigned(c.delta * q.display.factor, lang)} {q.display.unit}
                    </span>
                  </li>
                  <li class="figure">
                    <span class="label">{t('change.sum')}</span>
                    <span class="value" data-testid="change-effects-sum" data-value={String(sum)}>
                      {formatSigned(sum * q.display.factor, lang)} {q.display.unit}
                    </span>
                  </li>
                </ul>
                <ul class="visually-hidden" data-testid="change-effects">
                  {c.effects.map((e) => (
                    <li key={e.effect} data-testid={`effect-${e.effect}`} data-value={String(e.value)}>
                      {effectLabel(e.effect)}: {e.value}
                    </li>
                  ))}
                </ul>
              </Section>
              <Section title={t('change.diff')}>
                <ul class="figures" data-testid="change-diff">
                  <li class="figure">
                    <span class="label">{t('change.added')}</span>
                    <span class="value" data-value={String(c.diff.added)}>
                      {formatNumber(c.diff.added, lang)}
                    </span>
                  </li>
                  <li class="figure">
                    <span class="label">{t('change.removed')}</span>
                    <span class="value" data-value={String(c.diff.removed)}>
                      {formatNumber(c.diff.removed, lang)}
                    </span>
                  </li>
                  <li class="figure">
                    <span class="label">{t('change.changed')}</span>
                    <span class="value" data-value={String(c.diff.changed)}>
                      {formatNumber(c.diff.changed, lang)}
                    </span>
                  </li>
                </ul>
                {(['added', 'removed', 'changed'] as const).map((k) => {
                  const rows = c.diff.first?.[k] ?? [];
                  if (rows.length === 0) return null;
                  const cell = (v: unknown) =>
                    v === undefined || v === null ? '' : Array.isArray(v) ? v.join(', ') : String(v);
                  return (
                    <DataTable
                      key={k}
                      caption={t(`change.${k}`)}
                      testId={`change-diff-${k}`}
                      columns={[
                        { key: 'label', label: t('common.name') },
                        { key: 'kind', label: t('common.kind') },
                        ...(k === 'changed'
                          ? [
                              {
                                key: 'quantityBefore',
                                label: `${t('common.quantity')} (${t('common.before')})`,
                                numeric: true,
                              },
                              {
                                key: 'quantityAfter',
                                label: `${t('common.quantity')} (${t('common.after')})`,
                                numeric: true,
                              },
                              { key: 'fields', label: t('change.fields') },
                            ]
                          : [{ key: 'quantity', label: t('common.quantity'), numeric: true }]),
                      ]}
                      rows={rows.map((r) => ({
                        label: cell(r['label']),
                        kind: cell(r['kind']),
                        quantity: cell(r['quantity']),
                        quantityBefore: cell(r['quantityBefore']),
                        quantityAfter: cell(r['quantityAfter']),
                        fields: cell(r['fields']),
                      }))}
                    />
                  );
                })}
              </Section>
            </>
          );
        }}
      </Async>
    </>
  );
}
