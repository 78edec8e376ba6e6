/**
 * The application shell: language (remembered, browser language first), sign-in, organisation and campaign
 * selectors, navigation, skip link, and the page of the hash route. No polling here.
 */
import { useCallback, useEffect, useMemo, useState } from 'preact/hooks';
import { ApiClient, ApiError, paths, type Campaign, type Me, type Organisation } from '../api.js';
import type { Lang } from '../format.js';
import { detectLang, translator } from '../i18n/index.js';
import { AppContext, type AppState } from './context.js';
import { Login } from './login.js';
import { PAGES, parseRoute, routeHash, type Page } from './router.js';
import { ErrorBox } from './ui.js';
import { PAGE_COMPONENTS } from '../pages/index.js';

const LANG_KEY = 'empreinte.lang';
const ORG_KEY = 'empreinte.organisation';
const CAMPAIGN_KEY = 'empreinte.campaign';

const stored = (k: string): string | null => {
  try {
    return localStorage.getItem(k);
  } catch {
    return null;
  }
};
const store = (k: string, v: string): void => {
  try {
    localStorage.setItem(k, v);
  } catch {
    /* private mode: not remembered */
  }
};

export function App() {
  const [lang, setLang] = useState<Lang>(() => detectLang(stored(LANG_KEY), navigator.languages ?? []));
  const [hash, setHash] = useState(location.hash);
  const [me, setMe] = useState<Me | null | undefined>(undefined);
  const [orgs, setOrgs] = useState<readonly Organisation[]>([]);
  const [orgId, setOrgId] = useState<string | null>(stored(ORG_KEY));
  const [campaigns, setCampaigns] = useState<readonly Campaign[]>([]);
  const [campaignId, setCampaignId] = useState<string | null>(stored(CAMPAIGN_KEY));
  const [campaignTick, setCampaignTick] = useState(0);
  const [error, setError] = useState<ApiError | null>(null);
  const api = useMemo(() => new ApiClient({ onUnauthenticated: () => setMe(null) }), []);
  const t = useMemo(() => translator(lang), [lang]);

  useEffect(() => {
    document.documentElement.lang = lang;
    document.title = t('app.title');
  }, [lang, t]);
  useEffect(() => {
    const on = () => setHash(location.hash);
    addEventListener('hashchange', on);
    return () => removeEventListener('hashchange', on);
  }, []);

  const loadMe = useCallback(() => {
    api.me().then(setMe, (e: unknown) => {
      if (e instanceof ApiError && e.kind === 'unauthenticated') setMe(null);
      else setError(e instanceof ApiError ? e : null);
    });
  }, [api]);
  useEffect(loadMe, [loadMe]);

  useEffect(() => {
    if (!me) return;
    api.get<Organisation[]>(paths.organisations()).then((list) => {
      setOrgs(list);
      setOrgId((cur) => (cur !== null && list.some((o) => o.id === cur) ? cur : (list[0]?.id ?? null)));
    }, setError);
  }, [api, me]);

  useEffect(() => {
    if (!me || orgId === null) return;
    store(ORG_KEY, orgId);
    api.get<Campaign[]>(paths.campaigns(orgId)).then((list) => {
      const sorted = [...list].sort((a, b) => a.referenceDate.localeCompare(b.referenceDate));
      setCampaigns(sorted);
      setCampaignId((cur) =>
        cur !== null && sorted.some((c) => c.id === cur) ? cur : (sorted[sorted.length - 1]?.id ?? null),
      );
    }, setError);
  }, [api, me, orgId, campaignTick]);

  useEffect(() => {
    if (campaignId !== null) store(CAMPAIGN_KEY, campaignId);
  }, [campaignId]);

  const switchLang = () => {
    const next: Lang = lang === 'fr' ? 'en' : 'fr';
    store(LANG_KEY, next);
    setLang(next);
  };

  const route = parseRoute(hash);
  const langButton = (
    <button
      type="button"
      class="lang"
      data-testid="lang-switch"
      lang={lang === 'fr' ? 'en' : 'fr'}
      aria-label={t('app.language.switchLabel')}
      onClick={switchLang}
    >
      {t('app.language.switch')}
    </button>
  );
  const skip = (
    <a class="skip-link" href="#main" onClick={(e) => (e.preventDefault(), document.getElementById('main')?.focus())}>
      {t('app.skip')}
    </a>
  );

  if (me === undefined)
    return (
      <>
        {skip}
        <main id="main" tabIndex={-1}>
          {error ? <ErrorBox error={error} /> : <Loading0 text={t('app.loading')} />}
        </main>
      </>
    );
  if (me === null)
    return (
      <>
        {skip}
        <header class="topbar">
          <span class="brand">{t('app.title')}</span>
          {langButton}
        </header>
        <Login api={api} t={t} onDone={loadMe} />
      </>
    );

  const organisation = orgs.find((o) => o.id === orgId) ?? null;
  const campaign = campaigns.find((c) => c.id === campaignId) ?? null;
  const page: Page = route.page === 'login' ? 'overview' : route.page;
  const state: AppState = {
    lang,
    t,
    api,
    me,
    organisation,
    campaigns,
    campaign,
    params: route.params,
    reloadCampaigns: () => setCampaignTick((n) => n + 1),
    navigate: (h) => {
      location.hash = h;
    },
  };
  const PageComponent = PAGE_COMPONENTS[page];
  return (
    <AppContext.Provider value={state}>
      {skip}
      <header class="topbar no-print">
        <span class="brand">{t('app.title')}</span>
        <div class="selectors">
          <label>
            {t('app.organisation')}{' '}
            <select
              data-testid="organisation-select"
              value={orgId ?? ''}
              onChange={(e) => setOrgId((e.target as HTMLSelectElement).value)}
            >
              {orgs.map((o) => (
                <option key={o.id} value={o.id}>
                  {o.name}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('app.campaign')}{' '}
            <select
              data-testid="campaign-select"
              value={campaignId ?? ''}
              onChange={(e) => setCampaignId((e.target as HTMLSelectElement).value)}
            >
              {campaigns.length === 0 ? <option value="">{t('app.noCampaign')}</option> : null}
              {campaigns.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </select>
          </label>
        </div>
        <span class="who">{t('app.signedInAs', { email: me.email })}</span>
        {langButton}
        <button
          type="button"
          class="secondary"
          data-testid="logout"
          onClick={() => void api.post(paths.logout()).finally(() => setMe(null))}
        >
          {t('app.logout')}
        </button>
      </header>
      <div class="layout">
        <nav class="sidenav no-print" aria-label={t('app.menu')}>
          <ul>
            {PAGES.map((p) => (
              <li key={p}>
                <a href={routeHash(p)} data-testid={`nav-${p}`} aria-current={p === page ? 'page' : undefined}>
                  {t(`nav.${p}`)}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <main id="main" tabIndex={-1}>
          {error ? <ErrorBox error={error} /> : null}
          <PageComponent key={`${page}-${campaignId}-${orgId}`} />
        </main>
      </div>
    </AppContext.Provider>
  );
}

function Loading0({ text }: { readonly text: string }) {
  return (
    <p class="loading" role="status">
      {text}
    </p>
  );
}
