import { describe, expect, it } from 'vitest';
import {
  chooseUnit,
  formatDate,
  formatNumber,
  formatPercent,
  formatQuantity,
  formatSigned,
  magnitudeOf,
  peopleEquivalent,
  quantityFormatter,
} from '../../src/web/format.js';

// Intl writes French thousands with U+202F (narrow no-break space) and the unit follows a U+00A0.
const NNBSP = '\u202f';
const NBSP = '\u00a0';

describe('unit choice', () => {
  it('switches kg to t from 1,000 kg and to g below 1 kg, keeping the rest of the unit', () => {
    expect(chooseUnit('kg CO2 eq', 31300.79)).toEqual({ unit: 't CO2 eq', factor: 1e-3 });
    expect(chooseUnit('kg CO2 eq', 1000)).toEqual({ unit: 't CO2 eq', factor: 1e-3 });
    expect(chooseUnit('kg CO2 eq', 999.9)).toEqual({ unit: 'kg CO2 eq', factor: 1 });
    expect(chooseUnit('kg CO2 eq', 1)).toEqual({ unit: 'kg CO2 eq', factor: 1 });
    expect(chooseUnit('kg CO2 eq', 0.5)).toEqual({ unit: 'g CO2 eq', factor: 1e3 });
    expect(chooseUnit('kg Sb eq', -2500)).toEqual({ unit: 't Sb eq', factor: 1e-3 });
    // zero stays in kg (no "0 g")
    expect(chooseUnit('kg CO2 eq', 0)).toEqual({ unit: 'kg CO2 eq', factor: 1 });
  });

  it('writes energy in kWh, MWh or GWh and leaves other units alone', () => {
    expect(chooseUnit('kWh', 65835.6)).toEqual({ unit: 'MWh', factor: 1e-3 });
    expect(chooseUnit('kWh', 999)).toEqual({ unit: 'kWh', factor: 1 });
    expect(chooseUnit('kWh', 2_500_000)).toEqual({ unit: 'GWh', factor: 1e-6 });
    expect(chooseUnit('mol H+ eq', 94437)).toEqual({ unit: 'mol H+ eq', factor: 1 });
    // "kgX" is not a mass in kg
    expect(chooseUnit('kBq U235 eq', 28471)).toEqual({ unit: 'kBq U235 eq', factor: 1 });
  });

  it('takes the largest absolute value of a column as its magnitude', () => {
    expect(magnitudeOf([3, -1200, 40, Number.NaN])).toBe(1200);
    expect(magnitudeOf([])).toBe(0);
  });
});

describe('numbers in French and English', () => {
  it('rounds by magnitude: no decimal from 100, one from 10, two from 0.1, else 3 significant digits', () => {
    expect(formatNumber(31300.79, 'fr')).toBe(`31${NNBSP}301`);
    expect(formatNumber(31300.79, 'en')).toBe('31,301');
    expect(formatNumber(31.30079, 'fr')).toBe('31,3');
    expect(formatNumber(31.30079, 'en')).toBe('31.3');
    expect(formatNumber(4.3473, 'fr')).toBe('4,35');
    expect(formatNumber(0.000571855, 'en')).toBe('0.000572');
    expect(formatNumber(0, 'fr')).toBe('0');
    expect(formatNumber(Number.NaN, 'fr')).toBe('—');
  });

  it('writes a quantity in its readable unit', () => {
    // 31,300.79 kg = 31.30079 t → one decimal
    expect(formatQuantity(31300.79279992223, 'kg CO2 eq', 'fr')).toBe(`31,3${NBSP}t CO2 eq`);
    expect(formatQuantity(31300.79279992223, 'kg CO2 eq', 'en')).toBe(`31.3${NBSP}t CO2 eq`);
    // 43.47 kg per collaborator stays in kg
    expect(formatQuantity(43.473323333225316, 'kg CO2 eq', 'fr')).toBe(`43,5${NBSP}kg CO2 eq`);
    // 0.9406 kg Sb eq → 940.6 g → no decimal
    expect(formatQuantity(0.9406052230091194, 'kg Sb eq', 'en')).toBe(`941${NBSP}g Sb eq`);
    // 65,835.6 kWh → 65.8 MWh
    expect(formatQuantity(65835.62033811476, 'kWh', 'fr')).toBe(`65,8${NBSP}MWh`);
  });

  it('keeps one unit for a column, chosen by its largest value', () => {
    const f = quantityFormatter('kg CO2 eq', [31300.79, 406.13, 0.5], 'en');
    expect(f.display.unit).toBe('t CO2 eq');
    expect(f.format(406.1288)).toBe(`0.41${NBSP}t CO2 eq`);
    expect(f.formatNumber(0.5)).toBe('0.0005');
  });

  it('shows signs and percentages', () => {
    expect(formatSigned(-1234.5, 'en', 'kg')).toBe('−1,235 kg');
    expect(formatSigned(12.34, 'fr')).toBe('+12,3');
    expect(formatSigned(0, 'fr')).toBe('0');
    expect(formatPercent(0.7021276595744681, 'fr')).toBe(`70${NBSP}%`);
    expect(formatPercent(0.7021276595744681, 'en')).toBe('70%');
    expect(formatPercent(0.0035460992907801418, 'en')).toBe('0.4%');
  });

  it('writes dates day first in both languages', () => {
    expect(formatDate('2024-12-31', 'fr')).toBe('31/12/2024');
    expect(formatDate('2024-12-31', 'en')).toBe('31/12/2024');
  });
});

describe('people-equivalent (methodology F18)', () => {
  it('divides by the sustainable individual package of the criterion', () => {
    // 31,300.79 kg CO2 eq / 851.25 kg per person = 36.770 people (the server's totals say 36.77038801752978)
    expect(peopleEquivalent(31300.79279992223, 'CLIMATE_CHANGE')).toBeCloseTo(36.7704, 4);
    // 250 mol H+ eq / 125 = 2
    expect(peopleEquivalent(250, 'ACIDIFICATION')).toBe(2);
    expect(peopleEquivalent(1, 'WATER_USE')).toBeNull();
  });
});
