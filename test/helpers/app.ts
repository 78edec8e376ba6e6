/**
 * Set-ups of the use-case tests (src/app): dependencies that load a referential built by hand on a fixed date, and an
 * inventory folder written for the test.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunRequest } from '../../src/app/assess.js';
import { standardDeps, type AppDeps } from '../../src/app/deps.js';
import type { LifetimeMethod } from '../../src/engine/context.js';
import type { Referential } from '../../src/referential/model.js';

/** The standard dependencies, today being `today` and `referential` loaded instead of a pack. */
export function depsWith(referential: Referential, today: string): AppDeps {
  return { ...standardDeps(() => today), loadReferential: async () => ({ referential, issues: [] }) };
}

/** A run of the CLIMATE_CHANGE criterion, RCP profile, lifetimes `lifetimeMethod`, F3 rule `category`. */
export function climateRun(lifetimeMethod: LifetimeMethod): RunRequest {
  return { profile: 'rcp', lifetimeMethod, refurbishedRule: 'category', criteria: ['CLIMATE_CHANGE'] };
}

/** A new temporary folder (name starting with `prefix`) holding each file of `files`: its lines, each ended by \n. */
export async function inventoryDir(
  prefix: string,
  files: Readonly<Record<string, readonly string[]>>,
): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  for (const [name, lines] of Object.entries(files)) await writeFile(join(dir, name), lines.join('\n') + '\n');
  return dir;
}
