/**
 * Explorer: every assessed item, filtered and sorted on the server, paginated; each item opens its trace (formula
 * with its numbers, inputs and provenance, factors, sources, licences, referential version). Exports: the whole
 * campaign through the server's export route (CSV or XLSX, wide), the page shown as CSV.
 */
import { useState } from 'preact/hooks';
import {
  paths,
  toItemTrace,
  type ItemsPage,
  type ItemsQuery,
  type ItemTrace,
  type TraceIndicator,
  type TraceRouteView,
} from '../api.js';
import { formatNumber, formatQuantity } from '../format.js';
import { codeLabel } from '../i18n/index.js';
import { itemTotals } from '../model/items.js';
import { useApp } from '../app/context.js';
import { saveBlob, dispositionName } from '../app/download.js';
import { useGet } from '../app/hooks.js';
import { Async, CsvButton, ErrorBox, Pager, Section } from '../app/ui.js';
import { ApiError } from '../api.js';

const LIMIT = 50;
const CRITERION = 'CLIMATE_CHANGE';

/** Downloads the campaign's items from the server's export route (404/501 → "not available yet"). */
export function ServerExport({ campaignId }: { readonly campaignId: string }) {
  const { api, t, lang } = useApp();
  const [error, setError] = useState<ApiError | null>(null);
  const go = async (format: 'csv' | 'xlsx') => {
    setError(null);
    try {
      const res = await api.raw('GET', paths.export(campaignId, format, 'wide', lang));
      saveBlob(await res.blob(), dispositionName(res.headers.get('content-disposition'), `items.${format}`));
    } catch (e) {
      setError(e instanceof ApiError ? e : null);
    }
  };
  return (
    <>
      <button type="button" class="secondary" data-testid="export-items-csv" onClick={() => void go('csv')}>
        {t('export.csv')}
      </button>
      <button type="button" class="secondary" data-testid="export-items-xlsx" onClick={() => void go('xlsx')}>
        {t('export.xlsx')}
      </button>
      {error ? <ErrorBox error={error} /> : null}
    </>
  );
}

export function TraceView({ trace }: { readonly trace: ItemTrace }) {
  const { t, lang } = useApp();
  const ref = trace.meta.referential;
  return (
    <div data-testid="trace">
      <p>{t('trace.referential', { id: ref.id, version: ref.version })}</p>
      {trace.matches.map((m, mi) => (
        <div key={mi}>
          <h3>
            {m.item} — {m.kind}
            {m.file ? ` (${m.file}${m.line ? `:${m.line}` : ''})` : ''}
          </h3>
          {m.indicators
            .filter((ind) => ind.status !== 'ERROR' || ind.criterion === CRITERION)
            .map((ind, i) => (
              <IndicatorTrace key={i} ind={ind} lang={lang} />
            ))}
        </div>
      ))}
    </div>
  );
}

function IndicatorTrace({ ind, lang }: { readonly ind: TraceIndicator; readonly lang: 'fr' | 'en' }) {
  const { t } = useApp();
  const tr = ind.trace;
  return (
    <details class="card" open={ind.criterion === CRITERION && ind.status !== 'ERROR'}>
      <summary>
        {codeLabel(lang, 'criterion', ind.criterion)} · {codeLabel(lang, 'step', ind.lifecycleStep)} :{' '}
        <strong data-testid="trace-value" data-value={String(ind.value)}>
          {ind.status === 'ERROR' ? '—' : formatQuantity(ind.value, ind.unit, lang)}
        </strong>
      </summary>
      {ind.status === 'ERROR' ? (
        <p class="error">{t('trace.error', { message: ind.errorMessage ?? ind.errorCode ?? '' })}</p>
      ) : null}
      {tr ? (
        <>
          <h4>{t('trace.formula')}</h4>
          <p class="formula" data-testid="trace-formula">
            {tr.formula}
          </p>
          <table class="data-table">
            <caption>{t('trace.variables')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('common.name')}</th>
                <th scope="col" class="num">
                  {t('common.value')}
                </th>
                <th scope="col">{t('common.unit')}</th>
                <th scope="col">{t('trace.origin')}</th>
                <th scope="col">{t('common.source')}</th>
                <th scope="col">{t('common.licence')}</th>
              </tr>
            </thead>
            <tbody>
              {Object.entries(tr.variables).map(([name, v]) => (
                <tr key={name}>
                  <th scope="row">{name}</th>
                  <td class="num" data-value={typeof v.value === 'number' ? String(v.value) : undefined}>
                    {typeof v.value === 'number' ? String(v.value) : v.value}
                  </td>
                  <td>{v.unit ?? ''}</td>
                  <td>
                    {v.origin ?? ''}
                    {v.ref?.layer ? ` (${v.ref.layer}${v.ref.key ? ` · ${v.ref.key}` : ''})` : ''}
                  </td>
                  <td>{v.ref?.source ?? ''}</td>
                  <td>{v.ref?.licence ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {tr.resolution ? (
            <p>
              {t('trace.resolution')} :{' '}
              {Object.entries(tr.resolution)
                .map(([k, v]) => `${k} ${String(v)}`)
                .join(', ')}
            </p>
          ) : null}
        </>
      ) : null}
    </details>
  );
}

export function ExplorerPage() {
  const { t, lang, campaign, params } = useApp();
  const [filters, setFilters] = useState<ItemsQuery>({ q: params['q'] ?? '' });
  const [draft, setDraft] = useState<ItemsQuery>(filters);
  const [offset, setOffset] = useState(0);
  const [position, setPosition] = useState<number | null>(params['item'] ? Number(params['item']) : null);
  const page = useGet<ItemsPage>(campaign ? paths.items(campaign.id, { ...filters, offset, limit: LIMIT }) : null);
  const traceView = useGet<TraceRouteView>(campaign && position !== null ? paths.trace(campaign.id, position) : null);
  const trace = { ...traceView, data: traceView.data ? toItemTrace(traceView.data) : undefined };
  if (!campaign) return <h1>{t('explorer.title')}</h1>;
  const field = (key: 'type' | 'entity' | 'tier' | 'q', label: string) => (
    <label>
      {label}
      <input
        data-testid={`filter-${key}`}
        value={draft[key] ?? ''}
        onInput={(e) => setDraft({ ...draft, [key]: (e.target as HTMLInputElement).value })}
      />
    </label>
  );
  return (
    <>
      <h1>{t('explorer.title')}</h1>
      <form
        class="row card"
        onSubmit={(e) => {
          e.preventDefault();
          setOffset(0);
          setFilters(draft);
        }}
      >
        {field('q', t('explorer.filter.q'))}
        {field('type', t('explorer.filter.type'))}
        {field('entity', t('explorer.filter.entity'))}
        {field('tier', t('explorer.filter.tier'))}
        <label>
          {t('explorer.sort')}
          <select
            data-testid="sort"
            value={draft.sort ?? ''}
            onChange={(e) => setDraft({ ...draft, sort: (e.target as HTMLSelectElement).value || undefined })}
          >
            <option value="">—</option>
            <option value="name">{t('common.name')}</option>
            <option value="type">{t('common.type')}</option>
            <option value="entity">{t('common.entity')}</option>
            <option value="tier">{t('common.tier')}</option>
            {['MANUFACTURING', 'USE', 'EMBODIED'].map((step) => (
              <option key={step} value={`${CRITERION} ${step}`}>
                {codeLabel(lang, 'criterion', CRITERION)} · {codeLabel(lang, 'step', step)}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span class="visually-hidden">{t('explorer.sort')}</span>
          <select
            data-testid="order"
            value={draft.order ?? 'asc'}
            onChange={(e) => setDraft({ ...draft, order: (e.target as HTMLSelectElement).value as 'asc' | 'desc' })}
          >
            <option value="asc">{t('explorer.order.asc')}</option>
            <option value="desc">{t('explorer.order.desc')}</option>
          </select>
        </label>
        <button type="submit">{t('common.apply')}</button>
      </form>
      <Async state={page} notFound={t('error.noResults')}>
        {(data) => {
          const rows = data.items.map((it, i) => {
            const totals = itemTotals(data.columns, it.values);
            const climate = totals.get(CRITERION);
            return { it, pos: it.position ?? data.offset + i, climate };
          });
          const title = `${t('explorer.title')} ${campaign.name}`;
          return (
            <Section
              title={t('explorer.count', { total: formatNumber(data.total, lang) })}
              tools={
                <>
                  <ServerExport campaignId={campaign.id} />
                  <CsvButton
                    testId="export-csv-page"
                    table={{
                      title,
                      header: [
                        t('common.name'),
                        t('common.kind'),
                        t('common.type'),
                        t('common.entity'),
                        t('common.tier'),
                        t('common.quantity'),
                        ...data.columns,
                        t('common.status'),
                      ],
                      rows: data.items.map((it) => [
                        it.name,
                        it.kind,
                        it.type,
                        it.entity,
                        it.tier,
                        it.quantity,
                        ...it.values,
                        it.status,
                      ]),
                    }}
                  />
                </>
              }
            >
              <div class="table-wrap" tabIndex={0}>
                <table class="data-table" data-testid="items-table">
                  <caption class="visually-hidden">{title}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{t('common.name')}</th>
                      <th scope="col">{t('common.type')}</th>
                      <th scope="col">{t('common.entity')}</th>
                      <th scope="col">{t('common.tier')}</th>
                      <th scope="col" class="num">
                        {t('common.quantity')}
                      </th>
                      <th scope="col" class="num">
                        {codeLabel(lang, 'criterion', CRITERION)}
                      </th>
                      <th scope="col">{t('common.status')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {rows.map(({ it, pos, climate }) => (
                      <tr key={pos}>
                        <th scope="row">{it.name}</th>
                        <td>{it.type ?? ''}</td>
                        <td>{it.entity ?? ''}</td>
                        <td>{it.tier ? codeLabel(lang, 'tier', it.tier) : ''}</td>
                        <td class="num">{it.quantity === null ? '' : formatNumber(it.quantity, lang)}</td>
                        <td class="num" data-value={climate ? String(climate.value) : undefined}>
                          <button
                            type="button"
                            class="link"
                            data-testid="open-trace"
                            aria-label={t('explorer.openTrace', { name: it.name })}
                            onClick={() => setPosition(pos)}
                          >
                            {climate && climate.computed > 0 ? formatQuantity(climate.value, climate.unit, lang) : '—'}
                          </button>
                        </td>
                        <td>{it.status}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              <Pager offset={offset} limit={LIMIT} total={data.total} onOffset={setOffset} />
            </Section>
          );
        }}
      </Async>
      {position !== null ? (
        <Section
          title={t('explorer.trace')}
          tools={
            <button type="button" class="secondary" onClick={() => setPosition(null)}>
              {t('common.close')}
            </button>
          }
        >
          <Async state={trace}>{(tr) => <TraceView trace={tr} />}</Async>
        </Section>
      ) : null}
    </>
  );
}
