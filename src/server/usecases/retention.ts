/**
 * Retention of uploads' raw files (issue 12, personal data): an organisation with a retention period (`retentionDays`)
 * has the raw bytes of its uploads older than that period cleared (`content = null`). The upload's row stays with its
 * validation report and rejects summary, and the campaigns' results stay; a purged upload cannot be re-assessed (the
 * assessment fails with APP_UPLOAD_PURGED). Each organisation's purge is one transaction with one audit entry
 * (`upload.purge`). The server runs it at start and every 24 h (src/server/main.ts); `empreinte admin purge` runs it
 * on demand.
 */
import { organisationsWithRetention, scoped, type Actor } from '../../store/scoped.js';
import type { UseCaseDeps } from './deps.js';

/** How often the server runs the purge. */
export const PURGE_INTERVAL_MS = 24 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

/** The purge runs on behalf of each organisation in turn (no user). */
const systemActor = (organisationId: string): Actor => ({
  userId: null,
  platformAdmin: false,
  memberships: new Map([[organisationId, { role: 'admin', entityId: null }]]),
});

export interface PurgedOrganisation {
  readonly organisationId: string;
  readonly retentionDays: number;
  /** Uploads created strictly before this instant were purged. */
  readonly before: string;
  readonly uploads: readonly { id: string; campaignId: string; fileName: string; size: number; createdAt: string }[];
}

/** Purges every organisation's expired uploads; answers only the organisations where something was purged. */
export async function purgeExpiredUploads(deps: UseCaseDeps): Promise<PurgedOrganisation[]> {
  const orgs = await deps.store.transaction((tx) => organisationsWithRetention(tx));
  const out: PurgedOrganisation[] = [];
  for (const o of orgs) {
    const days = o.retention_days;
    if (days === null) continue;
    const before = new Date(deps.clock.nowMs() - days * DAY_MS).toISOString();
    const actor = systemActor(o.id);
    const rows = await deps.store.transaction(async (tx) => {
      const s = await scoped(tx, actor);
      const purged = await s.personalData.purgeBefore(o.id, before);
      if (purged.length > 0)
        await s.audit.append({
          id: deps.uuid(),
          organisation_id: o.id,
          actor_user_id: null,
          action: 'upload.purge',
          target_type: 'organisation',
          target_id: o.id,
          details: JSON.stringify({
            retentionDays: days,
            before,
            uploads: purged.map((u) => ({ id: u.id, campaignId: u.campaign_id, fileName: u.file_name, size: u.size })),
          }),
          at: deps.clock.nowIso(),
        });
      return purged;
    });
    if (rows.length > 0)
      out.push({
        organisationId: o.id,
        retentionDays: days,
        before,
        uploads: rows.map((u) => ({
          id: u.id,
          campaignId: u.campaign_id,
          fileName: u.file_name,
          size: Number(u.size),
          createdAt: u.created_at,
        })),
      });
  }
  return out;
}

/**
 * Runs the purge now and then every `intervalMs` until `stop()`; a failed run is reported to `onError` and the next
 * one still happens (a run never overlaps the previous one). The caller (the server's main) owns the timer; `stop()`
 * clears it and resolves when the run under way, if any, has finished.
 */
export function scheduleRetentionPurge(
  deps: UseCaseDeps,
  opts: {
    readonly intervalMs?: number;
    readonly onPurged?: (r: PurgedOrganisation[]) => void;
    readonly onError?: (e: unknown) => void;
  } = {},
): { readonly firstRun: Promise<void>; stop(): Promise<void> } {
  let current: Promise<void> = Promise.resolve();
  let stopped = false;
  const run = () =>
    (current = current.then(() =>
      stopped
        ? undefined
        : purgeExpiredUploads(deps).then(
            (r) => opts.onPurged?.(r),
            (e: unknown) => opts.onError?.(e),
          ),
    ));
  const firstRun = run();
  const timer = setInterval(() => void run(), opts.intervalMs ?? PURGE_INTERVAL_MS);
  timer.unref();
  return {
    firstRun,
    stop: () => {
      stopped = true;
      clearInterval(timer);
      return current;
    },
  };
}
