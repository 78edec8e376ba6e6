/** Hash routes: `#/<page>?k=v`. Pure parsing (tested); the shell listens to `hashchange`. */

export const PAGES = [
  'overview',
  'trajectory',
  'change',
  'scenarios',
  'actions',
  'explorer',
  'quality',
  'kpis',
  'services',
  'referential',
  'imports',
  'admin',
  'report',
] as const;
export type Page = (typeof PAGES)[number];

export interface Route {
  readonly page: Page | 'login';
  readonly params: Readonly<Record<string, string>>;
}

export function parseRoute(hash: string): Route {
  const body = hash.replace(/^#\/?/, '');
  const [name = '', query = ''] = body.split('?', 2);
  const params = Object.fromEntries(new URLSearchParams(query));
  if (name === 'login') return { page: 'login', params };
  const page = (PAGES as readonly string[]).includes(name) ? (name as Page) : 'overview';
  return { page, params };
}

export function routeHash(page: Page | 'login', params: Readonly<Record<string, string | undefined>> = {}): string {
  const s = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') s.set(k, v);
  const q = s.toString();
  return `#/${page}${q ? `?${q}` : ''}`;
}
