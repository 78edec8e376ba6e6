/**
 * The demo on first start (no organisation yet, `EMPREINTE_DEMO` not 0): an organisation "Démo" whose administrator
 * `admin@demo.local` gets a one-time password (returned, for the caller to print), a campaign "2024" with the example
 * inventory (examples/inventory) and a campaign "2025" with its evolution (examples/demo-2025: devices replaced,
 * lifetimes extended), each uploaded file by file and assessed as a job, and a reduction target for the organisation
 * (`DEMO_TARGET`: baseline 2024, −30 % by 2030, linear) — through the same use cases as the API.
 */
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { accounts } from '../store/accounts.js';
import type { Actor } from '../store/scoped.js';
import { startAssessment } from './usecases/assessments.js';
import { putTarget } from './usecases/steering-targets.js';
import type { UseCaseDeps } from './usecases/deps.js';
import { createCampaign, createOrganisation } from './usecases/organisations.js';
import { createUpload } from './usecases/uploads.js';

export const DEMO_ORGANISATION = 'Démo';
export const DEMO_ADMIN = 'admin@demo.local';
/** The demo organisation's target, as `PUT /organisations/:id/target` takes it: −30 % from 2024 to 2030, linear. */
export const DEMO_TARGET = {
  criterion: 'CLIMATE_CHANGE',
  baseYear: 2024,
  targetYear: 2030,
  reduction: -0.3,
  shape: 'linear',
  budget: null,
} as const;

/**
 * The package's examples folder, found upward from this module: `src/server`, `dist/server` (two levels) or the bundled
 * `dist/empreinte.mjs` (one level).
 */
export const EXAMPLES = examplesDir(dirname(fileURLToPath(import.meta.url)));

function examplesDir(from: string): string {
  for (let d = from, i = 0; i < 4; i++, d = dirname(d)) {
    const candidate = join(d, 'examples');
    if (existsSync(join(candidate, 'inventory'))) return candidate;
  }
  return resolve(from, '..', '..', 'examples');
}

export interface DemoSeeded {
  readonly organisationId: string;
  readonly adminEmail: string;
  readonly adminPassword: string;
  readonly campaigns: readonly { readonly name: string; readonly id: string; readonly jobId: string }[];
}

/** Seeds the demo when the database has no organisation; undefined when it already had one. */
export async function seedDemo(deps: UseCaseDeps, examples = EXAMPLES): Promise<DemoSeeded | undefined> {
  if (await deps.store.transaction((tx) => accounts.hasOrganisations(tx))) return undefined;
  const platform: Actor = { userId: null, platformAdmin: true, memberships: new Map() };
  const o = await createOrganisation(deps, platform, { name: DEMO_ORGANISATION, adminEmail: DEMO_ADMIN });
  const system: Actor = {
    userId: null,
    platformAdmin: true,
    memberships: new Map([[o.id, { role: 'admin', entityId: null }]]),
  };
  const campaigns = [];
  for (const [name, referenceDate, folder] of [
    ['2024', '2024-12-31', 'inventory'],
    ['2025', '2025-12-31', 'demo-2025'],
  ] as const) {
    const c = await createCampaign(deps, system, {
      organisationId: o.id,
      name,
      referenceDate,
      profile: 'default',
      referentialId: null,
      referentialHash: null,
    });
    const dir = join(examples, folder);
    for (const file of (await readdir(dir)).filter((f) => f.endsWith('.csv')).sort())
      await createUpload(deps, system, {
        campaignId: c.id,
        fileName: file,
        mapping: null,
        content: await readFile(join(dir, file)),
      });
    const { jobId } = await startAssessment(deps, system, { campaignId: c.id });
    campaigns.push({ name, id: c.id, jobId });
  }
  await putTarget(deps, system, { organisationId: o.id, ...DEMO_TARGET });
  return { organisationId: o.id, adminEmail: DEMO_ADMIN, adminPassword: o.adminPassword!, campaigns };
}
