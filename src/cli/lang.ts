/**
 * Language of what the CLI prints on the terminal for people (`--lang en|fr`): the one-line error of the entry point
 * and the issue lines of the commands. Data outputs (JSON, CSV, rejects files) stay English whatever the language.
 * The entry point resolves the language once per run and hands it to the commands through a `CliContext`.
 */
import { EmpreinteError, issue, type Lang } from '../issues/catalogue.js';
import type { TempFiles } from '../formats/temp-files.js';

export type { Lang };

export const LANGS: readonly Lang[] = ['en', 'fr'];

/** What the entry point passes to the commands it registers; `lang` is set once, before the command's action runs. */
export interface CliContext {
  lang: Lang;
  /** The run's temporary files, removed by the entry point on SIGINT/SIGTERM (absent when a command runs alone). */
  temps?: TempFiles;
}

/** `fr`, `fr_FR.UTF-8`, `fr-CA` → fr; `en`, `en_GB`… → en; anything else → undefined. */
function langOf(value: string): Lang | undefined {
  const v = value.trim().toLowerCase();
  return LANGS.find((l) => v === l || v.startsWith(l + '_') || v.startsWith(l + '-') || v.startsWith(l + '.'));
}

/**
 * The language of a run: the `--lang` option when given (en or fr, any case), else `EMPREINTE_LANG` (en or fr, a
 * locale such as fr_FR.UTF-8 accepted), else the POSIX locale variables in their order of precedence — the first
 * non-empty of `LC_ALL`, `LC_MESSAGES`, `LANG` — fr when it starts with `fr`, else en. Throws `INP_BAD_ENUM` on an
 * unknown `--lang` or `EMPREINTE_LANG` value (an unknown system locale such as `C` or `de_DE` simply means en).
 */
export function resolveLang(option: string | undefined, env: NodeJS.ProcessEnv): Lang {
  const explicit: [string, string | undefined][] = [
    ['--lang', option],
    ['EMPREINTE_LANG', env.EMPREINTE_LANG],
  ];
  for (const [field, value] of explicit) {
    // An empty EMPREINTE_LANG counts as unset (shell habit); an empty --lang is an error.
    if (value === undefined || (field === 'EMPREINTE_LANG' && value.trim() === '')) continue;
    const lang = langOf(value);
    if (!lang) throw new EmpreinteError(issue('INP_BAD_ENUM', { field, allowed: LANGS.join(', '), value }));
    return lang;
  }
  const locale = [env.LC_ALL, env.LC_MESSAGES, env.LANG].find((v) => v !== undefined && v.trim() !== '');
  return locale !== undefined && locale.trim().toLowerCase().startsWith('fr') ? 'fr' : 'en';
}
