import { describe, expect, it } from 'vitest';
import { HYPOTHESES, hypothesisDef, profileLayer, validateHypothesis } from './hypotheses.js';

const value = (profile: 'rcp' | 'numecoeval', code: string) =>
  profileLayer(profile).hypotheses.find((h) => h.code === code)?.value;

describe('profileLayer', () => {
  it('holds the §3.6 defaults with the §9 #1 COPE split', () => {
    expect(value('rcp', 'taux_utilisation_COPE')).toBe(0.85); // RCP SI Table 3
    expect(value('numecoeval', 'taux_utilisation_COPE')).toBe(0.8); // G4IT ref_hypothesis.csv
    for (const p of ['rcp', 'numecoeval'] as const) {
      expect(value(p, 'taux_utilisation_BYOD')).toBe(0.57);
      expect(value(p, 'taux_utilisation_PRO')).toBe(1);
      expect(value(p, 'PUEParDefaut')).toBe(1.75);
      expect(value(p, 'dureeVieParDefaut')).toBe(2);
      expect(value(p, 'dureeVieMinimale')).toBe(1);
      expect(value(p, 'heuresParAn')).toBe(8760); // 365 × 24
      expect(value(p, 'joursParAn')).toBe(365);
      expect(value(p, 'personnesParFoyer_FR')).toBe(2.16);
      expect(value(p, 'personnesParFoyer_EU')).toBe(2.3);
      expect(value(p, 'partBoxFibre')).toBe(0.46);
      expect(value(p, 'partBoxADSL')).toBe(0.54);
      expect(value(p, 'maxRejectedLines')).toBe(50000);
    }
  });

  it('names its layer and cites a source for every value', () => {
    const l = profileLayer('numecoeval');
    expect(l.name).toBe('profile:numecoeval');
    expect(l.hypotheses).toHaveLength(HYPOTHESES.length);
    for (const h of l.hypotheses) {
      expect(h.prov.layer).toBe('profile:numecoeval');
      expect(h.prov.source.length).toBeGreaterThan(10);
    }
  });

  it('every default lies in its own valid range', () => {
    for (const h of HYPOTHESES) {
      expect(validateHypothesis(h.code, h.defaults.rcp)).toBeUndefined();
      expect(validateHypothesis(h.code, h.defaults.numecoeval)).toBeUndefined();
    }
  });
});

describe('validateHypothesis', () => {
  it('rejects a PUE of 1 or less (PUE > 1)', () => {
    const i = validateHypothesis('PUEParDefaut', 1, { file: 'h.csv', line: 3, column: 'valeur' });
    expect(i).toMatchObject({
      code: 'REF_HYPOTHESIS_INVALID',
      severity: 'R',
      file: 'h.csv',
      line: 3,
      column: 'valeur',
    });
    expect(i?.details).toMatchObject({ code: 'PUEParDefaut', min: '1 (excluded)', max: '+∞', value: '1' });
    expect(validateHypothesis('PUEParDefaut', 1.01)).toBeUndefined();
  });

  it('keeps shares in [0, 1], including unregistered taux_utilisation_* and partBox* codes', () => {
    expect(validateHypothesis('taux_utilisation_COPE', 0)).toBeUndefined();
    expect(validateHypothesis('taux_utilisation_COPE', 1)).toBeUndefined();
    expect(validateHypothesis('taux_utilisation_COPE', 1.2)?.code).toBe('REF_HYPOTHESIS_INVALID');
    expect(validateHypothesis('taux_utilisation_AUTRE', -0.1)?.code).toBe('REF_HYPOTHESIS_INVALID');
    expect(validateHypothesis('partBoxCable', 2)?.code).toBe('REF_HYPOTHESIS_INVALID');
  });

  it('wants durations and counts strictly positive, and numbers where a range exists', () => {
    expect(validateHypothesis('dureeVieParDefaut', 0)?.code).toBe('REF_HYPOTHESIS_INVALID');
    expect(validateHypothesis('dureeVieServeur', -1)?.code).toBe('REF_HYPOTHESIS_INVALID');
    expect(validateHypothesis('personnesParFoyer_FR', 0)?.code).toBe('REF_HYPOTHESIS_INVALID');
    expect(validateHypothesis('dureeVieParDefaut', 'deux')?.details).toMatchObject({ value: 'deux' });
    expect(validateHypothesis('someOtherCode', 'free text')).toBeUndefined();
  });

  it('finds definitions case-insensitively', () => {
    expect(hypothesisDef('pueparDefaut')?.code).toBe('PUEParDefaut');
  });
});

describe('hypothesisNumber', () => {
  it('returns numbers with provenance, case-insensitively; undefined for text or absent codes', async () => {
    const { mergeLayers } = await import('./merge.js');
    const { hypothesisNumber } = await import('./hypotheses.js');
    const prov = { source: 'test', layer: 'user:t' };
    const user = {
      ...profileLayer('rcp'),
      name: 'user:t',
      hypotheses: [
        { code: 'modeCalcul', value: 'texte', prov },
        { code: 'nombreEcrans', value: '2', prov },
      ],
    };
    const ref = mergeLayers([profileLayer('numecoeval'), user]).referential;
    expect(hypothesisNumber(ref, 'taux_utilisation_cope')).toMatchObject({
      value: 0.8,
      prov: { layer: 'profile:numecoeval' },
    });
    expect(hypothesisNumber(ref, 'nombreEcrans')?.value).toBe(2);
    expect(hypothesisNumber(ref, 'modeCalcul')).toBeUndefined();
    expect(hypothesisNumber(ref, 'absent')).toBeUndefined();
  });
});
