/** Digital services: their list, and a service's footprint per functional unit with its versions side by side. */
import { useState } from 'preact/hooks';
import { paths, type ServiceFootprintView, type ServiceView } from '../api.js';
import { formatDate, formatQuantity } from '../format.js';
import { codeLabel } from '../i18n/index.js';
import { useApp } from '../app/context.js';
import { useGet } from '../app/hooks.js';
import { Async, Section } from '../app/ui.js';
import { DataTable } from '../components/data-table.js';

/** One criterion of every version of a service, per functional unit, split by tier: versions side by side. */
function ServiceFootprint({ id }: { readonly id: string }) {
  const { t, lang } = useApp();
  const fp = useGet<ServiceFootprintView>(paths.serviceFootprint(id));
  return (
    <Async state={fp}>
      {(f) => {
        const criteria = [...new Set(f.versions.flatMap((v) => v.criteria.map((c) => c.criterion)))];
        return (
          <>
            {criteria.map((crit) => (
              <DataTable
                key={crit}
                caption={`${f.name} — ${codeLabel(lang, 'criterion', crit)} / ${f.footprint.functionalUnit.label}`}
                testId={`service-footprint-${crit}`}
                columns={[
                  { key: 'tier', label: t('common.tier') },
                  ...f.versions.map((v) => ({ key: v.id, label: v.version, numeric: true })),
                ]}
                rows={(['total', 'terminals', 'network', 'datacenter'] as const).map((k) => ({
                  tier:
                    k === 'total'
                      ? t('common.total')
                      : codeLabel(
                          lang,
                          'tier',
                          { terminals: 'TERMINAL', network: 'NETWORK', datacenter: 'DATACENTER' }[k],
                        ),
                  ...Object.fromEntries(
                    f.versions.map((v) => {
                      const c = v.criteria.find((x) => x.criterion === crit);
                      const value = c?.perFunctionalUnit[k];
                      return [v.id, value === undefined ? '' : { text: formatQuantity(value, c!.unit, lang), value }];
                    }),
                  ),
                }))}
              />
            ))}
          </>
        );
      }}
    </Async>
  );
}

export function ServicesPage() {
  const { t, lang, organisation } = useApp();
  const services = useGet<ServiceView[]>(organisation ? paths.services(organisation.id) : null);
  const [open, setOpen] = useState<string | null>(null);
  return (
    <>
      <h1>{t('services.title')}</h1>
      <Section title={t('services.title')}>
        <Async state={services}>
          {(list) => (
            <table class="data-table" data-testid="services-table">
              <caption class="visually-hidden">{t('services.title')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('common.name')}</th>
                  <th scope="col">{t('referential.version')}</th>
                  <th scope="col">{t('common.date')}</th>
                </tr>
              </thead>
              <tbody>
                {list.map((s) => (
                  <tr key={s.id}>
                    <th scope="row">
                      <button type="button" class="link" onClick={() => setOpen(s.id)}>
                        {s.name}
                      </button>
                    </th>
                    <td>{s.version}</td>
                    <td>{formatDate(s.updatedAt, lang)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </Async>
      </Section>
      {open ? (
        <Section title={t('services.footprint')}>
          <ServiceFootprint id={open} />
        </Section>
      ) : null}
    </>
  );
}
