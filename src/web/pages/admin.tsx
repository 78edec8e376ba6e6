/** Administration: organisation, campaigns (create, lock), entities, members and roles, API tokens, audit log. */
import { useState } from 'preact/hooks';
import {
  ApiError,
  paths,
  type AuditEntry,
  type Entity,
  type Member,
  type MemberCreated,
  type Role,
  type Token,
  type TokenCreated,
} from '../api.js';
import { formatDate } from '../format.js';
import { codeLabel } from '../i18n/index.js';
import { useApp } from '../app/context.js';
import { useGet } from '../app/hooks.js';
import { Async, ErrorBox, Section } from '../app/ui.js';

function useAction() {
  const [error, setError] = useState<ApiError | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const run = async (fn: () => Promise<string | void>) => {
    setError(null);
    setMessage(null);
    try {
      const m = await fn();
      if (m) setMessage(m);
    } catch (e) {
      setError(e instanceof ApiError ? e : null);
    }
  };
  const view = (
    <>
      {error ? <ErrorBox error={error} /> : null}
      {message ? (
        <p class="notice" role="status">
          {message}
        </p>
      ) : null}
    </>
  );
  return { run, view };
}

function Entities({ org }: { readonly org: string }) {
  const { t, api } = useApp();
  const list = useGet<Entity[]>(paths.entities(org));
  const [f, setF] = useState({ name: '', parentId: '', headcount: '' });
  const act = useAction();
  return (
    <Section title={t('admin.entities')}>
      <Async state={list}>
        {(es) => (
          <>
            <table class="data-table" data-testid="entities-table">
              <caption class="visually-hidden">{t('admin.entities')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('common.name')}</th>
                  <th scope="col">{t('admin.parent')}</th>
                  <th scope="col" class="num">
                    {t('admin.headcount')}
                  </th>
                  <th scope="col">
                    <span class="visually-hidden">{t('common.delete')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {es.map((e) => (
                  <tr key={e.id}>
                    <th scope="row">{e.name}</th>
                    <td>{es.find((p) => p.id === e.parentId)?.name ?? ''}</td>
                    <td class="num">{e.headcount ?? ''}</td>
                    <td>
                      <button
                        type="button"
                        class="link"
                        onClick={() => void act.run(async () => (await api.del(paths.entity(e.id)), list.reload()))}
                      >
                        {t('common.delete')}
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            <form
              class="row"
              onSubmit={(ev) => {
                ev.preventDefault();
                void act.run(async () => {
                  await api.post(paths.entities(org), {
                    name: f.name,
                    parentId: f.parentId || null,
                    headcount: f.headcount === '' ? null : Number(f.headcount),
                  });
                  setF({ name: '', parentId: '', headcount: '' });
                  list.reload();
                });
              }}
            >
              <label>
                {t('common.name')}
                <input
                  required
                  value={f.name}
                  onInput={(e) => setF({ ...f, name: (e.target as HTMLInputElement).value })}
                />
              </label>
              <label>
                {t('admin.parent')}
                <select
                  value={f.parentId}
                  onChange={(e) => setF({ ...f, parentId: (e.target as HTMLSelectElement).value })}
                >
                  <option value="">—</option>
                  {es.map((e) => (
                    <option key={e.id} value={e.id}>
                      {e.name}
                    </option>
                  ))}
                </select>
              </label>
              <label>
                {t('admin.headcount')}
                <input
                  type="number"
                  min="0"
                  value={f.headcount}
                  onInput={(e) => setF({ ...f, headcount: (e.target as HTMLInputElement).value })}
                />
              </label>
              <button type="submit">{t('common.add')}</button>
            </form>
          </>
        )}
      </Async>
      {act.view}
    </Section>
  );
}

function Members({ org }: { readonly org: string }) {
  const { t, lang, api } = useApp();
  const list = useGet<Member[]>(paths.members(org));
  const [f, setF] = useState<{ email: string; role: Role }>({ email: '', role: 'viewer' });
  const act = useAction();
  const roles: Role[] = ['admin', 'editor', 'viewer'];
  return (
    <Section title={t('admin.members')}>
      <Async state={list}>
        {(ms) => (
          <table class="data-table" data-testid="members-table">
            <caption class="visually-hidden">{t('admin.members')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('common.email')}</th>
                <th scope="col">{t('common.role')}</th>
                <th scope="col">
                  <span class="visually-hidden">{t('common.delete')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {ms.map((m) => (
                <tr key={m.userId}>
                  <th scope="row">{m.email}</th>
                  <td>{codeLabel(lang, 'role', m.role)}</td>
                  <td>
                    <button
                      type="button"
                      class="link"
                      onClick={() =>
                        void act.run(async () => (await api.del(paths.member(org, m.userId)), list.reload()))
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
      </Async>
      <form
        class="row"
        onSubmit={(ev) => {
          ev.preventDefault();
          void act.run(async () => {
            const m = await api.post<MemberCreated>(paths.members(org), {
              email: f.email,
              role: f.role,
              entityId: null,
            });
            list.reload();
            return m.initialPassword ? t('admin.passwordCreated', { password: m.initialPassword }) : undefined;
          });
        }}
      >
        <label>
          {t('common.email')}
          <input
            type="email"
            required
            value={f.email}
            onInput={(e) => setF({ ...f, email: (e.target as HTMLInputElement).value })}
          />
        </label>
        <label>
          {t('common.role')}
          <select value={f.role} onChange={(e) => setF({ ...f, role: (e.target as HTMLSelectElement).value as Role })}>
            {roles.map((r) => (
              <option key={r} value={r}>
                {codeLabel(lang, 'role', r)}
              </option>
            ))}
          </select>
        </label>
        <button type="submit">{t('common.add')}</button>
      </form>
      {act.view}
    </Section>
  );
}

function Tokens() {
  const { t, lang, api } = useApp();
  const list = useGet<Token[]>(paths.tokens());
  const [name, setName] = useState('');
  const act = useAction();
  return (
    <Section title={t('admin.tokens')}>
      <Async state={list}>
        {(ts) => (
          <table class="data-table" data-testid="tokens-table">
            <caption class="visually-hidden">{t('admin.tokens')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('common.name')}</th>
                <th scope="col">{t('admin.prefix')}</th>
                <th scope="col">{t('admin.expires')}</th>
                <th scope="col">{t('common.status')}</th>
              </tr>
            </thead>
            <tbody>
              {ts.map((tk) => (
                <tr key={tk.id}>
                  <th scope="row">{tk.name}</th>
                  <td>
                    <code>{tk.prefix}</code>
                  </td>
                  <td>{tk.expiresAt ? formatDate(tk.expiresAt, lang) : '—'}</td>
                  <td>
                    {tk.revokedAt ? (
                      t('admin.revoked')
                    ) : (
                      <button
                        type="button"
                        class="link"
                        onClick={() => void act.run(async () => (await api.del(paths.token(tk.id)), list.reload()))}
                      >
                        {t('admin.revoke')}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Async>
      <form
        class="row"
        onSubmit={(ev) => {
          ev.preventDefault();
          void act.run(async () => {
            const tk = await api.post<TokenCreated>(paths.tokens(), { name, expiresInDays: 90 });
            setName('');
            list.reload();
            return t('admin.tokenCreated', { token: tk.token });
          });
        }}
      >
        <label>
          {t('admin.tokenName')}
          <input required value={name} onInput={(e) => setName((e.target as HTMLInputElement).value)} />
        </label>
        <button type="submit">{t('common.create')}</button>
      </form>
      {act.view}
    </Section>
  );
}

function Campaigns({ org }: { readonly org: string }) {
  const { t, lang, api, campaigns, reloadCampaigns } = useApp();
  const [f, setF] = useState({ name: '', referenceDate: '' });
  const act = useAction();
  return (
    <Section title={t('admin.campaigns')}>
      <table class="data-table" data-testid="campaigns-table">
        <caption class="visually-hidden">{t('admin.campaigns')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('common.name')}</th>
            <th scope="col">{t('admin.referenceDate')}</th>
            <th scope="col">{t('common.status')}</th>
          </tr>
        </thead>
        <tbody>
          {campaigns.map((c) => (
            <tr key={c.id}>
              <th scope="row">{c.name}</th>
              <td>{formatDate(c.referenceDate, lang)}</td>
              <td>
                <button
                  type="button"
                  class="link"
                  onClick={() =>
                    void act.run(async () => {
                      await api.post(c.locked ? paths.unlock(c.id) : paths.lock(c.id));
                      reloadCampaigns();
                    })
                  }
                >
                  {c.locked ? `${t('admin.locked')} — ${t('admin.unlock')}` : t('admin.lock')}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form
        class="row"
        onSubmit={(ev) => {
          ev.preventDefault();
          void act.run(async () => {
            await api.post(paths.campaigns(org), { name: f.name, referenceDate: f.referenceDate });
            setF({ name: '', referenceDate: '' });
            reloadCampaigns();
          });
        }}
      >
        <label>
          {t('common.name')}
          <input required value={f.name} onInput={(e) => setF({ ...f, name: (e.target as HTMLInputElement).value })} />
        </label>
        <label>
          {t('admin.referenceDate')}
          <input
            type="date"
            required
            value={f.referenceDate}
            onInput={(e) => setF({ ...f, referenceDate: (e.target as HTMLInputElement).value })}
          />
        </label>
        <button type="submit">{t('admin.newCampaign')}</button>
      </form>
      {act.view}
    </Section>
  );
}

function Audit({ org }: { readonly org: string }) {
  const { t, lang } = useApp();
  const list = useGet<AuditEntry[]>(paths.audit(org, 50));
  return (
    <Section title={t('admin.audit')}>
      <Async state={list}>
        {(es) => (
          <table class="data-table">
            <caption class="visually-hidden">{t('admin.audit')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('common.date')}</th>
                <th scope="col">Action</th>
                <th scope="col">{t('common.kind')}</th>
              </tr>
            </thead>
            <tbody>
              {es.map((a) => (
                <tr key={a.id}>
                  <th scope="row">{formatDate(a.at, lang)}</th>
                  <td>{a.action}</td>
                  <td>{a.targetType}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Async>
    </Section>
  );
}

export function AdminPage() {
  const { t, organisation } = useApp();
  if (!organisation) return <h1>{t('admin.title')}</h1>;
  return (
    <>
      <h1>
        {t('admin.title')} — {organisation.name}
      </h1>
      <Campaigns org={organisation.id} />
      <Entities org={organisation.id} />
      <Members org={organisation.id} />
      <Tokens />
      <Audit org={organisation.id} />
    </>
  );
}
