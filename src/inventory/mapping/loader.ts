/**
 * Mapping files (JSON or YAML) and presets → resolved `Mapping`s. Every problem is an `EmpreinteError`
 * `INP_MAPPING_INVALID` naming the file, the path inside it (also put in the issue's `column`) and the reason; YAML
 * syntax errors and alias bombs also name the line. A mapping file is a regular file of at most 1 MiB, and YAML
 * aliases expand at most `MAX_YAML_ALIASES` nodes (the "billion laughs" of YAML is refused, not expanded).
 */
import { readFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { LineCounter, parseDocument, visit } from 'yaml';
import type { z } from 'zod';
import { regularFile } from '../../formats/file.js';
import { oneLine } from '../../formats/limits.js';
import { EmpreinteError, issue } from '../../issues/catalogue.js';
import { KIND_SPECS, columnSpec, nativeName } from '../columns.js';
import type { InventoryKind } from '../model.js';
import { mappingSchema, type FieldRule, type Mapping, type MappingFile } from './model.js';
import { PRESETS, presetById } from './presets/index.js';

/** Bytes of a mapping file (a mapping is a few kilobytes; this refuses a huge or endless input before reading it). */
export const MAX_MAPPING_BYTES = 1 << 20;
/** Alias nodes a YAML mapping may expand (the yaml library's resource-exhaustion guard, set explicitly). */
export const MAX_YAML_ALIASES = 100;

function invalid(file: string, path: string, reason: string, line?: number): EmpreinteError {
  const at = oneLine(path);
  return new EmpreinteError(
    issue('INP_MAPPING_INVALID', { path: at, reason: oneLine(reason) }, { file, line, column: at }),
  );
}

function zodPath(p: readonly PropertyKey[]): string {
  return p.length === 0 ? '(document)' : p.map(String).join('.');
}

/**
 * The most precise explanation of an issue: for a union (a field rule is a column name or an object), the issue of
 * the branch that went deepest, so that `fields.disk.unit.to` is named rather than `fields.disk`.
 */
function deepest(i: z.core.$ZodIssue, prefix: readonly PropertyKey[]): { path: PropertyKey[]; message: string } {
  const here = [...prefix, ...i.path];
  if (i.code === 'invalid_union' && i.errors.length > 0) {
    let best: { path: PropertyKey[]; message: string } | undefined;
    for (const branch of i.errors) {
      for (const sub of branch) {
        const d = deepest(sub, here);
        if (!best || d.path.length > best.path.length) best = d;
      }
    }
    if (best && best.path.length > here.length) return best;
  }
  return { path: here, message: i.message };
}

/** Validate a parsed document as a mapping file. */
export function validateMappingFile(doc: unknown, file: string): MappingFile {
  const r = mappingSchema.safeParse(doc);
  if (!r.success) {
    const { path, message } = deepest(r.error.issues[0] as z.core.$ZodIssue, []);
    throw invalid(file, zodPath(path), message);
  }
  return r.data;
}

const PARAM = /\$\{(\w+)\}/g;

function substitute(text: string, params: Readonly<Record<string, string>>, file: string, path: string): string {
  return text.replace(PARAM, (_m, name: string) => {
    const v = params[name];
    if (v === undefined) throw invalid(file, path, `unknown parameter '${name}'`);
    return v;
  });
}

function substituteRule(
  rule: FieldRule,
  params: Readonly<Record<string, string>>,
  file: string,
  path: string,
): FieldRule {
  if (typeof rule === 'string') return rule;
  const out = { ...rule };
  if (out.value !== undefined) out.value = substitute(String(out.value), params, file, `${path}.value`);
  if (out.default !== undefined) out.default = substitute(String(out.default), params, file, `${path}.default`);
  if (out.map) {
    out.map = Object.fromEntries(
      Object.entries(out.map).map(([k, v]) => [k, substitute(v, params, file, `${path}.map.${k}`)]),
    );
  }
  if (out.rules) {
    out.rules = out.rules.map((r, i) => ({
      ...r,
      value: substitute(r.value, params, file, `${path}.rules.${i}.value`),
    }));
  }
  return out;
}

/**
 * Resolve a validated mapping file: `extends` (preset fields, then this file's), parameters (preset defaults, then
 * this file's, then `overrides`), target names → canonical columns of the kind.
 */
export function resolveMapping(
  doc: MappingFile,
  source: string,
  overrides: Readonly<Record<string, string>> = {},
): Mapping {
  const file = source;
  let kind = doc.kind;
  let fields: Record<string, FieldRule> = {};
  let exclude = doc.exclude ?? [];
  let params: Record<string, string> = {};
  let name = doc.name ?? basename(source);
  let description = doc.description;
  if (doc.extends !== undefined) {
    const preset = presetById(doc.extends);
    if (!preset) {
      throw invalid(file, 'extends', `unknown preset '${doc.extends}'; known: ${PRESETS.map((p) => p.id).join(', ')}`);
    }
    if (kind !== undefined && kind !== preset.mapping.kind) {
      throw invalid(file, 'kind', `preset '${preset.id}' maps kind ${preset.mapping.kind}, not ${kind}`);
    }
    kind = preset.mapping.kind;
    fields = { ...preset.mapping.fields };
    exclude = [...(preset.mapping.exclude ?? []), ...exclude];
    params = Object.fromEntries(Object.entries(preset.mapping.parameters ?? {}).map(([k, v]) => [k, String(v)]));
    name = doc.name ?? preset.id;
    description ??= preset.mapping.description;
  }
  if (kind === undefined) throw invalid(file, 'kind', 'the kind of the mapped rows is required (or extends: <preset>)');
  for (const [k, v] of Object.entries(doc.parameters ?? {})) params[k] = String(v);
  for (const [k, v] of Object.entries(overrides)) params[k] = v;

  const resolved: Record<string, FieldRule> = {};
  const seen = new Map<string, string>();
  const add = (target: string, rule: FieldRule, path: string) => {
    const spec = columnSpec(kind, target);
    if (!spec) {
      const known = KIND_SPECS[kind].columns.map((c) => nativeName(c)).join(', ');
      throw invalid(file, path, `'${target}' is not a column of kind ${kind}; known: ${known}`);
    }
    const prev = seen.get(spec.canonical);
    if (prev !== undefined && prev !== path && path.startsWith('fields.') === prev.startsWith('fields.')) {
      throw invalid(file, path, `'${target}' maps the same column as '${prev.replace(/^fields\./, '')}'`);
    }
    seen.set(spec.canonical, path);
    resolved[spec.canonical] = substituteRule(rule, params, file, path);
  };
  for (const [t, r] of Object.entries(fields)) add(t, r, `preset.${t}`);
  for (const [t, r] of Object.entries(doc.fields ?? {})) add(t, r, `fields.${t}`);
  if (Object.keys(resolved).length === 0) throw invalid(file, 'fields', 'the mapping maps no column');
  return { name, kind, description, parameters: params, fields: resolved, exclude, source };
}

/** Parse the text of a mapping file (JSON when it starts with `{`, else YAML). */
export function parseMappingText(text: string, file: string): MappingFile {
  const t = text.replace(/^\ufeff/, '');
  let doc: unknown;
  if (t.trimStart().startsWith('{')) {
    try {
      doc = JSON.parse(t);
    } catch (e) {
      throw invalid(file, '(document)', `not valid JSON: ${(e as Error).message}`);
    }
  } else {
    const lineCounter = new LineCounter();
    const d = parseDocument(t, { prettyErrors: true, lineCounter });
    if (d.errors.length > 0) {
      const e = d.errors[0]!;
      const message = e.message.split('\n', 1)[0]!.replace(/:$/, '');
      throw invalid(file, '(document)', `not valid YAML: ${message}`, e.linePos?.[0].line);
    }
    try {
      doc = d.toJS({ maxAliasCount: MAX_YAML_ALIASES });
    } catch (e) {
      // Excessive alias count (an alias bomb) or an alias to an anchor defined later: name the first alias.
      let at: number | undefined;
      visit(d, {
        Alias(_key, node) {
          at = node.range?.[0];
          return visit.BREAK;
        },
      });
      const line = at === undefined ? undefined : lineCounter.linePos(at).line;
      throw invalid(file, '(document)', `not a usable YAML document: ${(e as Error).message}`, line);
    }
  }
  return validateMappingFile(doc, file);
}

/** Read and resolve a mapping file (`.json`, `.yaml`, `.yml`). */
export async function loadMappingFile(
  path: string,
  overrides: Readonly<Record<string, string>> = {},
): Promise<Mapping> {
  const file = basename(path);
  const size = await regularFile(path, file);
  if (size > MAX_MAPPING_BYTES) {
    throw invalid(file, '(document)', `the file has ${size} bytes; a mapping file has at most ${MAX_MAPPING_BYTES}`);
  }
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new EmpreinteError(issue('INP_FILE_UNREADABLE', { reason: (e as Error).message }, { file }));
  }
  const ext = extname(path).toLowerCase();
  if (ext !== '' && !['.json', '.yaml', '.yml'].includes(ext)) {
    throw invalid(file, '(document)', `a mapping file is .json, .yaml or .yml, not ${ext}`);
  }
  return resolveMapping(parseMappingText(text, file), file, overrides);
}

/** The resolved mapping of a built-in preset. */
export function presetMapping(id: string, overrides: Readonly<Record<string, string>> = {}): Mapping {
  const preset = presetById(id);
  if (!preset) {
    throw invalid(`preset:${id}`, 'extends', `unknown preset '${id}'; known: ${PRESETS.map((p) => p.id).join(', ')}`);
  }
  return resolveMapping({ extends: id }, `preset:${id}`, overrides);
}

/** `--mapping <arg>`: a built-in preset id (a bare name without `/` or `.`) or a mapping file path. */
export async function readMapping(arg: string, overrides: Readonly<Record<string, string>> = {}): Promise<Mapping> {
  if (presetById(arg) && !/[\\/.]/.test(arg)) return presetMapping(arg, overrides);
  return loadMappingFile(arg, overrides);
}

export type { InventoryKind };
