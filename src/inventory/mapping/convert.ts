/**
 * Value conversions of column mappings: units (bytes, energy, power → yearly energy) and date formats. Each returns
 * the converted text, or undefined when the cell does not have the expected shape (the caller then passes the cell
 * through unchanged, so that the row parser reports it with its usual code and severity).
 */
import { parseDate, parseNumber } from '../cells.js';
import { numberText } from '../../formats/sheet-values.js';
import type { DateFormat, UnitConversion } from './model.js';

type Unit = UnitConversion['to'];

/** Size of each unit in its base (bytes; watt-hours for energy). */
const BYTES: Readonly<Record<string, number>> = {
  B: 1,
  KB: 1e3,
  MB: 1e6,
  GB: 1e9,
  TB: 1e12,
  PB: 1e15,
  KiB: 1024,
  MiB: 1024 ** 2,
  GiB: 1024 ** 3,
  TiB: 1024 ** 4,
  PiB: 1024 ** 5,
};
const ENERGY_WH: Readonly<Record<string, number>> = { Wh: 1, kWh: 1e3, MWh: 1e6, 'kWh/year': 1e3 };

/** Unit spellings found in exports (GLPI fr_FR `Gio`, en_GB `GiB`; French `Go`, `Mo`…), case-insensitive. */
const UNIT_ALIASES: Readonly<Record<string, Unit>> = {
  b: 'B',
  o: 'B',
  octets: 'B',
  bytes: 'B',
  kb: 'KB',
  ko: 'KB',
  mb: 'MB',
  mo: 'MB',
  gb: 'GB',
  go: 'GB',
  tb: 'TB',
  to: 'TB',
  pb: 'PB',
  po: 'PB',
  kib: 'KiB',
  kio: 'KiB',
  mib: 'MiB',
  mio: 'MiB',
  gib: 'GiB',
  gio: 'GiB',
  tib: 'TiB',
  tio: 'TiB',
  pib: 'PiB',
  pio: 'PiB',
  wh: 'Wh',
  kwh: 'kWh',
  mwh: 'MWh',
  w: 'W',
};

const WITH_UNIT = /^(.*?\d)\s*([A-Za-z]+)$/;

function family(u: Unit): 'bytes' | 'energy' | 'power' {
  if (u === 'W') return 'power';
  return u in BYTES ? 'bytes' : 'energy';
}

/** Convert a numeric cell; undefined when it is not a number (with a known unit for `auto`) or units mismatch. */
export function convertUnit(text: string, conv: UnitConversion): string | undefined {
  let numberPart = text.trim();
  let from: Unit | undefined = conv.from === 'auto' ? undefined : conv.from;
  const m = WITH_UNIT.exec(numberPart);
  if (m) {
    const written = UNIT_ALIASES[m[2]!.toLowerCase()];
    if (!written) return undefined;
    if (from !== undefined && family(written) !== family(from)) return undefined;
    // A unit written in the cell wins over the declared one (`1024 Mio` in a column declared GiB).
    from = written;
    numberPart = m[1]!;
  }
  from ??= conv.to; // `auto` and a bare number: already in the target unit
  const n = parseNumber(numberPart, {});
  if (!n.ok) return undefined;
  let v: number;
  const ff = family(from);
  const ft = family(conv.to);
  if (ff === 'bytes' && ft === 'bytes') v = (n.value * BYTES[from]!) / BYTES[conv.to]!;
  else if (ff === 'energy' && ft === 'energy') v = (n.value * ENERGY_WH[from]!) / ENERGY_WH[conv.to]!;
  else if (ff === 'power' && ft === 'energy' && conv.hoursPerYear !== undefined) {
    // W × h/year = Wh/year; then to the target energy unit.
    v = (n.value * conv.hoursPerYear) / ENERGY_WH[conv.to]!;
  } else if (ff === 'power' && ft === 'power') v = n.value;
  else return undefined;
  return numberText(conv.round === 'up' ? Math.ceil(v - 1e-9) : conv.round ? Math.round(v) : v);
}

const FORMAT_RE: Readonly<Record<DateFormat, { re: RegExp; order: readonly ('y' | 'm' | 'd')[] }>> = {
  'yyyy-MM-dd': { re: /^(\d{4})-(\d{1,2})-(\d{1,2})$/, order: ['y', 'm', 'd'] },
  'dd-MM-yyyy': { re: /^(\d{1,2})-(\d{1,2})-(\d{4})$/, order: ['d', 'm', 'y'] },
  'MM-dd-yyyy': { re: /^(\d{1,2})-(\d{1,2})-(\d{4})$/, order: ['m', 'd', 'y'] },
  'dd/MM/yyyy': { re: /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/, order: ['d', 'm', 'y'] },
  'MM/dd/yyyy': { re: /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/, order: ['m', 'd', 'y'] },
  'yyyy/MM/dd': { re: /^(\d{4})\/(\d{1,2})\/(\d{1,2})$/, order: ['y', 'm', 'd'] },
  'dd.MM.yyyy': { re: /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/, order: ['d', 'm', 'y'] },
  yyyyMMdd: { re: /^(\d{4})(\d{2})(\d{2})$/, order: ['y', 'm', 'd'] },
};

/** A date written in one of `formats` (time part ignored) → ISO `yyyy-MM-dd`; undefined if none fits. */
export function convertDate(text: string, formats: readonly DateFormat[]): string | undefined {
  const datePart = text.trim().split(/[ T]/, 1)[0] ?? '';
  for (const f of formats) {
    const { re, order } = FORMAT_RE[f];
    const m = re.exec(datePart);
    if (!m) continue;
    const parts: Record<string, string> = {};
    order.forEach((k, i) => (parts[k] = m[i + 1]!));
    const iso = `${parts.y}-${parts.m!.padStart(2, '0')}-${parts.d!.padStart(2, '0')}`;
    const valid = parseDate(iso);
    if (valid !== undefined) return valid;
  }
  return undefined;
}
