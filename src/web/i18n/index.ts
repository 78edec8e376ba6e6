/**
 * Translation: French by default, English switchable. `translate(lang, key, vars)` fills `{name}` placeholders; a
 * code-based label (`criterion.X`, `step.X`, `tier.X`, `effect.X`) falls back to the code itself when the dictionary
 * has no entry (a criterion added by a licensed referential still shows).
 */
import type { Lang } from '../format.js';
import { en } from './en.js';
import { fr, type MessageKey } from './fr.js';

export type { MessageKey };

export const DICTIONARIES: Readonly<Record<Lang, Readonly<Record<MessageKey, string>>>> = { fr, en };

export type Vars = Readonly<Record<string, string | number>>;

/** Fills `{name}` placeholders; an unknown placeholder is left as written. */
export function fill(template: string, vars: Vars = {}): string {
  return template.replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m));
}

export function translate(lang: Lang, key: MessageKey, vars?: Vars): string {
  return fill(DICTIONARIES[lang][key], vars);
}

export type Translator = (key: MessageKey, vars?: Vars) => string;

export function translator(lang: Lang): Translator {
  return (key, vars) => translate(lang, key, vars);
}

/** The label of a code in a family (`criterion`, `step`, `tier`, `effect`, `role`): its translation, else the code. */
export function codeLabel(lang: Lang, family: 'criterion' | 'step' | 'tier' | 'effect' | 'role', code: string): string {
  const key = `${family}.${code}`;
  const dict = DICTIONARIES[lang] as Readonly<Record<string, string>>;
  return dict[key] ?? code;
}

/**
 * The language to start with: the one remembered (when valid), else the first of the browser's languages that is
 * French or English (`fr-CA` → fr), else French.
 */
export function detectLang(remembered: string | null | undefined, browserLanguages: readonly string[]): Lang {
  if (remembered === 'fr' || remembered === 'en') return remembered;
  for (const l of browserLanguages) {
    const base = l.toLowerCase().split('-')[0];
    if (base === 'fr' || base === 'en') return base;
  }
  return 'fr';
}
