/**
 * The ADEME usage model `@incubateur-ademe/publicodes-acv-numerique` (methodology §5.1), evaluated with `publicodes`
 * itself: Empreinte does not re-implement its formulas, so ADEME's updates arrive by upgrading one pinned dependency.
 *
 * The package's own entry point imports its JSON with `assert { type: 'json' }`, deprecated in Node 20 and removed in
 * Node 22; the rules file is therefore loaded directly (same file, same version).
 */
import { createRequire } from 'node:module';
import Engine from 'publicodes';
import type { Rule } from 'publicodes';

const require = createRequire(import.meta.url);
const PACKAGE = '@incubateur-ademe/publicodes-acv-numerique';

/** The rules of the pinned model, as shipped in the npm package. */
export const ADEME_RULES = require(`${PACKAGE}/publicodes-acv-numerique.model.json`) as Record<string, Rule | null>;
/** The installed version (pinned to 2.1.0 in package.json; checked by the tests). */
export const ADEME_MODEL_VERSION = (require(`${PACKAGE}/package.json`) as { version: string }).version;
export const ADEME_MODEL_NAME = `${PACKAGE}@${ADEME_MODEL_VERSION}`;

export type AdemeEngine = Engine<string>;

const silent = { log: () => undefined, warn: () => undefined, error: () => undefined };

/** A fresh engine on the ADEME rules (about 0.1 s to parse). Pass it to several evaluations to reuse it. */
export function createAdemeEngine(): AdemeEngine {
  return new Engine(ADEME_RULES as Record<string, Rule>, { logger: silent }) as AdemeEngine;
}

/** Raw definition of one rule (for defaults and references shown in docs and traces). */
export function ademeRule(name: string): Rule | undefined {
  return ADEME_RULES[name] ?? undefined;
}
