/** What the server's use cases need; built once by the composition root (src/server/compose.ts) or by tests. */
import { randomUUID } from 'node:crypto';
import type { Store } from '../../store/open.js';

export interface Clock {
  nowIso(): string;
  nowMs(): number;
}
export interface UseCaseDeps {
  readonly store: Store;
  readonly clock: Clock;
  readonly uuid: () => string;
  /** Server secret: keys the CSRF tokens. From EMPREINTE_SESSION_SECRET or the data folder. */
  readonly serverSecret: string;
  readonly sessionTtlMs: number;
}

export const systemClock: Clock = { nowIso: () => new Date().toISOString(), nowMs: () => Date.now() };
export const randomIds = (): string => randomUUID();
