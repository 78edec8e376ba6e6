/** Numeric expectations shared by the tests whose expected values are worked out by hand. */
import { expect } from 'vitest';

/** `actual` is defined and within `rel` × max(1, |expected|) of `expected` (a relative tolerance, absolute near 0). */
export function expectClose(actual: number | undefined, expected: number, rel = 1e-9): void {
  expect(actual).toBeDefined();
  expect(Math.abs((actual ?? Number.NaN) - expected)).toBeLessThanOrEqual(rel * Math.max(1, Math.abs(expected)));
}
