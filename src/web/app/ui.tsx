/** Small pieces shared by the pages: loading and error states, export buttons, key figures, a pager. */
import type { ComponentChildren } from 'preact';
import type { CsvValue } from '../../formats/csv-write.js';
import type { ApiError } from '../api.js';
import { csvFileName, tableCsv } from '../csv.js';
import { useApp } from './context.js';
import { saveText } from './download.js';

export function Loading() {
  const { t } = useApp();
  return (
    <p class="loading" role="status">
      {t('app.loading')}
    </p>
  );
}

/** An API error as a message: "not available yet" for routes the server lacks, "not assessed" for missing totals. */
export function ErrorBox({ error, notFound }: { readonly error: ApiError; readonly notFound?: string }) {
  const { t } = useApp();
  const text =
    error.kind === 'unavailable'
      ? t('error.unavailable', { path: error.path.split('?')[0]! })
      : error.kind === 'not-found' && notFound
        ? notFound
        : error.kind === 'network'
          ? t('error.network')
          : t('error.generic', { title: error.problem?.detail ?? error.message, status: error.status });
  return (
    <p class={error.kind === 'unavailable' ? 'notice' : 'error'} role="alert" data-testid={`error-${error.kind}`}>
      {text}
    </p>
  );
}

/** Renders `children(data)` once loaded, the error or a loading line otherwise. */
export function Async<T>(p: {
  readonly state: { data: T | undefined; error: ApiError | undefined; loading: boolean };
  readonly notFound?: string;
  readonly children: (data: T) => ComponentChildren;
}) {
  if (p.state.error) return <ErrorBox error={p.state.error} notFound={p.notFound} />;
  if (p.state.data === undefined) return <Loading />;
  return <>{p.children(p.state.data)}</>;
}

export interface ExportTable {
  readonly title: string;
  readonly header: readonly string[];
  readonly rows: readonly (readonly CsvValue[])[];
}

/** "Export as CSV" for a page table: French-Excel friendly when the interface is French. */
export function CsvButton({ table, testId }: { readonly table: ExportTable; readonly testId?: string }) {
  const { t, lang, campaign } = useApp();
  return (
    <button
      type="button"
      class="secondary"
      data-testid={testId ?? 'export-csv'}
      aria-label={t('export.label', { title: table.title, format: 'CSV' })}
      onClick={() =>
        saveText(
          tableCsv(table, lang),
          csvFileName(table.title, campaign?.referenceDate ?? new Date().toISOString().slice(0, 10)),
        )
      }
    >
      {t('export.csv')}
    </button>
  );
}

/** A section with a heading and an optional toolbar (exports). */
export function Section(p: {
  readonly title: string;
  readonly id?: string;
  readonly tools?: ComponentChildren;
  readonly children: ComponentChildren;
}) {
  const id = p.id ?? `s-${p.title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
  return (
    <section class="card" aria-labelledby={id}>
      <div class="card-head">
        <h2 id={id}>{p.title}</h2>
        {p.tools ? <div class="tools">{p.tools}</div> : null}
      </div>
      {p.children}
    </section>
  );
}

export function Pager(p: {
  readonly offset: number;
  readonly limit: number;
  readonly total: number;
  readonly onOffset: (offset: number) => void;
}) {
  const { t } = useApp();
  const pages = Math.max(1, Math.ceil(p.total / p.limit));
  const page = Math.floor(p.offset / p.limit) + 1;
  return (
    <nav class="pager" aria-label={t('common.page', { page, pages })}>
      <button type="button" disabled={page <= 1} onClick={() => p.onOffset(Math.max(0, p.offset - p.limit))}>
        {t('common.previous')}
      </button>
      <span aria-live="polite">{t('common.page', { page, pages })}</span>
      <button type="button" disabled={page >= pages} onClick={() => p.onOffset(p.offset + p.limit)}>
        {t('common.next')}
      </button>
    </nav>
  );
}

/** Generic JSON rendered as a definition list / table, for routes whose shape is still open (KPIs, services). */
export function JsonView({ value }: { readonly value: unknown }) {
  if (Array.isArray(value)) {
    const objects = value.filter((v): v is Record<string, unknown> => v !== null && typeof v === 'object');
    if (objects.length === value.length && objects.length > 0) {
      const keys = [...new Set(objects.flatMap((o) => Object.keys(o)))];
      return (
        <div class="table-wrap" tabIndex={0}>
          <table class="data-table">
            <thead>
              <tr>
                {keys.map((k) => (
                  <th scope="col" key={k}>
                    {k}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {objects.map((o, i) => (
                <tr key={i}>
                  {keys.map((k) => (
                    <td key={k}>{scalar(o[k])}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      );
    }
    return (
      <ul>
        {value.map((v, i) => (
          <li key={i}>
            <JsonView value={v} />
          </li>
        ))}
      </ul>
    );
  }
  if (value !== null && typeof value === 'object')
    return (
      <dl class="kv">
        {Object.entries(value).map(([k, v]) => (
          <div key={k}>
            <dt>{k}</dt>
            <dd>{typeof v === 'object' && v !== null ? <JsonView value={v} /> : scalar(v)}</dd>
          </div>
        ))}
      </dl>
    );
  return <span>{scalar(value)}</span>;
}

const scalar = (v: unknown): string =>
  v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);
