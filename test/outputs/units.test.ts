/**
 * Readable units for terminal tables (src/outputs/units.ts): t or kg for masses, SI prefixes for energy, moles and
 * becquerels, the value as is for other units. Expected texts worked out by hand.
 */
import { describe, expect, it } from 'vitest';
import { commonScale, formatQuantity, readableNumber, unitScale } from '../../src/outputs/units.js';

describe('formatQuantity', () => {
  it('writes tonnes from 1,000 kg up, kilograms below, grams below 1 kg', () => {
    expect(formatQuantity(3.931e6, 'kg CO2 eq')).toBe('3,931 t CO2 eq');
    expect(formatQuantity(3_931_234, 'kg CO2 eq')).toBe('3,931 t CO2 eq');
    expect(formatQuantity(999.94, 'kg CO2 eq')).toBe('999.9 kg CO2 eq');
    expect(formatQuantity(1000, 'kg')).toBe('1 t');
    expect(formatQuantity(2.5e9, 'kg CO2 eq')).toBe('2,500,000 t CO2 eq');
    expect(formatQuantity(0.2461, 'kg Sb eq')).toBe('246.1 g Sb eq');
    expect(formatQuantity(0.0000123, 'kg Sb eq')).toBe('12.3 mg Sb eq');
    expect(formatQuantity(-4200, 'kg CO2 eq')).toBe('-4.2 t CO2 eq');
    expect(formatQuantity(0, 'kg CO2 eq')).toBe('0 kg CO2 eq');
  });

  it('uses SI prefixes for Wh, J, mol and Bq, starting from the unit’s own prefix', () => {
    expect(formatQuantity(1_234_567, 'kWh')).toBe('1.235 GWh');
    expect(formatQuantity(0.5, 'kWh')).toBe('500 Wh');
    expect(formatQuantity(12_000, 'MJ')).toBe('12 GJ');
    expect(formatQuantity(45_600, 'mol H+ eq')).toBe('45.6 kmol H+ eq');
    expect(formatQuantity(0.0456, 'mol H+ eq')).toBe('45.6 mmol H+ eq');
    expect(formatQuantity(2500, 'kBq U-235 eq')).toBe('2.5 MBq U-235 eq');
  });

  it('leaves units without a linear prefix alone, with exponent notation for tiny values', () => {
    expect(formatQuantity(1.23456e-9, 'disease incidence')).toBe('1.235e-9 disease incidence');
    expect(formatQuantity(12345.6, 'm3 eq')).toBe('12,350 m3 eq');
    expect(formatQuantity(0.5, 'CTUh')).toBe('0.5 CTUh');
    expect(formatQuantity(7, '')).toBe('7');
  });

  it('writes French numbers with a decimal comma and narrow no-break space groups', () => {
    expect(formatQuantity(3.931e6, 'kg CO2 eq', 'fr')).toBe('3\u202f931 t CO2 eq');
    expect(formatQuantity(2.46, 'kg CO2 eq', 'fr')).toBe('2,46 kg CO2 eq');
    expect(readableNumber(1.5e-7, 'fr')).toBe('1,5e-7');
  });
});

describe('unitScale / commonScale', () => {
  it('gives the factor from the original unit', () => {
    expect(unitScale(5000, 'kg CO2 eq')).toEqual({ unit: 't CO2 eq', factor: 0.001 });
    expect(unitScale(0.5, 'kg')).toEqual({ unit: 'g', factor: 1000 });
    expect(unitScale(5, 'disease incidence')).toEqual({ unit: 'disease incidence', factor: 1 });
    expect(unitScale(Number.NaN, 'kg')).toEqual({ unit: 'kg', factor: 1 });
  });

  it('chooses one scale for a column from its largest magnitude', () => {
    const s = commonScale([12, -3_500, 0.4], 'kg CO2 eq');
    expect(s.unit).toBe('t CO2 eq');
    expect(s.factor).toBe(0.001);
    expect(commonScale([], 'kWh')).toEqual({ unit: 'kWh', factor: 1 });
  });
});
