/**
 * The five ADEME presets (methodology §5.1): their ADEME namespace, the parameters they expose (English name ↔ ADEME
 * rule name, unit as in the ADEME rule), and the rules of the five stages mapped to tiers × steps (§1.5:
 * 13 → TERMINAL/EMBODIED, 14 → TERMINAL/USE, 15 → NETWORK/WHOLE_LIFE, 16 → DATACENTER/EMBODIED, 17 → DATACENTER/USE).
 */
import { foldKey } from '../referential/codes.js';
import type { StepCode } from '../referential/codes.js';
import type { Tier } from '../referential/model.js';
import { ademeRule } from './ademe-model.js';
import type { AdemeKind } from './schema.js';

export type { AdemeKind } from './schema.js';
/** The engine's tiers (§1.5) that a service indicator falls in: every one but `UNASSIGNED`. */
export type ServiceTier = Exclude<Tier, 'UNASSIGNED'>;

export interface PresetParameter {
  /** English parameter name used in service files. */
  readonly name: string;
  /** Full ADEME rule name (also accepted in service files). */
  readonly rule: string;
  readonly type: 'number' | 'share' | 'choice';
  /** Unit of the ADEME rule (the value is given in this unit). */
  readonly unit?: string;
  /** Publicodes unit suffix appended to numbers (e.g. `/jour`). */
  readonly situationUnit?: string;
  /** English value → ADEME value (ADEME values and pack codes are also accepted). */
  readonly choices?: Readonly<Record<string, string>>;
  readonly description: string;
}

export interface AdemeStage {
  readonly id: 13 | 14 | 15 | 16 | 17;
  readonly rule: string;
  readonly tier: ServiceTier;
  readonly step: StepCode;
}

export interface AdemePreset {
  readonly kind: AdemeKind;
  /** ADEME rule namespace (`visio`, `email`…): the total of one evaluation, in gCO2e. */
  readonly namespace: string;
  readonly description: string;
  readonly functionalUnit: string;
  readonly parameters: readonly PresetParameter[];
  readonly stages: readonly AdemeStage[];
}

const DEVICE_CHOICES = {
  average: 'moyenne',
  'desktop-and-monitor': 'ordinateur et écran',
  laptop: 'ordinateur portable',
  tablet: 'tablette',
  smartphone: 'smartphone',
  tv: 'TV',
} as const;
const { tv: _tv, ...DEVICE_CHOICES_NO_TV } = DEVICE_CHOICES;
const NETWORK_CHOICES = {
  'fixed-FR': 'fixe FR',
  'mobile-FR': 'mobile FR',
  'fixed-EU': 'fixe EU',
  'mobile-EU': 'mobile EU',
  FIXED_FR: 'fixe FR',
  MOBILE_FR: 'mobile FR',
  FIXED_EU: 'fixe EU',
  MOBILE_EU: 'mobile EU',
} as const;
const REGION_CHOICES = { France: 'France', Europe: 'Europe', China: 'Chine', USA: 'USA' } as const;

const MIX_DEVICES = [
  ['desktop-and-monitor', 'ordinateur et écran'],
  ['laptop', 'ordinateur portable'],
  ['tablet', 'tablette'],
  ['smartphone', 'smartphone'],
  ['tv', 'TV'],
] as const;

function common(ns: string, devices: 'tv' | 'no-tv' | 'none'): PresetParameter[] {
  const p: PresetParameter[] = [];
  if (devices !== 'none') {
    p.push({
      name: 'device',
      rule: `${ns} . appareil`,
      type: 'choice',
      choices: devices === 'tv' ? DEVICE_CHOICES : DEVICE_CHOICES_NO_TV,
      description: "device used; 'average' = the mix below",
    });
    for (const [en, fr] of MIX_DEVICES) {
      if (en === 'tv' && devices === 'no-tv') continue;
      p.push({
        name: `mix.${en}`,
        rule: `${ns} . appareil . moyenne utilisation ${fr}`,
        type: 'share',
        description: `share of ${en} in the 'average' device mix`,
      });
    }
    p.push({
      name: 'terminalRegion',
      rule: 'usage réel . région',
      type: 'choice',
      choices: REGION_CHOICES,
      description: 'electricity mix of the terminals (shared by all ADEME services)',
    });
  }
  p.push({
    name: 'datacenterRegion',
    rule: 'usage data center . région',
    type: 'choice',
    choices: REGION_CHOICES,
    description: 'electricity mix of the datacenter (shared by all ADEME services)',
  });
  return p;
}

function stages(ns: string, terminals: boolean): AdemeStage[] {
  return [
    ...(terminals
      ? [
          { id: 13, rule: `${ns} . terminaux . construction`, tier: 'TERMINAL', step: 'EMBODIED' } as const,
          { id: 14, rule: `${ns} . terminaux . usage`, tier: 'TERMINAL', step: 'USE' } as const,
        ]
      : []),
    { id: 15, rule: `${ns} . transmission`, tier: 'NETWORK', step: 'WHOLE_LIFE' },
    { id: 16, rule: `${ns} . data center . construction`, tier: 'DATACENTER', step: 'EMBODIED' },
    { id: 17, rule: `${ns} . data center . usage`, tier: 'DATACENTER', step: 'USE' },
  ];
}

const net = (name: string, rule: string, description = 'network used'): PresetParameter => ({
  name,
  rule,
  type: 'choice',
  choices: NETWORK_CHOICES,
  description,
});

export const ADEME_PRESETS: Readonly<Record<AdemeKind, AdemePreset>> = {
  videoconference: {
    kind: 'videoconference',
    namespace: 'visio',
    description: 'one videoconference of the given duration between the connected devices',
    functionalUnit: 'one videoconference (default 60 min, 2 devices)',
    parameters: [
      { name: 'durationMinutes', rule: 'visio . durée', type: 'number', unit: 'minute', description: 'duration' },
      { name: 'devices', rule: 'visio . emplacements', type: 'number', description: 'number of connected devices' },
      {
        name: 'quality',
        rule: 'visio . qualité',
        type: 'choice',
        choices: { audio: 'audio', SD: 'SD', HD: 'HD', 'ultra-HD': 'ultra HD' },
        description: 'video quality (audio 168/1024, SD 0.7, HD 3, ultra HD 7 Go/h)',
      },
      net('network', 'visio . transmission . réseau'),
      ...common('visio', 'tv'),
    ],
    stages: stages('visio', true),
  },
  email: {
    kind: 'email',
    namespace: 'email',
    description: 'one e-mail sent, transmitted, stored and read',
    functionalUnit: 'one e-mail',
    parameters: [
      { name: 'sizeMB', rule: 'email . taille', type: 'number', unit: 'Mo', description: 'size (1 Mo = 1024 ko)' },
      { name: 'recipients', rule: 'email . destinataires', type: 'number', description: 'number of recipients' },
      {
        name: 'storageYears',
        rule: 'email . durée stockage mail',
        type: 'number',
        unit: 'an',
        description: 'storage duration',
      },
      {
        name: 'senderBackupCopies',
        rule: 'email . redondances sauvegarde émetteur',
        type: 'number',
        description: 'backup redundancies on the sender side',
      },
      {
        name: 'recipientBackupCopies',
        rule: 'email . redondances sauvegarde récepteur',
        type: 'number',
        description: 'backup redundancies on the recipient side',
      },
      {
        name: 'storageFillRate',
        rule: 'email . taux moyen de remplissage du stockage',
        type: 'share',
        description: 'average filling rate of the storage',
      },
      {
        name: 'mailsPerDayPerPerson',
        rule: 'email . nombre de mails envoyés et reçus par jour et par personne',
        type: 'number',
        unit: '/jour',
        situationUnit: '/jour',
        description: 'e-mails sent and received per person per day (server allocation)',
      },
      {
        name: 'writingMinutes',
        rule: 'email . terminaux . temps écriture',
        type: 'number',
        unit: 'minute',
        description: 'writing time',
      },
      {
        name: 'readShare',
        rule: 'email . terminaux . pourcentage lecture',
        type: 'share',
        description: 'share of recipients who read it',
      },
      {
        name: 'readingMinutesPerRecipient',
        rule: 'email . terminaux . temps lecture récepteur',
        type: 'number',
        unit: 'minute',
        description: 'reading time per recipient',
      },
      net('senderNetwork', 'email . transmission . émetteur . réseau', 'network of the sender'),
      net('recipientNetwork', 'email . transmission . récepteur . réseau', 'network of the recipients'),
      {
        name: 'backupNetwork',
        rule: 'email . transmission . redondances sauvegarde . réseau',
        type: 'choice',
        choices: { 'fixed-FR-no-box': 'fixe FR hors box', FIXED_FR_NO_BOX: 'fixe FR hors box' },
        description:
          "network of the backup copies; ADEME 2.1.0 offers 'fixe EU hors box' but its rule never reaches it (§5.1 quirk), so only the FR value is accepted",
      },
      ...common('email', 'no-tv'),
    ],
    stages: stages('email', true),
  },
  streaming: {
    kind: 'streaming',
    namespace: 'streaming',
    description: 'video streaming of the given duration',
    functionalUnit: 'one streaming session (default 60 min)',
    parameters: [
      { name: 'durationMinutes', rule: 'streaming . durée', type: 'number', unit: 'minute', description: 'duration' },
      {
        name: 'quality',
        rule: 'streaming . qualité',
        type: 'choice',
        choices: { SD: 'SD', HD: 'HD', 'ultra-HD': 'ultra HD' },
        description: 'video quality (SD 0.7, HD 3, ultra HD 7 Go/h)',
      },
      net('network', 'streaming . transmission . réseau'),
      ...common('streaming', 'tv'),
    ],
    stages: stages('streaming', true),
  },
  file_transfer: {
    kind: 'file_transfer',
    namespace: 'fichier',
    description: 'one file transferred (terminals not counted: background task, ADEME note)',
    functionalUnit: 'one file (default 1 Go)',
    parameters: [
      { name: 'sizeGB', rule: 'fichier . taille', type: 'number', unit: 'Go', description: 'size (1 Go = 1024 Mo)' },
      net('network', 'fichier . transmission . réseau'),
      ...common('fichier', 'none'),
    ],
    stages: stages('fichier', false),
  },
  web_search: {
    kind: 'web_search',
    namespace: 'recherche web',
    description: 'one web search: typing, request, result pages read',
    functionalUnit: 'one web search',
    parameters: [
      {
        name: 'typingMinutes',
        rule: 'recherche web . temps de saisie',
        type: 'number',
        unit: 'minute',
        description: 'typing time (default 50/60 min)',
      },
      {
        name: 'requestKB',
        rule: 'recherche web . taille de la requete',
        type: 'number',
        unit: 'ko',
        description: 'request size',
      },
      {
        name: 'pageKB',
        rule: 'recherche web . taille de la page',
        type: 'number',
        unit: 'ko',
        description: 'result page size',
      },
      {
        name: 'readingMinutes',
        rule: 'recherche web . temps de consultation',
        type: 'number',
        unit: 'minute',
        description: 'reading time per page',
      },
      {
        name: 'resultPages',
        rule: 'recherche web . nombre de pages de résultats lues',
        type: 'number',
        description: 'result pages read',
      },
      net('network', 'recherche web . transmission . réseau'),
      ...common('recherche web', 'no-tv'),
    ],
    stages: stages('recherche web', true),
  },
};

/** Default of a parameter as written in the ADEME rule (`par défaut` or `valeur`), for documentation and traces. */
export function parameterDefault(p: PresetParameter): string {
  const r = ademeRule(p.rule);
  const v = r !== null && typeof r === 'object' ? (r['par défaut'] ?? r['valeur']) : undefined;
  return v === undefined ? '' : String(v);
}

export type ParameterValue = { readonly display: number | string; readonly situation: string | number };

export type ParameterProblem =
  { readonly kind: 'unknown'; readonly allowed: string } | { readonly kind: 'bad-value'; readonly allowed: string };

/** Find a parameter by English name, full ADEME rule name, or rule name relative to the namespace. */
export function findParameter(preset: AdemePreset, key: string): PresetParameter | undefined {
  const k = foldKey(key);
  return preset.parameters.find(
    (p) =>
      foldKey(p.name) === k || foldKey(p.rule) === k || foldKey(`${preset.namespace} . ${key}`) === foldKey(p.rule),
  );
}

const PERCENT = /^\s*(\d+(?:\.\d+)?)\s*%\s*$/;

/** Turn a user value into the publicodes situation value, or say why it is not accepted. */
export function toSituation(p: PresetParameter, value: number | string): ParameterValue | ParameterProblem {
  switch (p.type) {
    case 'number': {
      const n = typeof value === 'number' ? value : Number(value);
      if (!Number.isFinite(n) || n < 0 || (typeof value === 'string' && value.trim() === ''))
        return { kind: 'bad-value', allowed: `a number ≥ 0${p.unit ? ` in ${p.unit}` : ''}` };
      return { display: n, situation: p.situationUnit ? `${n} ${p.situationUnit}` : n };
    }
    case 'share': {
      const m = typeof value === 'string' ? PERCENT.exec(value) : undefined;
      const s = typeof value === 'number' ? value : m ? Number(m[1]) / 100 : NaN;
      if (!Number.isFinite(s) || s < 0 || s > 1)
        return { kind: 'bad-value', allowed: 'a share between 0 and 1 or a percentage such as "45 %"' };
      return { display: s, situation: `${s * 100} %` };
    }
    case 'choice': {
      const choices = p.choices ?? {};
      const k = foldKey(String(value));
      for (const [en, fr] of Object.entries(choices))
        if (foldKey(en) === k || foldKey(fr) === k) return { display: en, situation: `'${fr}'` };
      return {
        kind: 'bad-value',
        allowed: Object.keys(choices)
          .filter((c) => !c.includes('_'))
          .join(', '),
      };
    }
  }
}
