/** The sign-in form: POST /auth/login, then the shell reads /me. */
import { useState } from 'preact/hooks';
import { ApiError, type ApiClient } from '../api.js';
import type { Translator } from '../i18n/index.js';

export function Login(p: { readonly api: ApiClient; readonly t: Translator; readonly onDone: () => void }) {
  const { t } = p;
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (ev: Event) => {
    ev.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await p.api.login(email, password);
      p.onDone();
    } catch (e) {
      const detail = e instanceof ApiError ? (e.problem?.detail ?? e.message) : String(e);
      setError(t('login.failed', { detail }));
    } finally {
      setBusy(false);
    }
  };
  return (
    <main id="main" class="login" tabIndex={-1}>
      <h1>{t('login.title')}</h1>
      <form onSubmit={submit} data-testid="login-form" class="stack">
        <label for="login-email">{t('login.email')}</label>
        <input
          id="login-email"
          data-testid="login-email"
          type="email"
          autoComplete="username"
          required
          value={email}
          onInput={(e) => setEmail((e.target as HTMLInputElement).value)}
        />
        <label for="login-password">{t('login.password')}</label>
        <input
          id="login-password"
          data-testid="login-password"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onInput={(e) => setPassword((e.target as HTMLInputElement).value)}
        />
        {error ? (
          <p class="error" role="alert" data-testid="login-error">
            {error}
          </p>
        ) : null}
        <button type="submit" data-testid="login-submit" disabled={busy}>
          {t('login.submit')}
        </button>
      </form>
    </main>
  );
}
