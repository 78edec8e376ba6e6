/**
 * Personal data at upload (issue 12): the `utilisateur` column of XLSX and ODS uploads is dropped before storage (the
 * workbook stored as the equivalent CSV) and assesses to the same totals as the workbook without it; an organisation
 * that chose pseudonymisation stores keyed-hash pseudonyms (recomputed here from the documented construction) for CSV,
 * XLSX and ODS uploads. On SQLite and PostgreSQL.
 */
import { execFileSync } from 'node:child_process';
import { createHmac, hkdfSync } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { XlsxWriter, type XlsxCell } from '../../src/formats/xlsx-write.js';
import { InProcessQueue } from '../../src/server/jobs/in-process.js';
import { getJob, getTotals, registerJobs, startAssessment } from '../../src/server/usecases/assessments.js';
import * as org from '../../src/server/usecases/organisations.js';
import { updateSettings } from '../../src/server/usecases/personal-data.js';
import { createUpload } from '../../src/server/usecases/uploads.js';
import type { Actor } from '../../src/store/scoped.js';
import { DATABASES, freshStore, type FreshStore } from '../store/databases.js';
import { depsFor, makeWorld, type World } from './world.js';

const HEADER = [
  'nomEquipementPhysique',
  'modele',
  'quantite',
  'type',
  'paysDUtilisation',
  'dateAchat',
  'consoElecAnnuelle',
];
const ROWS: XlsxCell[][] = [
  ['PC-001', 'Latitude 5520', 1, 'Laptop', 'France', '2021-03-15', 35.25],
  ['PC-002', 'OptiPlex 7090', 2, 'Desktop', 'France', '2020-07-01', 120.5],
  ['PC-003', 'Latitude 5520', 3, 'Laptop', 'France', '2022-01-10', null],
];
const NAMES = ['Alice Martin', 'Bob Durand', 'Alice Martin'];

async function xlsx(header: readonly string[], rows: readonly (readonly XlsxCell[])[]): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const x = new XlsxWriter((c) => void chunks.push(Buffer.from(c)));
  const s = await x.addSheet('parc', { header });
  for (const r of rows) await s.appendRow(r);
  await s.close();
  await x.close();
  return Buffer.concat(chunks);
}

/** A one-sheet ODS written by hand (Python's zipfile), text and float cells. */
function ods(header: readonly string[], rows: readonly (readonly XlsxCell[])[]): Buffer {
  const cell = (v: XlsxCell) =>
    typeof v === 'number'
      ? `<table:table-cell office:value-type="float" office:value="${v}"><text:p>${v}</text:p></table:table-cell>`
      : v === null || v === undefined
        ? '<table:table-cell/>'
        : `<table:table-cell office:value-type="string"><text:p>${String(v)}</text:p></table:table-cell>`;
  const content = `<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet><table:table table:name="parc">${[header, ...rows].map((r) => `<table:table-row>${r.map(cell).join('')}</table:table-row>`).join('')}</table:table></office:spreadsheet></office:body></office:document-content>`;
  const manifest = `<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>`;
  const dir = mkdtempSync(join(tmpdir(), 'empreinte-ods-'));
  writeFileSync(join(dir, 'content.xml'), content);
  writeFileSync(join(dir, 'manifest.xml'), manifest);
  execFileSync('python3', [
    '-c',
    `import zipfile,sys
d=sys.argv[1]
with zipfile.ZipFile(d+'/a.ods','w') as z:
  z.writestr(zipfile.ZipInfo('mimetype'),'application/vnd.oasis.opendocument.spreadsheet')
  z.write(d+'/manifest.xml','META-INF/manifest.xml',zipfile.ZIP_DEFLATED)
  z.write(d+'/content.xml','content.xml',zipfile.ZIP_DEFLATED)`,
    dir,
  ]);
  return readFileSync(join(dir, 'a.ods'));
}

const withUser = (rows: readonly (readonly XlsxCell[])[]) =>
  rows.map((r, i) => [...r.slice(0, 3), NAMES[i]!, ...r.slice(3)]);
const HEADER_USER = [...HEADER.slice(0, 3), 'utilisateur', ...HEADER.slice(3)];

/** The documented pseudonym: 'p_' + 16 hex of HMAC-SHA256(HKDF-SHA256(secret, salt = organisation id, info), name). */
const expectedPseudonym = (secret: string, organisationId: string, name: string) =>
  'p_' +
  createHmac(
    'sha256',
    Buffer.from(hkdfSync('sha256', secret, organisationId, 'empreinte personal-data pseudonym v1', 32)),
  )
    .update(name)
    .digest('hex')
    .slice(0, 16);

describe.each(DATABASES)('personal data in uploads on %s', (d) => {
  let f: FreshStore;
  let w: World;
  let queue: InProcessQueue;

  beforeAll(async () => {
    f = await freshStore(d);
    queue = new InProcessQueue();
    const deps = { ...depsFor(f.store), jobs: queue };
    registerJobs(deps, queue);
    await queue.start();
    w = await makeWorld(deps);
  });
  afterAll(async () => {
    await queue?.stop({ graceful: true });
    await f?.dispose();
  });

  const campaign = async (actor: Actor, organisationId: string) =>
    (
      await org.createCampaign(w.deps, actor, {
        organisationId,
        name: `C ${Math.random()}`,
        referenceDate: '2025-06-30',
        profile: 'default',
        referentialId: null,
        referentialHash: null,
      })
    ).id;
  const stored = async (id: string) =>
    (await f.store.transaction((tx) =>
      tx.selectFrom('uploads').select(['file_name', 'content']).where('id', '=', id).executeTakeFirstOrThrow(),
    )) as { file_name: string; content: Buffer };
  const auditOf = async (organisationId: string, actor: Actor, id: string) =>
    (await org.listAudit(w.deps, actor, { organisationId, limit: 100 })).find((a) => a.targetId === id)?.details;
  const totalsOf = async (actor: Actor, campaignId: string) => {
    const { jobId } = await startAssessment(w.deps, actor, { campaignId });
    for (let i = 0; i < 400 && !['done', 'failed'].includes((await getJob(w.deps, actor, { jobId })).status); i++)
      await new Promise((res) => setTimeout(res, 25));
    expect((await getJob(w.deps, actor, { jobId })).status).toBe('done');
    return ((await getTotals(w.deps, actor, { campaignId })) as { totals: unknown }).totals;
  };

  it.each(['xlsx', 'ods'] as const)(
    'a %s upload loses its utilisateur column, is stored as CSV, and assesses like the workbook without it',
    async (fmt) => {
      const admin = w.a.admin.actor;
      const make = (h: readonly string[], r: readonly (readonly XlsxCell[])[]) =>
        fmt === 'xlsx' ? xlsx(h, r) : Promise.resolve(ods(h, r));
      const plain = await make(HEADER, ROWS);
      const personal = await make(HEADER_USER, withUser(ROWS));
      const cPlain = await campaign(admin, w.orgA);
      const cPersonal = await campaign(admin, w.orgA);
      const up = (campaignId: string, content: Buffer) =>
        createUpload(w.deps, admin, { campaignId, fileName: `parc.${fmt}`, mapping: null, content });
      const uPlain = await up(cPlain, plain);
      const uPersonal = await up(cPersonal, personal);
      expect(uPersonal.report.imported).toBe(3);
      expect(uPlain.report.imported).toBe(3);

      // Without a personal column the workbook is stored as uploaded.
      const sPlain = await stored(uPlain.id);
      expect(sPlain.file_name).toBe(`parc.${fmt}`);
      expect(Buffer.compare(Buffer.from(sPlain.content), plain)).toBe(0);

      // With one, the stored bytes are a CSV without the column and without any name.
      const s = await stored(uPersonal.id);
      expect(s.file_name).toBe(`parc.${fmt}.csv`);
      const text = Buffer.from(s.content).toString('utf8');
      for (const n of ['Alice', 'Bob', 'utilisateur']) expect(text).not.toContain(n);
      expect(text.split('\n')[0]).toBe(HEADER.join(';'));
      expect(text).toContain('PC-002;OptiPlex 7090;2;Desktop;France;');
      expect(await auditOf(w.orgA, admin, uPersonal.id)).toMatchObject({
        droppedColumns: ['utilisateur'],
        convertedFrom: fmt,
        originalFileName: `parc.${fmt}`,
        storedAs: `parc.${fmt}.csv`,
      });

      const tPlain = await totalsOf(admin, cPlain);
      expect(JSON.stringify(tPlain)).toMatch(/[1-9]/);
      expect(await totalsOf(admin, cPersonal)).toEqual(tPlain);
    },
  );

  it('refuses a workbook of several sheets with a personal column (422), and stores nothing', async () => {
    const chunks: Buffer[] = [];
    const x = new XlsxWriter((c) => void chunks.push(Buffer.from(c)));
    for (const [name, header, rows] of [
      ['parc', HEADER_USER, withUser(ROWS)],
      ['autres', HEADER, ROWS],
    ] as const) {
      const s = await x.addSheet(name, { header });
      for (const r of rows) await s.appendRow(r);
      await s.close();
    }
    await x.close();
    const campaignId = await campaign(w.a.admin.actor, w.orgA);
    await expect(
      createUpload(w.deps, w.a.admin.actor, {
        campaignId,
        fileName: 'deux.xlsx',
        mapping: null,
        content: Buffer.concat(chunks),
      }),
    ).rejects.toMatchObject({ code: 'APP_INVALID', message: expect.stringContaining('several sheets') });
    const n = await f.store.transaction((tx) =>
      tx.selectFrom('uploads').select('id').where('campaign_id', '=', campaignId).execute(),
    );
    expect(n).toHaveLength(0);
  });

  it('pseudonymises CSV, XLSX and ODS uploads with a keyed hash per organisation when the organisation chose it', async () => {
    for (const [organisationId, actor] of [
      [w.orgA, w.a.admin.actor],
      [w.orgB, w.bAdmin.actor],
    ] as const)
      await updateSettings(w.deps, actor, { organisationId, personalData: 'pseudonymise' });
    const csv =
      HEADER_USER.join(';') +
      '\n' +
      withUser(ROWS)
        .map((r) => r.map((c) => (c === null ? '' : String(c))).join(';'))
        .join('\n') +
      '\n';
    const pA = NAMES.map((n) => expectedPseudonym(w.deps.serverSecret, w.orgA, n));
    const pB = expectedPseudonym(w.deps.serverSecret, w.orgB, 'Alice Martin');
    expect(pA[0]).toMatch(/^p_[0-9a-f]{16}$/);
    expect(pA[0]).toBe(pA[2]);
    expect(pA[0]).not.toBe(pA[1]);
    expect(pB).not.toBe(pA[0]);

    const inputs: [string, Buffer][] = [
      ['parc.csv', Buffer.from(csv)],
      ['parc.xlsx', await xlsx(HEADER_USER, withUser(ROWS))],
      ['parc.ods', ods(HEADER_USER, withUser(ROWS))],
    ];
    const cA = await campaign(w.a.admin.actor, w.orgA);
    for (const [fileName, content] of inputs) {
      const u = await createUpload(w.deps, w.a.admin.actor, { campaignId: cA, fileName, mapping: null, content });
      expect(u.report.imported, fileName).toBe(3);
      const s = await stored(u.id);
      const lines = Buffer.from(s.content).toString('utf8').trim().split('\n');
      expect(lines[0]).toBe(HEADER_USER.join(';'));
      expect(lines.slice(1).map((l) => l.split(';')[3])).toEqual(pA);
      expect(lines.join('\n')).not.toMatch(/Alice|Bob/);
      expect(await auditOf(w.orgA, w.a.admin.actor, u.id)).toMatchObject({ pseudonymisedColumns: ['utilisateur'] });
    }
    const cB = await campaign(w.bAdmin.actor, w.orgB);
    const uB = await createUpload(w.deps, w.bAdmin.actor, {
      campaignId: cB,
      fileName: 'parc.csv',
      mapping: null,
      content: Buffer.from(csv),
    });
    const linesB = Buffer.from((await stored(uB.id)).content)
      .toString('utf8')
      .trim()
      .split('\n');
    expect(linesB[1]!.split(';')[3]).toBe(pB);
    for (const [organisationId, actor] of [
      [w.orgA, w.a.admin.actor],
      [w.orgB, w.bAdmin.actor],
    ] as const)
      await updateSettings(w.deps, actor, { organisationId, personalData: 'drop' });
  });
});
