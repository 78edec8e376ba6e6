/** What every page receives from the shell: language, translator, API client, the selected organisation/campaign. */
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { ApiClient, Campaign, Me, Organisation } from '../api.js';
import type { Lang } from '../format.js';
import type { Translator } from '../i18n/index.js';

export interface AppState {
  readonly lang: Lang;
  readonly t: Translator;
  readonly api: ApiClient;
  readonly me: Me;
  readonly organisation: Organisation | null;
  readonly campaigns: readonly Campaign[];
  readonly campaign: Campaign | null;
  readonly params: Readonly<Record<string, string>>;
  /** Re-reads the campaigns (after creating one, an assessment…). */
  reloadCampaigns(): void;
  navigate(hash: string): void;
}

export const AppContext = createContext<AppState | null>(null);

export function useApp(): AppState {
  const s = useContext(AppContext);
  if (s === null) throw new Error('useApp outside the application shell');
  return s;
}
