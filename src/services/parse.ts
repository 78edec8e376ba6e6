/**
 * Reading a service description: YAML or JSON text (JSON is read by the YAML parser too, for line numbers), then the
 * zod schema, then the checks the schema cannot express (model vs kind, preset parameters, shares over 100 %).
 * Every problem is an `EmpreinteError` naming the file, the line, the path (as `column`) and the reason.
 */
import { LineCounter, isNode, parseDocument } from 'yaml';
import type { z } from 'zod';
import { EmpreinteError, issue } from '../issues/catalogue.js';
import { presetSituation } from './ademe.js';
import { resolveModel } from './assess.js';
import { ServiceDefinitionSchema, SERVICE_KINDS, isAdemeKind } from './schema.js';
import type { ServiceDefinition } from './schema.js';
import { fail, locate, pathString } from './source.js';
import type { DocPath, ServiceSource } from './source.js';

export interface ParsedService {
  readonly definition: ServiceDefinition;
  readonly source: ServiceSource;
}

/** Parse and validate a service description; `file` is used in messages only. */
export function parseServiceText(text: string, file: string): ParsedService {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    const line = lineCounter.linePos(e.pos[0]).line;
    throw new EmpreinteError(
      issue(
        'SVC_FILE_INVALID',
        { file, reason: e.message.split('\n')[0] ?? e.code },
        { file, ...(line ? { line } : {}) },
      ),
    );
  }
  const source: ServiceSource = {
    file,
    lineOf: (path: DocPath) => {
      for (let n = path.length; n >= 0; n--) {
        const node = doc.getIn(path.slice(0, n), true);
        if (isNode(node) && node.range) return lineCounter.linePos(node.range[0]).line;
      }
      return undefined;
    },
  };
  const data: unknown = doc.toJS();
  return { definition: validateServiceDefinition(data, source), source };
}

/** Validate an already-parsed document (e.g. a JSON body received by the server). */
export function validateServiceDefinition(data: unknown, source: ServiceSource = {}): ServiceDefinition {
  if (data === null || typeof data !== 'object' || Array.isArray(data))
    throw new EmpreinteError(
      issue(
        'SVC_FILE_INVALID',
        { file: source.file ?? '<service>', reason: 'the document must be a mapping (object)' },
        locate(source, []),
      ),
    );
  const r = ServiceDefinitionSchema.safeParse(data);
  if (!r.success) throw new EmpreinteError(zodIssue(r.error.issues[0]!, data, source));
  const def = r.data;
  resolveModel(def, source);
  if (isAdemeKind(def.kind) && resolveModel(def, source) === 'ademe')
    presetSituation(def.kind, def.parameters ?? {}, source);
  else if (def.parameters !== undefined)
    fail(source, ['parameters'], 'SVC_FIELD_INVALID', {
      field: 'parameters',
      reason: 'preset parameters apply to the ADEME model only; the generic model reads usage, backOffice and servers',
    });
  checkShares(def, source);
  return def;
}

function checkShares(def: ServiceDefinition, source: ServiceSource): void {
  const groups: [DocPath, readonly { share: number }[] | undefined][] = [
    [['usage', 'devices'], def.usage?.devices],
    [['usage', 'network'], def.usage?.network],
    [['backOffice', 'devices'], def.backOffice?.devices],
    [['backOffice', 'network'], def.backOffice?.network],
  ];
  for (const [path, entries] of groups) {
    if (!entries) continue;
    const sum = entries.reduce((a, e) => a + e.share, 0);
    if (sum > 1 + 1e-9) fail(source, path, 'SVC_SHARES_OVER_100', { field: pathString(path), sum });
  }
}

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = data;
  for (const p of path) v = v !== null && typeof v === 'object' ? Reflect.get(v, p) : undefined;
  return v;
}

/** Map a zod issue to the catalogue: negative → INP_NEGATIVE, missing → CALC_SERVICE_PARAMETER_MISSING… */
function zodIssue(zi: z.core.$ZodIssue, data: unknown, source: ServiceSource) {
  const path = zi.path.filter((p): p is string | number => typeof p !== 'symbol');
  const at = locate(source, path);
  const file = source.file ?? '<service>';
  const field = pathString(path);
  const value = valueAt(data, zi.path);
  const withLine = at.line !== undefined;
  const service = valueAt(data, ['service']);
  if (path.length === 1 && path[0] === 'kind' && zi.code === 'invalid_value')
    return issue('SVC_UNKNOWN_KIND', { file, value: String(value), allowed: SERVICE_KINDS.join(', ') }, at);
  if ((zi.code === 'invalid_type' || zi.code === 'invalid_union') && value === undefined)
    return issue(
      'CALC_SERVICE_PARAMETER_MISSING',
      { file, service: typeof service === 'string' ? service : '?', parameter: field },
      at,
    );
  if (zi.code === 'too_small' && zi.origin === 'number' && Number(zi.minimum) === 0 && typeof value === 'number') {
    if (withLine) return issue(zi.inclusive ? 'INP_NEGATIVE' : 'INP_NOT_POSITIVE', { field, value }, at);
    return issue(
      'SVC_FIELD_INVALID',
      { file, field, reason: `must be ${zi.inclusive ? '≥' : '>'} 0 (got ${value})` },
      at,
    );
  }
  if (zi.code === 'too_big' && zi.origin === 'number' && typeof value !== 'object' && withLine)
    return issue('INP_OUT_OF_RANGE', { field, min: 0, max: String(zi.maximum), value: String(value) }, at);
  if (zi.code === 'unrecognized_keys')
    return issue(
      'SVC_FIELD_INVALID',
      { file, field: field || '(document)', reason: `unknown field(s) ${zi.keys.join(', ')}` },
      at,
    );
  return issue('SVC_FIELD_INVALID', { file, field: field || '(document)', reason: zi.message }, at);
}
