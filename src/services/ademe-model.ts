/**
 * The ADEME usage model `@incubateur-ademe/publicodes-acv-numerique` (methodology §5.1), evaluated with `publicodes`
 * itself: Empreinte does not re-implement its formulas, so ADEME's updates arrive by upgrading one pinned dependency.
 *
 * The package's own entry point imports its JSON with `assert { type: 'json' }`, deprecated in Node 20 and removed in
 * Node 22; the rules file is therefore loaded directly (same file, same version).
 */
import { createRequire } from 'node:module';
import Engine from 'publicodes';
import { z } from 'zod';

const require = createRequire(import.meta.url);
const PACKAGE = '@incubateur-ademe/publicodes-acv-numerique';

/** A raw publicodes rule: null (a namespace), an expression, or a mapping of its mechanisms. */
const RawRuleSchema = z.union([z.null(), z.string(), z.number(), z.record(z.string(), z.unknown())]);
export type RawRule = z.output<typeof RawRuleSchema>;

/** The rules of the pinned model, as shipped in the npm package (checked to be rule definitions on load). */
export const ADEME_RULES = z
  .record(z.string(), RawRuleSchema)
  .parse(require(`${PACKAGE}/publicodes-acv-numerique.model.json`));
/** The installed version (pinned to 2.1.0 in package.json; checked by the tests). */
export const ADEME_MODEL_VERSION = z.object({ version: z.string() }).parse(require(`${PACKAGE}/package.json`)).version;
export const ADEME_MODEL_NAME = `${PACKAGE}@${ADEME_MODEL_VERSION}`;

export type AdemeEngine = Engine<string>;

const silent = { log: () => undefined, warn: () => undefined, error: () => undefined };

/** A fresh engine on the ADEME rules (about 0.1 s to parse). Pass it to several evaluations to reuse it. */
export function createAdemeEngine(): AdemeEngine {
  return new Engine(ADEME_RULES, { logger: silent });
}

/** Raw definition of one rule (for defaults and references shown in docs and traces). */
export function ademeRule(name: string): RawRule | undefined {
  return ADEME_RULES[name] ?? undefined;
}
