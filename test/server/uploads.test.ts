/** Uploads into a campaign: validated through the application layer, stored with their report and rejects, audited. */
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as org from '../../src/server/usecases/organisations.js';
import { createUpload, getUpload, listUploads, uploadRejects } from '../../src/server/usecases/uploads.js';
import { DATABASES, freshStore, type FreshStore } from '../store/databases.js';
import { depsFor, makeWorld, type World } from './world.js';
import { runCli } from '../helpers/cli.js';
import { newCampaign } from './served-world.js';

const HEADER =
  'nomEquipementPhysique;modele;quantite;nomCourtDatacenter;dateAchat;dateRetrait;type;statut;paysDUtilisation;consoElecAnnuelle;utilisateur;nomEntite;nomSourceDonnee;modeUtilisation;tauxUtilisation;nbCoeur;dureeUsageInterne';
const GOOD1 = 'PC-1;Latitude 5420;10;;2021-03-15;;Laptop;En service;France;;;Administration;GLPI;;;;';
const GOOD2 = 'SCREEN-1;P2422H;4;;2022-01-10;;Monitor;En service;France;;;Administration;GLPI;;;;';
const BAD = 'PC-BAD;X;not-a-number;;2021-03-15;;Laptop;En service;France;;;Administration;GLPI;;;;';

interface CliReport {
  totals: { read: number; imported: number; rejected: number };
  files: { issues: { code: string; line?: number }[] }[];
}

/** `empreinte validate <file> --date … --format json --rejects <dir>`: the CLI's report and its rejects file. */
async function cliValidate(file: string): Promise<{ report: CliReport; rejects: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'empreinte-upl-'));
  const { out } = await runCli(['validate', file, '--date', '2025-06-30', '--format', 'json', '--rejects', dir]);
  const name = file.split('/').pop()!;
  const rejects = await readFile(join(dir, `rejected_${name}`), 'utf8').catch(() => '');
  return { report: JSON.parse(out) as CliReport, rejects };
}

describe.each(DATABASES)('uploads on %s', (d) => {
  let f: FreshStore;
  let w: World;
  let campaignId: string;
  beforeAll(async () => {
    f = await freshStore(d);
    w = await makeWorld(depsFor(f.store));
    campaignId = await newCampaign(w, '2024', '2025-06-30');
  });
  afterAll(async () => {
    await f?.dispose();
  });

  it('validates an example inventory file as `empreinte validate` does and stores its report and rejects', async () => {
    const file = 'examples/inventory/equipements_physiques.csv';
    const content = readFileSync(file);
    const cli = await cliValidate(file);
    const u = await createUpload(w.deps, w.a.editor.actor, {
      campaignId,
      fileName: 'equipements_physiques.csv',
      mapping: null,
      content,
    });
    // The `utilisateur` column is dropped before storing: one column fewer on every line.
    const header = content.toString('utf8').split('\n')[0]!.split(';');
    expect(header).toContain('utilisateur');
    expect(u.size).toBeLessThan(content.length);
    // Alone, the file names datacenters of another file: the CLI rejects those lines too (18 read, 12 imported).
    expect(cli.report.totals).toMatchObject({ read: 18, imported: 12, rejected: 6 });
    expect(u.report).toMatchObject({ read: 18, imported: 12, rejected: 6 });
    expect(u.report.issues.map((i) => `${i.code}:${i.line}`)).toEqual(
      cli.report.files[0]!.issues.map((i) => `${i.code}:${i.line}`),
    );
    expect(await getUpload(w.deps, w.a.viewer.actor, { uploadId: u.id })).toEqual(u);
    expect(cli.rejects).not.toBe('');
    // The CLI's rejects file less its `utilisateur` column (empty in this file: plain split/join is exact).
    const cliLines = cli.rejects.split('\n');
    const at = cliLines[0]!.split(';').indexOf('utilisateur');
    expect(at).toBeGreaterThan(0);
    const withoutUser = cliLines
      .map((l) =>
        l === ''
          ? l
          : l
              .split(';')
              .filter((_c, i) => i !== at)
              .join(';'),
      )
      .join('\n');
    expect(await uploadRejects(w.deps, w.a.viewer.actor, { uploadId: u.id })).toBe(withoutUser);
  });

  it('keeps the rejected lines downloadable as CSV and counts them', async () => {
    const content = Buffer.from([HEADER, GOOD1, BAD, GOOD2].join('\n') + '\n');
    const u = await createUpload(w.deps, w.a.editor.actor, {
      campaignId,
      fileName: 'parc.csv',
      mapping: null,
      content,
    });
    expect(u.report).toMatchObject({ read: 3, imported: 2, rejected: 1 });
    expect(u.report.issues.some((i) => i.severity === 'R' && i.line === 3)).toBe(true);
    const rejects = await uploadRejects(w.deps, w.a.viewer.actor, { uploadId: u.id });
    const lines = rejects
      .replace(/^\uFEFF/, '')
      .trim()
      .split(/\r?\n/);
    expect(lines).toHaveLength(2); // header + the one rejected line
    expect(lines[1]).toContain('PC-BAD');
    expect(lines.join('\n')).not.toContain('PC-1;');
    const list = await listUploads(w.deps, w.a.viewer.actor, { campaignId });
    expect(list.map((x) => x.fileName)).toEqual(['equipements_physiques.csv', 'parc.csv']);
    const audit = await org.listAudit(w.deps, w.a.admin.actor, { organisationId: w.orgA, limit: 10 });
    expect(audit.find((a) => a.targetId === u.id)).toMatchObject({
      action: 'upload.create',
      actorUserId: w.a.editor.id,
      details: { campaignId, fileName: 'parc.csv', read: 3, imported: 2, rejected: 1 },
    });
  });

  it('never stores the `utilisateur` column in clear: not in the bytes, the report, the rejects nor the audit', async () => {
    const name = 'Jeanne Dupont-Secret';
    const good = GOOD1.split(';');
    good[10] = name;
    const bad = BAD.split(';');
    bad[10] = `${name} 2`;
    const u = await createUpload(w.deps, w.a.editor.actor, {
      campaignId,
      fileName: 'personnes.csv',
      mapping: null,
      content: Buffer.from([HEADER, good.join(';'), bad.join(';')].join('\r\n') + '\r\n', 'utf8'),
    });
    expect(u.report).toMatchObject({ read: 2, imported: 1, rejected: 1 });
    const dump: string[] = [];
    for (const t of ['uploads', 'audit_log', 'campaigns', 'job_records'] as const) {
      const rows = await f.store.db.selectFrom(t).selectAll().execute();
      for (const r of rows)
        for (const v of Object.values(r)) dump.push(Buffer.isBuffer(v) ? v.toString('latin1') : JSON.stringify(v));
    }
    const all = dump.join('\n');
    expect(all).toContain('PC-BAD'); // the rows are there…
    expect(all).not.toContain('Jeanne'); // …without the people's names
    const audit = await org.listAudit(w.deps, w.a.admin.actor, { organisationId: w.orgA, limit: 50 });
    expect(audit.find((a) => a.targetId === u.id)?.details).toMatchObject({ droppedColumns: ['utilisateur'] });
  });

  it('refuses a viewer (403), another organisation (404), a path as mapping and a locked campaign', async () => {
    const content = Buffer.from([HEADER, GOOD1].join('\n'));
    const input = { campaignId, fileName: 'a.csv', mapping: null, content };
    await expect(createUpload(w.deps, w.a.viewer.actor, input)).rejects.toMatchObject({ code: 'APP_FORBIDDEN' });
    await expect(createUpload(w.deps, w.bAdmin.actor, input)).rejects.toMatchObject({ code: 'APP_NOT_FOUND' });
    await expect(
      createUpload(w.deps, w.a.editor.actor, { ...input, mapping: '../../etc/mapping.yaml' }),
    ).rejects.toMatchObject({ code: 'APP_INVALID' });
    const before = (await listUploads(w.deps, w.a.viewer.actor, { campaignId })).length;
    await org.setCampaignLock(w.deps, w.a.admin.actor, { campaignId, locked: true });
    await expect(createUpload(w.deps, w.a.editor.actor, input)).rejects.toMatchObject({
      code: 'APP_CAMPAIGN_LOCKED',
    });
    await org.setCampaignLock(w.deps, w.a.admin.actor, { campaignId, locked: false });
    expect(await listUploads(w.deps, w.a.viewer.actor, { campaignId })).toHaveLength(before);
    await expect(uploadRejects(w.deps, w.bAdmin.actor, { uploadId: 'x' })).rejects.toMatchObject({
      code: 'APP_NOT_FOUND',
    });
  });
});
