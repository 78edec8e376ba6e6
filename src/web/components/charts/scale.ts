/** Pure scale helpers of the charts (unit-tested): nice axis ticks and linear mapping. */

/**
 * Round tick values covering [min, max] (min ≤ 0 ≤ max is not required): steps of 1, 2, 2.5 or 5 × 10^k, about
 * `count` intervals. `niceTicks(0, 31300)` → 0, 10000, 20000, 30000, 40000.
 */
export function niceTicks(min: number, max: number, count = 4): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [0];
  if (min === max) {
    if (min === 0) return [0, 1];
    return min > 0 ? niceTicks(0, min, count) : niceTicks(min, 0, count);
  }
  const raw = (max - min) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 2.5, 5, 10].find((m) => m * mag >= raw) ?? 10) * mag;
  const start = Math.floor(min / step) * step;
  const end = Math.ceil(max / step) * step;
  const ticks: number[] = [];
  for (let v = start, i = 0; v <= end + step / 2 && i < 100; v = start + ++i * step)
    ticks.push(Number(v.toPrecision(12)));
  return ticks;
}

/** A linear map from [d0, d1] to [r0, r1] (a degenerate domain maps to r0). */
export function linear(d0: number, d1: number, r0: number, r1: number): (v: number) => number {
  const span = d1 - d0;
  return (v) => (span === 0 ? r0 : r0 + ((v - d0) / span) * (r1 - r0));
}

/** A label cut to `max` characters with an ellipsis (the full text stays in the table and the SVG title). */
export function clip(label: string, max = 28): string {
  return label.length <= max ? label : `${label.slice(0, max - 1)}…`;
}
