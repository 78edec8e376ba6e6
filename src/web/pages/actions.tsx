/** Action plan: actions with an owner, a due date, the scenario they stand for, expected and measured savings. */
import { useState } from 'preact/hooks';
import {
  ApiError,
  paths,
  toActions,
  toSavedScenario,
  type ActionInput,
  type ActionPlanView,
  type ScenarioView,
} from '../api.js';
import { formatDate, formatQuantity } from '../format.js';
import { useApp } from '../app/context.js';
import { useGet } from '../app/hooks.js';
import { Async, CsvButton, ErrorBox, Section } from '../app/ui.js';

const UNIT = 'kg CO2 eq';

export function ActionsPage() {
  const { t, lang, api, organisation, campaign } = useApp();
  const plan = useGet<ActionPlanView>(organisation ? paths.actions(organisation.id) : null);
  const actions = { ...plan, data: plan.data ? toActions(plan.data) : undefined };
  const scenarioViews = useGet<ScenarioView[]>(campaign ? paths.scenarios(campaign.id) : null);
  const scenarios = { data: scenarioViews.data?.map(toSavedScenario) };
  const [f, setF] = useState({ title: '', owner: '', dueDate: '', scenarioId: '' });
  const [error, setError] = useState<ApiError | null>(null);
  if (!organisation) return <h1>{t('actions.title')}</h1>;
  const saving = (v: number | null) => (v === null ? '—' : formatQuantity(v, UNIT, lang));
  return (
    <>
      <h1>{t('actions.title')}</h1>
      <Async state={actions}>
        {(list) => (
          <Section
            title={t('actions.title')}
            tools={
              <CsvButton
                testId="export-csv-actions"
                table={{
                  title: t('actions.title'),
                  header: [
                    t('actions.titleField'),
                    t('actions.owner'),
                    t('actions.due'),
                    t('actions.expected'),
                    t('actions.measured'),
                  ],
                  rows: list.map((a) => [a.title, a.owner, a.dueDate, a.status, a.expectedSaving, a.measuredSaving]),
                }}
              />
            }
          >
            {list.length === 0 ? (
              <p>{t('actions.none')}</p>
            ) : (
              <table class="data-table" data-testid="actions-table">
                <caption class="visually-hidden">{t('actions.title')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('actions.titleField')}</th>
                    <th scope="col">{t('actions.owner')}</th>
                    <th scope="col">{t('actions.due')}</th>
                    <th scope="col">{t('common.status')}</th>
                    <th scope="col" class="num">
                      {t('actions.expected')}
                    </th>
                    <th scope="col" class="num">
                      {t('actions.measured')}
                    </th>
                    <th scope="col">
                      <span class="visually-hidden">{t('common.delete')}</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {list.map((a) => (
                    <tr key={a.id}>
                      <th scope="row">{a.title}</th>
                      <td>{a.owner ?? ''}</td>
                      <td>{a.dueDate ? formatDate(a.dueDate, lang) : ''}</td>
                      <td>{a.status ?? ''}</td>
                      <td
                        class="num"
                        data-testid="action-expected"
                        data-value={a.expectedSaving === null ? undefined : String(a.expectedSaving)}
                      >
                        {saving(a.expectedSaving)}
                      </td>
                      <td
                        class="num"
                        data-testid="action-measured"
                        data-value={a.measuredSaving === null ? undefined : String(a.measuredSaving)}
                      >
                        {saving(a.measuredSaving)}
                      </td>
                      <td>
                        <button
                          type="button"
                          class="link"
                          onClick={() =>
                            void api.del(paths.action(a.id)).then(plan.reload, (e) => setError(e as ApiError))
                          }
                        >
                          {t('common.delete')}
                        </button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </Section>
        )}
      </Async>
      {plan.error?.kind === 'unavailable' ? null : (
        <Section title={t('actions.new')}>
          <form
            class="row"
            onSubmit={async (e) => {
              e.preventDefault();
              const body: ActionInput = {
                title: f.title.trim(),
                owner: f.owner.trim(),
                dueDate: f.dueDate,
                scenarioId: f.scenarioId,
              };
              try {
                await api.post(paths.actions(organisation.id), body);
                setF({ title: '', owner: '', dueDate: '', scenarioId: '' });
                plan.reload();
              } catch (err) {
                setError(err instanceof ApiError ? err : null);
              }
            }}
          >
            <label>
              {t('actions.titleField')}
              <input
                required
                value={f.title}
                onInput={(e) => setF({ ...f, title: (e.target as HTMLInputElement).value })}
              />
            </label>
            <label>
              {t('actions.owner')}
              <input
                required
                value={f.owner}
                onInput={(e) => setF({ ...f, owner: (e.target as HTMLInputElement).value })}
              />
            </label>
            <label>
              {t('actions.due')}
              <input
                type="date"
                value={f.dueDate}
                onInput={(e) => setF({ ...f, dueDate: (e.target as HTMLInputElement).value })}
              />
            </label>
            <label>
              {t('actions.scenario')}
              <select
                value={f.scenarioId}
                onChange={(e) => setF({ ...f, scenarioId: (e.target as HTMLSelectElement).value })}
              >
                <option value="">—</option>
                {(scenarios.data ?? []).map((s) => (
                  <option key={s.id} value={s.id}>
                    {s.name}
                  </option>
                ))}
              </select>
            </label>
            <button type="submit">{t('common.add')}</button>
          </form>
        </Section>
      )}
      {error ? <ErrorBox error={error} /> : null}
    </>
  );
}
