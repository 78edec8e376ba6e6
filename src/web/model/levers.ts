/**
 * The scenario levers the composer offers (src/steering/scenario-schema.ts): their fields, and the lever object sent
 * to the API built from the text the user typed (numbers parsed, empty optional fields left out).
 */
import type { Lever } from '../api.js';

export type FieldKind = 'type' | 'number' | 'share' | 'text';

export interface LeverField {
  readonly name: string;
  readonly kind: FieldKind;
  readonly optional?: boolean;
}

export const LEVERS: Readonly<Record<string, readonly LeverField[]>> = {
  lifetime: [
    { name: 'type', kind: 'type' },
    { name: 'addYears', kind: 'number' },
  ],
  refurbished: [
    { name: 'type', kind: 'type' },
    { name: 'share', kind: 'share' },
  ],
  replace: [
    { name: 'from', kind: 'type' },
    { name: 'to', kind: 'type' },
    { name: 'share', kind: 'share' },
  ],
  devicesPerAgent: [
    { name: 'type', kind: 'type' },
    { name: 'value', kind: 'number' },
  ],
  removeByStatus: [{ name: 'status', kind: 'text' }],
  pue: [
    { name: 'datacenter', kind: 'text', optional: true },
    { name: 'value', kind: 'number' },
  ],
  electricity: [{ name: 'country', kind: 'text' }],
  cloudRegion: [
    { name: 'from', kind: 'text', optional: true },
    { name: 'to', kind: 'text' },
  ],
};

export interface LeverDraft {
  readonly kind: string;
  readonly values: Readonly<Record<string, string>>;
}

/** The API's lever, or the name of the first field that is missing or not a number. */
export function buildLever(d: LeverDraft): { lever: Lever } | { invalid: string } {
  const fields = LEVERS[d.kind];
  if (!fields) return { invalid: 'kind' };
  const body: Record<string, string | number> = {};
  for (const f of fields) {
    const raw = (d.values[f.name] ?? '').trim();
    if (raw === '') {
      if (f.optional) continue;
      return { invalid: f.name };
    }
    if (f.kind === 'number' || f.kind === 'share') {
      const n = Number(raw.replace(',', '.'));
      if (!Number.isFinite(n) || (f.kind === 'share' && (n < 0 || n > 1))) return { invalid: f.name };
      body[f.name] = n;
    } else body[f.name] = raw;
  }
  return { lever: { [d.kind]: body } };
}
