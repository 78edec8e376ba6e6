/**
 * `--lang en|fr` and EMPREINTE_LANG (src/cli/lang.ts, src/cli/main.ts): the language of what the CLI prints for
 * people (the one-line error, the issue lines on stderr, the validate table); data outputs (JSON, CSV, rejects
 * files) stay English. Expected lines are the catalogue templates (English) and messages-fr.ts templates (French)
 * filled by hand with the values of each case.
 */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { resolveLang } from '../../src/cli/lang.js';
import { EmpreinteError } from '../../src/issues/catalogue.js';
import { runCli } from '../helpers/cli.js';

const tmp = await mkdtemp(join(tmpdir(), 'empreinte-lang-'));
const UNKNOWN = 'test/fixtures/cli/bad/unknown.csv';
const FR_UNKNOWN = `empreinte: ${UNKNOWN}:1:1: INP_FILE_KIND_UNKNOWN Le fichier ${UNKNOWN} ne correspond à aucun format d'entrée connu.\n`;
const EN_UNKNOWN = `empreinte: ${UNKNOWN}:1:1: INP_FILE_KIND_UNKNOWN File ${UNKNOWN} does not match any known input format.\n`;

const run = (args: string[]) => runCli(args);

describe('resolveLang(option, env)', () => {
  it('takes --lang first, in any case', () => {
    expect(resolveLang('fr', { EMPREINTE_LANG: 'en', LANG: 'en_US.UTF-8' })).toBe('fr');
    expect(resolveLang('EN', { EMPREINTE_LANG: 'fr', LANG: 'fr_FR.UTF-8' })).toBe('en');
  });

  it('then EMPREINTE_LANG (a locale name is accepted), over the system locale', () => {
    expect(resolveLang(undefined, { EMPREINTE_LANG: 'fr' })).toBe('fr');
    expect(resolveLang(undefined, { EMPREINTE_LANG: 'fr_FR.UTF-8', LANG: 'en_GB.UTF-8' })).toBe('fr');
    expect(resolveLang(undefined, { EMPREINTE_LANG: 'en', LC_ALL: 'fr_FR.UTF-8' })).toBe('en');
    // An empty variable counts as unset.
    expect(resolveLang(undefined, { EMPREINTE_LANG: '', LANG: 'fr_BE.UTF-8' })).toBe('fr');
  });

  it('then the first non-empty of LC_ALL, LC_MESSAGES, LANG: fr when it starts with fr, else en', () => {
    expect(resolveLang(undefined, { LANG: 'fr_FR.UTF-8' })).toBe('fr');
    expect(resolveLang(undefined, { LC_MESSAGES: 'fr_CA.UTF-8', LANG: 'en_US.UTF-8' })).toBe('fr');
    expect(resolveLang(undefined, { LC_ALL: 'fr_FR.UTF-8', LANG: 'en_US.UTF-8' })).toBe('fr');
    // LC_ALL overrides LANG both ways (POSIX precedence).
    expect(resolveLang(undefined, { LC_ALL: 'C', LANG: 'fr_FR.UTF-8' })).toBe('en');
    expect(resolveLang(undefined, { LC_ALL: '', LC_MESSAGES: '', LANG: 'fr_FR.UTF-8' })).toBe('fr');
    expect(resolveLang(undefined, { LANG: 'de_DE.UTF-8' })).toBe('en');
    expect(resolveLang(undefined, {})).toBe('en');
  });

  it('rejects an unknown --lang or EMPREINTE_LANG value with INP_BAD_ENUM naming it', () => {
    for (const [option, env, field] of [
      ['de', {}, '--lang'],
      ['', {}, '--lang'],
      [undefined, { EMPREINTE_LANG: 'francais' }, 'EMPREINTE_LANG'],
    ] as const) {
      const e = (() => {
        try {
          return resolveLang(option, env);
        } catch (x) {
          return x;
        }
      })();
      expect(e).toBeInstanceOf(EmpreinteError);
      expect((e as EmpreinteError).issue).toMatchObject({
        code: 'INP_BAD_ENUM',
        details: { field, allowed: 'en, fr' },
      });
    }
  });
});

describe('empreinte --lang', () => {
  beforeEach(() => {
    // A known environment: no language variable (the machine running the tests may have a French locale).
    for (const v of ['EMPREINTE_LANG', 'LC_ALL', 'LC_MESSAGES', 'LANG']) vi.stubEnv(v, undefined);
  });
  afterEach(() => {
    vi.unstubAllEnvs();
    process.exitCode = undefined;
  });

  it('--lang fr prints the one-line error of an unrecognised file in French, exit 2', async () => {
    const r = await run(['--lang', 'fr', 'assess', UNKNOWN]);
    expect(r.code).toBe(2);
    expect(r.err).toBe(FR_UNKNOWN);
  });

  it('EMPREINTE_LANG=fr does the same without the option; --lang en overrides it; no variable means English', async () => {
    vi.stubEnv('EMPREINTE_LANG', 'fr');
    expect(await run(['assess', UNKNOWN])).toMatchObject({ code: 2, err: FR_UNKNOWN });
    expect(await run(['--lang', 'en', 'assess', UNKNOWN])).toMatchObject({ code: 2, err: EN_UNKNOWN });
    vi.stubEnv('EMPREINTE_LANG', undefined);
    expect(await run(['assess', UNKNOWN])).toMatchObject({ code: 2, err: EN_UNKNOWN });
  });

  it('LANG=fr_FR.UTF-8 selects French; the option may also follow the command', async () => {
    vi.stubEnv('LANG', 'fr_FR.UTF-8');
    expect(await run(['assess', UNKNOWN])).toMatchObject({ code: 2, err: FR_UNKNOWN });
    vi.stubEnv('LANG', undefined);
    expect(await run(['assess', UNKNOWN, '--lang', 'fr'])).toMatchObject({ code: 2, err: FR_UNKNOWN });
  });

  it('an unknown --lang is a usage error, exit 2, in English', async () => {
    const r = await run(['--lang', 'de', 'assess', UNKNOWN]);
    expect(r.code).toBe(2);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).toBe("empreinte: INP_BAD_ENUM Field '--lang' accepts en, fr; 'de' is not recognised.\n");
  });

  it('assess --format json keeps English messages (and the rejects file) while stderr is French', async () => {
    const dir = await mkdtemp(join(tmp, 'assess-'));
    // pc: a laptop in France, whose use step has no electricity factor for the criteria other than climate change
    // (CALC_ELEC_FACTOR_MISSING rows); ship: an unknown type, line 3, rejected (INP_UNKNOWN_TYPE).
    await writeFile(
      join(dir, 'pe.csv'),
      'nomEquipementPhysique;modele;quantite;type;paysDUtilisation\npc;X1;1;PC portable;France\nship;Z;1;Vaisseau spatial;France\n',
    );
    const out = join(dir, 'o.json');
    const rejects = join(dir, 'rejects');
    const r = await run([
      '--lang',
      'fr',
      'assess',
      join(dir, 'pe.csv'),
      '--date',
      '2025-01-01',
      '--format',
      'json',
      '--criteria',
      'CLIMATE_CHANGE,ACIDIFICATION',
      '--rejects',
      rejects,
      '--out',
      out,
    ]);
    expect(r.code).toBe(0);
    expect(r.err).toContain(
      `${join(dir, 'pe.csv')}:3:type: INP_UNKNOWN_TYPE Ligne 3 : le type d'équipement « Vaisseau spatial » n'existe pas dans le référentiel actif (types connus : `,
    );
    const json = JSON.parse(await readFile(out, 'utf8')) as {
      indicators: {
        item: string;
        lifecycleStep: string;
        criterion: string;
        errorCode?: string;
        errorMessage?: string;
      }[];
    };
    const use = json.indicators.find(
      (x) => x.item === 'pc' && x.lifecycleStep === 'USE' && x.criterion === 'ACIDIFICATION',
    );
    expect(use).toMatchObject({
      errorCode: 'CALC_ELEC_FACTOR_MISSING',
      errorMessage: "No electricity factor for location 'France' and criterion ACIDIFICATION.",
    });
    const rej = await readFile(join(rejects, 'rejected_pe.csv'), 'utf8');
    expect(rej).toContain(";3;INP_UNKNOWN_TYPE;Line 3: equipment type 'Vaisseau spatial' does not exist");
    expect(rej).not.toContain('Ligne');
  });

  it('validate: the table shows French issue lines, --format json keeps the English message', async () => {
    const dir = await mkdtemp(join(tmp, 'validate-'));
    const file = join(dir, 'v.csv');
    // Line 3 has no nomEquipementPhysique: INP_REQUIRED.
    await writeFile(
      file,
      'nomEquipementPhysique;modele;quantite;type;paysDUtilisation\npc;X1;1;Laptop;France\n;Z;1;Laptop;France\n',
    );
    const table = await run(['--lang', 'fr', 'validate', file, '--date', '2025-01-01']);
    expect(table.code).toBe(0);
    expect(table.out).toContain(
      `  ${file}:3:nomEquipementPhysique: INP_REQUIRED Ligne 3 : le champ « nomEquipementPhysique » est obligatoire.\n`,
    );
    const json = await run(['--lang', 'fr', 'validate', file, '--date', '2025-01-01', '--format', 'json']);
    expect(json.code).toBe(0);
    const report = JSON.parse(json.out) as { files: { issues: { code: string; message: string }[] }[] };
    expect(report.files[0]!.issues).toEqual([
      expect.objectContaining({ code: 'INP_REQUIRED', message: "Line 3: field 'nomEquipementPhysique' is mandatory." }),
    ]);
  });

  it('service and referential import print their issue lines in French', async () => {
    const svc = await run(['--lang', 'fr', 'service', join(tmp, 'no-such.yaml')]);
    expect(svc.code).toBe(2);
    // INP_FILE_UNREADABLE: "Le fichier {file} ne peut pas être lu : {reason}." (reason: the OS error, ENOENT), placed
    // at 1:1 as every file-level error.
    const missing = join(tmp, 'no-such.yaml');
    expect(svc.err).toContain(
      `${missing}:1:1: INP_FILE_UNREADABLE Le fichier ${missing} ne peut pas être lu : no such`,
    );
    expect(svc.err.trim().split('\n')).toHaveLength(1);
    vi.stubEnv('EMPREINTE_HOME', await mkdtemp(join(tmp, 'home-')));
    const ref = await run(['--lang', 'fr', 'referential', 'import', 'test/fixtures/pack/user-bad']);
    expect(ref.code).toBe(2);
    // The two rejected rows of the fixture (test/referential/export-cli.test.ts): 'abc' as valeur, line 3, and the
    // misspelt criterion 'Changement climatiqu', line 4.
    expect(ref.err).toContain(
      'facteursCaracterisation.csv:3:valeur: REF_BAD_NUMBER Ligne 3 : le champ « valeur » doit être un nombre (valeur lue : « abc »).\n' +
        "facteursCaracterisation.csv:4:critere: REF_UNKNOWN_CRITERION Ligne 4 : le critère « Changement climatiqu » n'est pas déclaré et ne correspond à aucun alias.\n",
    );
  });
});

describe('French mode leaves no English fragment in the assess notices (issue 11)', () => {
  it('counts the rejected lines in French', async () => {
    const d = await mkdtemp(join(tmp, 'rej-fr-'));
    await writeFile(
      join(d, 'pe.csv'),
      'nomEquipementPhysique;modele;quantite;type;paysDUtilisation\na;M;1;Laptop;France\nb;M;x;Laptop;France\n',
    );
    const out = join(await mkdtemp(join(tmp, 'rej-fr-out-')), 'r.json');
    const r = await run(['--lang', 'fr', 'assess', d, '--date', '2025-01-01', '--format', 'json', '--out', out]);
    expect(r.code).toBe(0);
    expect(r.err).toContain('1 ligne(s) rejetée(s) (--rejects <dossier> pour les obtenir)\n');
    expect(r.err).not.toContain('rejected');
  });
});
