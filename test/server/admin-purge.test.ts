/**
 * `empreinte admin purge` (issue 12, retention), in process against a SQLite data folder: uploads older than the
 * organisation's retention period lose their raw bytes, each purged upload is printed on stdout, a second run purges
 * nothing; an organisation without a retention period keeps its files.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openRuntime } from '../../src/server/compose.js';
import { loadConfig } from '../../src/server/config.js';
import * as org from '../../src/server/usecases/organisations.js';
import { updateSettings } from '../../src/server/usecases/personal-data.js';
import { createUpload } from '../../src/server/usecases/uploads.js';
import type { Actor } from '../../src/store/scoped.js';
import { FakeClock, SYSTEM } from './world.js';
import { runCli } from '../helpers/cli.js';

const CSV =
  'nomEquipementPhysique;modele;type;quantite;paysDUtilisation;dateAchat\nPC-1;Latitude;Laptop;2;France;2022-01-10\n';

describe('empreinte admin purge', () => {
  const dir = mkdtempSync(join(tmpdir(), 'empreinte-purge-'));
  const env = { EMPREINTE_DATA_DIR: dir, EMPREINTE_DEMO: '0' };
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("prints and clears the raw files older than each organisation's retention period, once", async () => {
    const rt = await openRuntime(loadConfig(env));
    const ids: Record<'old' | 'recent' | 'kept', string> = { old: '', recent: '', kept: '' };
    try {
      const now = Date.now();
      const at = (daysAgo: number) => ({ ...rt.deps, clock: new FakeClock(now - daysAgo * 86_400_000) });
      const orgs: string[] = [];
      for (const name of ['With retention', 'Without retention'])
        orgs.push((await org.createOrganisation(rt.deps, SYSTEM, { name })).id);
      const admin = (organisationId: string): Actor => ({
        userId: null,
        platformAdmin: true,
        memberships: new Map([[organisationId, { role: 'admin', entityId: null }]]),
      });
      await updateSettings(rt.deps, admin(orgs[0]!), { organisationId: orgs[0]!, retentionDays: 10 });
      const up = async (organisationId: string, daysAgo: number, fileName: string) => {
        const c = await org.createCampaign(rt.deps, admin(organisationId), {
          organisationId,
          name: fileName,
          referenceDate: '2025-06-30',
          profile: 'default',
          referentialId: null,
          referentialHash: null,
        });
        const u = await createUpload(at(daysAgo), admin(organisationId), {
          campaignId: c.id,
          fileName,
          mapping: null,
          content: Buffer.from(CSV),
        });
        return u.id;
      };
      ids.old = await up(orgs[0]!, 11, 'old.csv');
      ids.recent = await up(orgs[0]!, 9, 'recent.csv');
      ids.kept = await up(orgs[1]!, 400, 'kept.csv');
    } finally {
      await rt.close();
    }

    const r = await runCli(['admin', 'purge'], env);
    expect(r.code, r.err).toBe(0);
    const lines = r.out.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      new RegExp(`^purged organisation [0-9a-f-]{36} upload ${ids.old} "old.csv" ${CSV.length} bytes `),
    );
    expect(r.err).toContain('1 upload(s) purged');

    const again = await runCli(['admin', 'purge'], env);
    expect(again.code, again.err).toBe(0);
    expect(again.out).toBe('');
    expect(again.err).toContain('0 upload(s) purged');

    const rt2 = await openRuntime(loadConfig(env));
    try {
      const rows = await rt2.deps.store.transaction((tx) =>
        tx.selectFrom('uploads').select(['id', 'content']).execute(),
      );
      const bytes = new Map(rows.map((x) => [x.id, x.content]));
      expect(bytes.get(ids.old)).toBeNull();
      expect(Buffer.from(bytes.get(ids.recent)!).toString('utf8')).toBe(CSV);
      expect(Buffer.from(bytes.get(ids.kept)!).toString('utf8')).toBe(CSV);
    } finally {
      await rt2.close();
    }
  });
});
