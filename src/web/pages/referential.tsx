/**
 * The referential (GET /referentials, and the selected campaign's totals for its layers): one card per pack (title,
 * version, profile, embedded or the organisation's, content hash, description), a chart of its rows per file (the
 * factor counts per source) with its table, the datasets it is made from with their licence and attribution, and the
 * upstream files with their origin.
 */
import { paths, type Referential, type TotalsDocument } from '../api.js';
import { formatNumber } from '../format.js';
import { useApp } from '../app/context.js';
import { useGet } from '../app/hooks.js';
import { Async, Section } from '../app/ui.js';
import { HBarChart } from '../components/charts/index.js';
import { DataTable } from '../components/data-table.js';

/** The campaign's referential (from its totals): its id, version and layers. */
function CampaignLayers({ doc }: { readonly doc: TotalsDocument }) {
  const { t } = useApp();
  const r = doc.meta.referential;
  return (
    <DataTable
      caption={t('referential.campaignLayers')}
      testId="referential-layers"
      columns={[
        { key: 'name', label: t('referential.layers') },
        { key: 'id', label: 'Id' },
        { key: 'version', label: t('referential.version') },
      ]}
      rows={r.layers.map((l) => ({ name: l.name, id: r.id, version: r.version }))}
    />
  );
}

function Pack({ p, index }: { readonly p: Referential; readonly index: number }) {
  const { t, lang } = useApp();
  const files = [...(p.files ?? [])].sort((a, b) => b.rows - a.rows);
  const rows = files.reduce((s, f) => s + f.rows, 0);
  const count = (v: number) => formatNumber(v, lang);
  return (
    <Section title={`${p.title ?? p.name ?? p.id} — ${t('referential.version')} ${p.version}`} id={`pack-${index}`}>
      <dl class="kv" data-testid={`pack-${p.id}`}>
        <div>
          <dt>Id</dt>
          <dd>{p.id}</dd>
        </div>
        {p.profile ? (
          <div>
            <dt>{t('referential.profile')}</dt>
            <dd>{p.profile}</dd>
          </div>
        ) : null}
        <div>
          <dt>{t('referential.origin')}</dt>
          <dd>{p.embedded ? t('referential.embedded') : t('referential.user')}</dd>
        </div>
        <div>
          <dt>{t('referential.rows')}</dt>
          <dd data-value={String(rows)}>
            {t('referential.rowsIn', { rows: count(rows), files: count(files.length) })}
          </dd>
        </div>
        {(p.contentHash ?? p.hash) ? (
          <div>
            <dt>{t('referential.hash')}</dt>
            <dd>
              <code>{(p.contentHash ?? p.hash)!.slice(0, 16)}…</code>
            </dd>
          </div>
        ) : null}
      </dl>
      {p.description ? <p>{p.description}</p> : null}
      {files.length > 0 ? (
        <HBarChart
          id={`pack-${index}-rows`}
          testId={`chart-pack-rows-${index}`}
          title={t('referential.rowsPerFile', { pack: p.id })}
          tableLabel={t('chart.table')}
          single
          data={files.map((f) => ({ label: f.path.replace(/\.json$/, ''), value: f.rows }))}
          format={count}
          labelHeader={t('common.file')}
          valueHeader={t('referential.rows')}
          share={{ header: t('common.share'), format: (s) => `${formatNumber(s * 100, lang)} %` }}
        />
      ) : null}
      {files.length > 0 ? (
        <DataTable
          caption={t('referential.files')}
          testId={`pack-files-${index}`}
          columns={[
            { key: 'path', label: t('common.file') },
            { key: 'licence', label: t('referential.licence') },
            { key: 'rows', label: t('referential.rows'), numeric: true },
            { key: 'description', label: t('referential.description') },
          ]}
          rows={files.map((f) => ({
            path: f.path,
            licence: f.licence,
            rows: { text: count(f.rows), value: f.rows },
            description: f.description ?? '',
          }))}
        />
      ) : null}
      {(p.licences ?? []).length > 0 ? (
        <details>
          <summary>{t('referential.datasets', { n: count(p.licences!.length) })}</summary>
          <DataTable
            caption={t('referential.datasetsCaption')}
            testId={`pack-datasets-${index}`}
            columns={[
              { key: 'dataset', label: t('referential.dataset') },
              { key: 'licence', label: t('referential.licence') },
              { key: 'attribution', label: t('referential.attribution') },
            ]}
            rows={p.licences!.map((l) => ({ dataset: l.dataset, licence: l.licence, attribution: l.attribution }))}
          />
        </details>
      ) : null}
      {(p.sources ?? []).length > 0 ? (
        <details>
          <summary>{t('referential.sources', { n: count(p.sources!.length) })}</summary>
          <DataTable
            caption={t('referential.sourcesCaption')}
            testId={`pack-sources-${index}`}
            columns={[
              { key: 'origin', label: t('common.source') },
              { key: 'licence', label: t('referential.licence') },
            ]}
            rows={p.sources!.map((s) => ({ origin: s.origin ?? s.path ?? '', licence: s.licence ?? '' }))}
          />
        </details>
      ) : null}
    </Section>
  );
}

export function ReferentialPage() {
  const { t, campaign } = useApp();
  const packs = useGet<Referential[]>(paths.referentials());
  const totals = useGet<TotalsDocument>(campaign ? paths.totals(campaign.id) : null);
  return (
    <>
      <h1>{t('referential.title')}</h1>
      {campaign ? (
        <Section title={`${t('app.campaign')} ${campaign.name}`}>
          <Async state={totals} notFound={t('error.noResults')}>
            {(doc) => <CampaignLayers doc={doc} />}
          </Async>
        </Section>
      ) : null}
      <Async state={packs}>
        {(list) => (
          <>
            {list.map((p, i) => (
              <Pack key={`${p.id}@${p.version}`} p={p} index={i} />
            ))}
          </>
        )}
      </Async>
    </>
  );
}
