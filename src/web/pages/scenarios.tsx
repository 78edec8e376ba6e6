/**
 * Scenarios: compose levers, preview (baseline, scenario, delta per criterion and tier), save with a name, compare
 * saved scenarios side by side.
 */
import { useState } from 'preact/hooks';
import {
  ApiError,
  paths,
  previewOf,
  toSavedScenario,
  type Lever,
  type ScenarioPreview,
  type ScenarioPreviewView,
  type ScenarioView,
  type TotalsDocument,
} from '../api.js';
import { formatQuantity, formatSigned, quantityFormatter } from '../format.js';
import { codeLabel, type MessageKey } from '../i18n/index.js';
import { buildLever, LEVERS, type LeverDraft } from '../model/levers.js';
import { useApp } from '../app/context.js';
import { useGet } from '../app/hooks.js';
import { Async, CsvButton, ErrorBox, Section } from '../app/ui.js';

const unitOf = (doc: TotalsDocument | undefined, criterion: string, p?: ScenarioPreview | null) =>
  p?.units[criterion] ?? doc?.totals.byCriterion.find((c) => c.criterion === criterion)?.unit ?? '';

function PreviewTable({ p, doc }: { readonly p: ScenarioPreview; readonly doc: TotalsDocument | undefined }) {
  const { t, lang } = useApp();
  const criteria = Object.keys(p.delta);
  return (
    <div class="table-wrap" tabIndex={0}>
      <table class="data-table" data-testid="scenario-result">
        <caption>{t('scenarios.preview')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('common.criterion')}</th>
            <th scope="col" class="num">
              {t('scenarios.baseline')}
            </th>
            <th scope="col" class="num">
              {t('scenarios.scenario')}
            </th>
            <th scope="col" class="num">
              {t('scenarios.delta')}
            </th>
          </tr>
        </thead>
        <tbody>
          {criteria.map((c) => {
            const unit = unitOf(doc, c, p);
            const q = quantityFormatter(unit, [p.baseline[c] ?? 0], lang);
            const d = p.delta[c] ?? 0;
            return (
              <tr key={c}>
                <th scope="row">{codeLabel(lang, 'criterion', c)}</th>
                <td class="num" data-value={String(p.baseline[c])}>
                  {q.format(p.baseline[c] ?? 0)}
                </td>
                <td class="num" data-value={String(p.scenario[c])}>
                  {q.format(p.scenario[c] ?? 0)}
                </td>
                <td
                  class={`num ${d < 0 ? 'down' : d > 0 ? 'up' : ''}`}
                  data-testid={`scenario-delta-${c}`}
                  data-value={String(d)}
                >
                  {formatSigned(d * q.display.factor, lang)} {q.display.unit}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {p.byTier ? (
        <table class="data-table" data-testid="scenario-tiers">
          <caption>
            {t('scenarios.delta')} · {t('common.tier')}
          </caption>
          <thead>
            <tr>
              <th scope="col">{t('common.tier')}</th>
              {criteria.map((c) => (
                <th scope="col" class="num" key={c}>
                  {codeLabel(lang, 'criterion', c)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {Object.entries(p.byTier).map(([tier, per]) => (
              <tr key={tier}>
                <th scope="row">{codeLabel(lang, 'tier', tier)}</th>
                {criteria.map((c) => (
                  <td class="num" key={c} data-value={String(per[c] ?? 0)}>
                    {formatSigned(per[c] ?? 0, lang)} {unitOf(doc, c, p)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </div>
  );
}

export function ScenariosPage() {
  const { t, lang, api, campaign } = useApp();
  const totals = useGet<TotalsDocument>(campaign ? paths.totals(campaign.id) : null);
  const savedViews = useGet<ScenarioView[]>(campaign ? paths.scenarios(campaign.id) : null);
  const saved = { ...savedViews, data: savedViews.data?.map(toSavedScenario) };
  const [drafts, setDrafts] = useState<LeverDraft[]>([{ kind: 'lifetime', values: {} }]);
  const [preview, setPreview] = useState<ScenarioPreview | null>(null);
  const [name, setName] = useState('');
  const [error, setError] = useState<ApiError | string | null>(null);
  const [busy, setBusy] = useState(false);
  const [chosen, setChosen] = useState<string[]>([]);
  if (!campaign) return <h1>{t('scenarios.title')}</h1>;
  const types = Object.keys(totals.data?.totals.by['type'] ?? {});
  const levers = (): Lever[] | string => {
    const out: Lever[] = [];
    for (const d of drafts) {
      const r = buildLever(d);
      if ('invalid' in r) return `${t(`scenarios.lever.${d.kind}` as MessageKey)}: ${r.invalid}`;
      out.push(r.lever);
    }
    return out.length ? out : t('scenarios.noLever');
  };
  const run = async (fn: (l: Lever[]) => Promise<void>) => {
    const l = levers();
    if (typeof l === 'string') return setError(l);
    setError(null);
    setBusy(true);
    try {
      await fn(l);
    } catch (e) {
      setError(e instanceof ApiError ? e : String(e));
    } finally {
      setBusy(false);
    }
  };
  const set = (i: number, d: LeverDraft) => setDrafts(drafts.map((x, j) => (j === i ? d : x)));
  return (
    <>
      <h1>{t('scenarios.title')}</h1>
      <datalist id="types">
        {types.map((ty) => (
          <option key={ty} value={ty} />
        ))}
      </datalist>
      <Section title={t('scenarios.levers')}>
        {drafts.map((d, i) => (
          <fieldset class="row card" key={i}>
            <legend>
              {t('scenarios.lever')} {i + 1}
            </legend>
            <label>
              {t('scenarios.lever')}
              <select
                data-testid={`lever-kind-${i}`}
                value={d.kind}
                onChange={(e) => set(i, { kind: (e.target as HTMLSelectElement).value, values: {} })}
              >
                {Object.keys(LEVERS).map((k) => (
                  <option key={k} value={k}>
                    {t(`scenarios.lever.${k}` as MessageKey)}
                  </option>
                ))}
              </select>
            </label>
            {LEVERS[d.kind]!.map((f) => (
              <label key={f.name}>
                {t(`scenarios.field.${f.name}` as MessageKey)}
                <input
                  data-testid={`lever-${i}-${f.name}`}
                  list={f.kind === 'type' ? 'types' : undefined}
                  inputMode={f.kind === 'number' || f.kind === 'share' ? 'decimal' : undefined}
                  value={d.values[f.name] ?? ''}
                  onInput={(e) =>
                    set(i, { ...d, values: { ...d.values, [f.name]: (e.target as HTMLInputElement).value } })
                  }
                />
              </label>
            ))}
            <button type="button" class="secondary" onClick={() => setDrafts(drafts.filter((_, j) => j !== i))}>
              {t('common.delete')}
            </button>
          </fieldset>
        ))}
        <div class="row">
          <button
            type="button"
            class="secondary"
            data-testid="lever-add"
            onClick={() => setDrafts([...drafts, { kind: 'lifetime', values: {} }])}
          >
            {t('scenarios.addLever')}
          </button>
          <button
            type="button"
            data-testid="scenario-preview"
            disabled={busy}
            onClick={() =>
              void run(async (l) =>
                setPreview(
                  previewOf(await api.post<ScenarioPreviewView>(paths.scenarioPreview(campaign.id), { levers: l })),
                ),
              )
            }
          >
            {t('scenarios.preview')}
          </button>
          <label>
            {t('scenarios.name')}
            <input
              data-testid="scenario-name"
              value={name}
              onInput={(e) => setName((e.target as HTMLInputElement).value)}
            />
          </label>
          <button
            type="button"
            data-testid="scenario-save"
            disabled={busy || name.trim() === ''}
            onClick={() =>
              void run(async (l) => {
                await api.post(paths.scenarios(campaign.id), { name: name.trim(), levers: l });
                savedViews.reload();
              })
            }
          >
            {t('common.save')}
          </button>
        </div>
        {error ? (
          typeof error === 'string' ? (
            <p class="error" role="alert">
              {error}
            </p>
          ) : (
            <ErrorBox error={error} />
          )
        ) : null}
        <div aria-live="polite">{preview ? <PreviewTable p={preview} doc={totals.data} /> : null}</div>
      </Section>
      <Section title={t('scenarios.saved')}>
        <Async state={saved}>
          {(list) => {
            const cmp = list.filter((s) => chosen.includes(s.id));
            const criteria = [...new Set(cmp.flatMap((s) => Object.keys(s.result?.delta ?? {})))];
            return (
              <>
                <ul>
                  {list.map((s) => (
                    <li key={s.id}>
                      <label>
                        <input
                          type="checkbox"
                          data-testid="scenario-compare"
                          checked={chosen.includes(s.id)}
                          onChange={() =>
                            setChosen(chosen.includes(s.id) ? chosen.filter((x) => x !== s.id) : [...chosen, s.id])
                          }
                        />{' '}
                        {s.name}
                      </label>{' '}
                      <button
                        type="button"
                        class="link"
                        onClick={() =>
                          void api.del(paths.scenario(s.id)).then(savedViews.reload, (e) => setError(e as ApiError))
                        }
                      >
                        {t('common.delete')}
                      </button>
                    </li>
                  ))}
                </ul>
                {cmp.length > 0 ? (
                  <>
                    <CsvButton
                      testId="export-csv-scenarios"
                      table={{
                        title: t('scenarios.compare'),
                        header: [t('common.criterion'), ...cmp.map((s) => s.name)],
                        rows: criteria.map((c) => [c, ...cmp.map((s) => s.result?.delta[c] ?? null)]),
                      }}
                    />
                    <table class="data-table" data-testid="scenario-comparison">
                      <caption>
                        {t('scenarios.compare')} — {t('scenarios.delta')}
                      </caption>
                      <thead>
                        <tr>
                          <th scope="col">{t('common.criterion')}</th>
                          {cmp.map((s) => (
                            <th scope="col" class="num" key={s.id}>
                              {s.name}
                            </th>
                          ))}
                        </tr>
                      </thead>
                      <tbody>
                        {criteria.map((c) => (
                          <tr key={c}>
                            <th scope="row">{codeLabel(lang, 'criterion', c)}</th>
                            {cmp.map((s) => {
                              const d = s.result?.delta[c];
                              return (
                                <td class="num" key={s.id} data-value={d === undefined ? undefined : String(d)}>
                                  {d === undefined ? '—' : formatQuantity(d, unitOf(totals.data, c, s.result), lang)}
                                </td>
                              );
                            })}
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  </>
                ) : null}
              </>
            );
          }}
        </Async>
      </Section>
    </>
  );
}
