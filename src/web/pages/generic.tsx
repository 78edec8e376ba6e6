/**
 * Pages whose routes are still being built on other branches (KPIs, digital services, referentials): their answers
 * shown as tables, "not available yet" until the server has them.
 */
import { paths, type TotalsDocument } from '../api.js';
import { useApp } from '../app/context.js';
import { useGet } from '../app/hooks.js';
import { Async, JsonView, Section } from '../app/ui.js';
import { DataTable } from '../components/data-table.js';

export function KpisPage() {
  const { t, campaign } = useApp();
  const kpis = useGet<unknown>(campaign ? paths.kpis(campaign.id) : null);
  return (
    <>
      <h1>{t('kpis.title')}</h1>
      <Section title={t('kpis.title')}>
        <Async state={kpis} notFound={t('error.noResults')}>
          {(k) => <JsonView value={k} />}
        </Async>
      </Section>
    </>
  );
}

export function ServicesPage() {
  const { t, organisation } = useApp();
  const services = useGet<unknown>(organisation ? paths.services(organisation.id) : null);
  return (
    <>
      <h1>{t('services.title')}</h1>
      <Section title={t('services.title')}>
        <Async state={services}>{(s) => <JsonView value={s} />}</Async>
      </Section>
    </>
  );
}

/** The campaign's referential (from its totals) and the server's packs when the route exists. */
export function ReferentialLayers({ doc }: { readonly doc: TotalsDocument }) {
  const { t } = useApp();
  const r = doc.meta.referential;
  return (
    <DataTable
      caption={t('report.sources')}
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

export function ReferentialPage() {
  const { t, campaign } = useApp();
  const packs = useGet<unknown>(paths.referentials());
  const totals = useGet<TotalsDocument>(campaign ? paths.totals(campaign.id) : null);
  return (
    <>
      <h1>{t('referential.title')}</h1>
      {campaign ? (
        <Section title={`${t('app.campaign')} ${campaign.name}`}>
          <Async state={totals} notFound={t('error.noResults')}>
            {(doc) => <ReferentialLayers doc={doc} />}
          </Async>
        </Section>
      ) : null}
      <Section title={t('referential.title')}>
        <Async state={packs}>{(p) => <JsonView value={p} />}</Async>
      </Section>
    </>
  );
}
