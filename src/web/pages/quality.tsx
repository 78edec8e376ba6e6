/**
 * Data quality: what the user can fix (rejected lines with reasons and the rejects file, items on a default factor,
 * missing consumptions) apart from what the open referential does not cover. From the totals document and the
 * uploads; the quality route's extra details, and the fixes that would narrow the climate total's F21 range most
 * (each input's share of the variance, the fix, the items concerned, the P5–P95 width if it were exact).
 */
import { useState } from 'preact/hooks';
import { ApiError, paths, type QualityView, type TotalsDocument, type UncertaintyFixes, type Upload } from '../api.js';
import { formatNumber, formatPercent, formatQuantity, type Lang } from '../format.js';
import { codeLabel, type Translator } from '../i18n/index.js';
import { useApp } from '../app/context.js';
import { saveBlob } from '../app/download.js';
import { useGet } from '../app/hooks.js';
import { Async, CsvButton, ErrorBox, Section } from '../app/ui.js';
import { DataTable } from '../components/data-table.js';

export function QualitySummary({ doc }: { readonly doc: TotalsDocument }) {
  const { t, lang } = useApp();
  const cov = doc.totals.coverage;
  if (!cov) return null;
  const toFix = Object.entries(cov.toFix.byCode);
  const notCovered = Object.entries(cov.notCovered.byCriterion).flatMap(([criterion, steps]) =>
    Object.entries(steps).map(([step, n]) => ({ criterion, step, n })),
  );
  const toFixRows = toFix.map(([code, x]) => ({
    code,
    indicators: { text: formatNumber(x.indicators, lang), value: x.indicators },
    items: { text: formatNumber(x.items, lang), value: x.items },
    first: x.first.map((f) => `${f.item}${f.file ? ` (${f.file}${f.line ? `:${f.line}` : ''})` : ''}`).join(', '),
  }));
  return (
    <>
      <Section
        title={t('quality.toFix')}
        tools={
          <CsvButton
            testId="export-csv-tofix"
            table={{
              title: t('quality.toFix'),
              header: [t('quality.code'), t('quality.indicators'), t('quality.items'), t('common.name')],
              rows: toFix.map(([code, x]) => [code, x.indicators, x.items, x.first.map((f) => f.item).join(', ')]),
            }}
          />
        }
      >
        <p>{t('quality.errorShare', { share: formatPercent(cov.toFix.share, lang) })}</p>
        <DataTable
          caption={t('quality.toFix')}
          hideCaption
          testId="quality-tofix"
          columns={[
            { key: 'code', label: t('quality.code') },
            { key: 'indicators', label: t('quality.indicators'), numeric: true },
            { key: 'items', label: t('quality.items'), numeric: true },
            { key: 'first', label: t('common.name') },
          ]}
          rows={toFixRows}
        />
      </Section>
      <Section
        title={t('quality.notCovered')}
        tools={
          <CsvButton
            testId="export-csv-notcovered"
            table={{
              title: t('quality.notCovered'),
              header: [t('common.criterion'), t('common.step'), t('quality.indicators')],
              rows: notCovered.map((r) => [r.criterion, r.step, r.n]),
            }}
          />
        }
      >
        <p>{t('quality.notCoveredHelp', { how: cov.notCovered.howToLoad ?? '' })}</p>
        <DataTable
          caption={t('quality.notCovered')}
          hideCaption
          testId="quality-notcovered"
          columns={[
            { key: 'criterion', label: t('common.criterion') },
            { key: 'step', label: t('common.step') },
            { key: 'n', label: t('quality.indicators'), numeric: true },
          ]}
          rows={notCovered.map((r) => ({
            criterion: codeLabel(lang, 'criterion', r.criterion),
            step: codeLabel(lang, 'step', r.step),
            n: { text: formatNumber(r.n, lang), value: r.n },
          }))}
        />
      </Section>
    </>
  );
}

function Rejects({ campaignId }: { readonly campaignId: string }) {
  const { t, lang, api } = useApp();
  const uploads = useGet<Upload[]>(paths.uploads(campaignId));
  const [error, setError] = useState<ApiError | null>(null);
  const download = async (u: Upload) => {
    try {
      const res = await api.raw('GET', paths.rejects(u.id));
      saveBlob(await res.blob(), `${u.fileName.replace(/\.[^.]+$/, '')}-rejects.csv`);
    } catch (e) {
      setError(e instanceof ApiError ? e : null);
    }
  };
  return (
    <Section title={t('quality.rejects')}>
      {error ? <ErrorBox error={error} /> : null}
      <Async state={uploads}>
        {(list) => (
          <div class="table-wrap" tabIndex={0}>
            <table class="data-table" data-testid="rejects-table">
              <caption class="visually-hidden">{t('quality.rejects')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('common.file')}</th>
                  <th scope="col" class="num">
                    {t('imports.read')}
                  </th>
                  <th scope="col" class="num">
                    {t('imports.rejected')}
                  </th>
                  <th scope="col">{t('quality.code')}</th>
                  <th scope="col">
                    <span class="visually-hidden">{t('quality.downloadRejects', { file: '' })}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {list.map((u) => {
                  const codes = new Map<string, number>();
                  for (const i of u.report.issues)
                    if (i.severity === 'error') codes.set(i.code, (codes.get(i.code) ?? 0) + 1);
                  return (
                    <tr key={u.id}>
                      <th scope="row">{u.fileName}</th>
                      <td class="num">{formatNumber(u.report.read, lang)}</td>
                      <td class="num" data-value={String(u.report.rejected)}>
                        {formatNumber(u.report.rejected, lang)}
                      </td>
                      <td>
                        {u.report.fileError ? `${u.report.fileError.code}: ${u.report.fileError.message} ` : ''}
                        {[...codes].map(([c, n]) => `${c} × ${n}`).join(', ')}
                      </td>
                      <td>
                        {u.report.rejected > 0 ? (
                          <button
                            type="button"
                            class="secondary"
                            data-testid="download-rejects"
                            onClick={() => void download(u)}
                          >
                            {t('quality.downloadRejects', { file: u.fileName })}
                          </button>
                        ) : null}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </Async>
    </Section>
  );
}

/** What the quality route adds: items on a default factor or PUE, missing consumptions, reasons per file. */
function QualityExtra({ q }: { readonly q: QualityView }) {
  const { t, lang } = useApp();
  return (
    <>
      <ul class="figures" data-testid="quality-figures">
        <li class="figure">
          <span class="label">{t('quality.defaults')}</span>
          <span class="value" data-testid="quality-default-factor" data-value={String(q.defaultFactor.items)}>
            {formatNumber(q.defaultFactor.items, lang)}
          </span>
          <span class="sub">{q.defaultFactor.code}</span>
        </li>
        <li class="figure">
          <span class="label">PUE</span>
          <span class="value" data-value={String(q.defaultPue.items)}>
            {formatNumber(q.defaultPue.items, lang)}
          </span>
          <span class="sub">{q.defaultPue.code}</span>
        </li>
        <li class="figure">
          <span class="label">{t('quality.missing')}</span>
          <span class="value" data-testid="quality-missing" data-value={String(q.missingConsumption?.items ?? 0)}>
            {formatNumber(q.missingConsumption?.items ?? 0, lang)}
          </span>
          <span class="sub">{q.missingConsumption?.first.map((f) => f.item).join(', ') ?? ''}</span>
        </li>
      </ul>
      <DataTable
        caption={t('quality.rejects')}
        testId="quality-reasons"
        columns={[
          { key: 'file', label: t('common.file') },
          { key: 'rejected', label: t('imports.rejected'), numeric: true },
          { key: 'reasons', label: t('quality.code') },
        ]}
        rows={q.uploads
          .filter((u) => u.rejected > 0 || u.fileError)
          .map((u) => ({
            file: u.fileName,
            rejected: { text: formatNumber(u.rejected, lang), value: u.rejected },
            reasons: [
              ...(u.fileError ? [`${u.fileError.code}: ${u.fileError.message}`] : []),
              ...u.topReasons.map((r) => `${r.code} × ${r.lines}: ${r.message}`),
            ].join(' · '),
          }))}
      />
    </>
  );
}

/** A readable name of an input of the range: a reference item and its step, an electricity mix, activity data. */
function inputLabel(input: string, t: Translator, lang: Lang): string {
  const [kind, rest = ''] = [input.slice(0, input.indexOf(':')), input.slice(input.indexOf(':') + 1)];
  if (kind === 'activity') {
    const q = rest === 'HIGH' || rest === 'LOW' || rest === 'MEDIUM' ? t(`quality.q.${rest}`) : rest;
    return t('quality.input.activity', { quality: q });
  }
  if (kind === 'elec') return t('quality.input.elec', { location: rest.split('|')[0] ?? rest });
  if (kind === 'item') {
    const [item, step] = rest.split('|');
    return `${item ?? rest} · ${codeLabel(lang, 'step', step ?? '')}`;
  }
  const [k, step] = rest.split(':');
  return `${k ?? rest} · ${codeLabel(lang, 'step', step ?? '')}`;
}

/** The fixes that would narrow the uncertainty most (F21), largest share of the variance first. */
export function UncertaintyFixesView({ fx }: { readonly fx: UncertaintyFixes }) {
  const { t, lang } = useApp();
  const q = (x: number) => formatQuantity(x, fx.unit, lang);
  const fixText = (f: UncertaintyFixes['fixes'][number]) =>
    t(`quality.fix.${f.fix}`, { defaults: formatNumber(f.defaultFactorItems, lang) });
  const header = [
    t('quality.fixInput'),
    t('quality.fixAction'),
    t('quality.items'),
    t('quality.fixShare'),
    t('quality.fixWidth'),
  ];
  return (
    <Section
      title={t('quality.fixes')}
      tools={
        <CsvButton
          testId="export-csv-fixes"
          table={{
            title: t('quality.fixes'),
            header,
            rows: fx.fixes.map((f) => [inputLabel(f.input, t, lang), fixText(f), f.items, f.share, f.widthIfExact]),
          }}
        />
      }
    >
      <p data-testid="fixes-range" data-p5={String(fx.p5)} data-p95={String(fx.p95)}>
        {t('quality.fixesHelp', {
          criterion: codeLabel(lang, 'criterion', fx.criterion),
          nominal: q(fx.nominal),
          lower: q(fx.p5),
          upper: q(fx.p95),
          width: q(fx.width),
        })}
      </p>
      {fx.fixes.length === 0 ? (
        <p>{t('quality.fixes.none')}</p>
      ) : (
        <div class="table-wrap" tabIndex={0}>
          <DataTable
            caption={t('quality.fixes')}
            hideCaption
            testId="quality-fixes"
            columns={[
              { key: 'input', label: header[0]! },
              { key: 'fix', label: header[1]! },
              { key: 'items', label: header[2]!, numeric: true },
              { key: 'share', label: header[3]!, numeric: true },
              { key: 'width', label: header[4]!, numeric: true },
            ]}
            rows={fx.fixes.map((f) => ({
              input: inputLabel(f.input, t, lang),
              fix: fixText(f),
              items: { text: formatNumber(f.items, lang), value: f.items },
              share: { text: formatPercent(f.share, lang), value: f.share },
              width: { text: q(f.widthIfExact), value: f.widthIfExact },
            }))}
          />
        </div>
      )}
    </Section>
  );
}

export function QualityPage() {
  const { t, campaign } = useApp();
  const totals = useGet<TotalsDocument>(campaign ? paths.totals(campaign.id) : null);
  const extra = useGet<QualityView>(campaign ? paths.quality(campaign.id) : null);
  if (!campaign) return <h1>{t('quality.title')}</h1>;
  return (
    <>
      <h1>{t('quality.title')}</h1>
      <Rejects campaignId={campaign.id} />
      <Async state={totals} notFound={t('error.noResults')}>
        {(doc) => <QualitySummary doc={doc} />}
      </Async>
      <Section title={`${t('quality.defaults')} · ${t('quality.missing')}`}>
        <Async state={extra} notFound={t('error.noResults')}>
          {(q) => <QualityExtra q={q} />}
        </Async>
      </Section>
      <Async state={extra} notFound={t('error.noResults')}>
        {(q) =>
          q.uncertaintyFixes ? (
            <UncertaintyFixesView fx={q.uncertaintyFixes} />
          ) : q.assessed ? (
            <Section title={t('quality.fixes')}>
              <p>{t('quality.fixes.notYet')}</p>
            </Section>
          ) : null
        }
      </Async>
    </>
  );
}
