/**
 * The server's configuration, read once from the environment by the composition root (the CLI's `serve` and `admin`
 * commands pass their `env`) and validated whole. Nothing else in src/store or src/server reads process.env. Errors
 * name the variable and the rule, never the value (it may be a secret).
 */
import { resolve } from 'node:path';
import { z } from 'zod';
import type { StoreConfig } from '../store/open.js';
import { ROLES, type Role } from '../store/schema.js';
import type { OidcSettings } from './oidc-client.js';
import type { OidcPolicy } from './usecases/oidc.js';

const Env = z.object({
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  EMPREINTE_DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  EMPREINTE_SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  EMPREINTE_TRUST_PROXY: z.enum(['0', '1']).default('0'),
  EMPREINTE_DEMO: z.enum(['0', '1']).default('1'),
  /** The address people reach the server at (links printed by admin commands); default http://HOST:PORT. */
  EMPREINTE_PUBLIC_URL: z.url().optional(),
  EMPREINTE_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  EMPREINTE_SESSION_HOURS: z.coerce
    .number()
    .min(0.1)
    .max(24 * 90)
    .default(12),
  // OpenID Connect (optional; all of issuer, client id and redirect URL, or none): docs/deployment.md.
  OIDC_ISSUER: z.url().optional(),
  OIDC_CLIENT_ID: z.string().min(1).optional(),
  OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  OIDC_REDIRECT_URL: z.url().optional(),
  OIDC_SCOPES: z.string().min(1).default('openid email profile'),
  OIDC_ORGANISATION_CLAIM: z.string().min(1).default('organisation'),
  OIDC_ROLE_CLAIM: z.string().min(1).default('role'),
  OIDC_DEFAULT_ROLE: z.enum([...ROLES, 'none']).default('viewer'),
  /** `providerRole=empreinteRole` pairs, comma-separated (e.g. `it-director=admin,fleet=editor`). */
  OIDC_ROLE_MAP: z
    .string()
    .regex(/^\s*[^=,\s]+\s*=\s*(admin|editor|viewer)\s*(,\s*[^=,\s]+\s*=\s*(admin|editor|viewer)\s*)*$/, {
      message: 'must be providerRole=admin|editor|viewer pairs separated by commas',
    })
    .optional(),
  OIDC_ALLOW_HTTP: z.enum(['0', '1']).default('0'),
  // Jobs (docs/deployment.md, "Workers"): every process of a deployment should carry the same values.
  EMPREINTE_WORKER: z.enum(['0', '1']).default('1'),
  EMPREINTE_JOB_EXPIRE_SECONDS: z.coerce.number().int().min(1).max(86_400).default(900),
  EMPREINTE_JOB_RETRY_LIMIT: z.coerce.number().int().min(0).max(100).default(2),
  EMPREINTE_JOB_RETRY_DELAY_SECONDS: z.coerce.number().int().min(0).max(86_400).default(30),
  EMPREINTE_JOB_RETRY_BACKOFF: z.enum(['0', '1']).default('1'),
  EMPREINTE_JOB_POLL_SECONDS: z.coerce.number().min(0.5).max(600).default(2),
  EMPREINTE_JOB_MAINTENANCE_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
  EMPREINTE_JOB_STOP_SECONDS: z.coerce.number().min(1).max(3600).default(30),
  EMPREINTE_WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(1),
  EMPREINTE_RESULT_BATCH_ROWS: z.coerce.number().int().min(1).max(100_000).default(1000),
  EMPREINTE_CHUNK_ITEMS: z.coerce.number().int().min(1).max(100_000_000).default(500_000),
});

/** How jobs run: pg-boss queue settings on PostgreSQL (retries, expiry), the worker's own settings on both. */
export interface JobSettings {
  /** A job still active after this long is failed by pg-boss's maintenance and retried (its worker died or hung). */
  readonly expireSeconds: number;
  /** Retries after the first attempt; then the job ends `failed` (JOB_ATTEMPTS_EXHAUSTED). */
  readonly retryLimit: number;
  readonly retryDelaySeconds: number;
  /** Exponential backoff with jitter on the retry delay (pg-boss retryBackoff). */
  readonly retryBackoff: boolean;
  readonly pollSeconds: number;
  /** How often pg-boss looks for expired jobs. */
  readonly maintenanceSeconds: number;
  /** On SIGTERM/SIGINT, how long a running job may take to finish before it is given back to the queue. */
  readonly stopSeconds: number;
  /** Jobs one worker process runs at once. */
  readonly concurrency: number;
  /** Result rows written per batch while an assessment runs (memory bound). */
  readonly resultBatchRows: number;
  /** Items per chunk of an assessment (EMPREINTE_CHUNK_ITEMS): each chunk is a job any worker takes. */
  readonly chunkItems: number;
}

export interface ServerConfig {
  readonly http: { readonly host: string; readonly port: number; readonly trustProxy: boolean };
  /** Where people reach the server (EMPREINTE_PUBLIC_URL, else http://HOST:PORT), for printed links. */
  readonly publicUrl: string;
  readonly dataDir: string;
  readonly store: StoreConfig;
  /** From EMPREINTE_SESSION_SECRET; absent → generated on first start and kept in the data folder. */
  readonly sessionSecret: string | undefined;
  readonly sessionTtlMs: number;
  readonly logLevel: z.output<typeof Env>['EMPREINTE_LOG_LEVEL'];
  /** Seed the demo organisation on first start (EMPREINTE_DEMO=0 turns it off). */
  readonly demo: boolean;
  /** OpenID Connect sign-in, when OIDC_ISSUER is set. */
  readonly oidc?: { readonly settings: OidcSettings; readonly policy: OidcPolicy };
  /** Whether `serve` also runs jobs (EMPREINTE_WORKER=0 or `serve --no-worker`: API only, PostgreSQL needed). */
  readonly worker: boolean;
  readonly jobs: JobSettings;
}

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

export function loadConfig(env: NodeJS.ProcessEnv): ServerConfig {
  // An empty variable (`DATABASE_URL=` in a compose file) counts as unset.
  const r = Env.safeParse(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== '')));
  if (!r.success)
    throw new ConfigError(
      'invalid configuration: ' +
        r.error.issues.map((i) => `${i.path.join('.')}: ${i.message.replace(/received .*/i, '').trim()}`).join('; '),
    );
  const e = r.data;
  const oidc = oidcConfig(e);
  const dataDir = resolve(e.EMPREINTE_DATA_DIR);
  const store: StoreConfig =
    e.DATABASE_URL !== undefined
      ? { kind: 'postgres', url: e.DATABASE_URL }
      : { kind: 'sqlite', file: resolve(dataDir, 'empreinte.sqlite') };
  return Object.freeze({
    http: { host: e.HOST, port: e.PORT, trustProxy: e.EMPREINTE_TRUST_PROXY === '1' },
    publicUrl: e.EMPREINTE_PUBLIC_URL ?? `http://${e.HOST.includes(':') ? `[${e.HOST}]` : e.HOST}:${e.PORT}`,
    dataDir,
    store,
    sessionSecret: e.EMPREINTE_SESSION_SECRET,
    sessionTtlMs: e.EMPREINTE_SESSION_HOURS * 3600_000,
    logLevel: e.EMPREINTE_LOG_LEVEL,
    demo: e.EMPREINTE_DEMO === '1',
    ...(oidc !== undefined ? { oidc } : {}),
    worker: e.EMPREINTE_WORKER === '1',
    jobs: Object.freeze({
      expireSeconds: e.EMPREINTE_JOB_EXPIRE_SECONDS,
      retryLimit: e.EMPREINTE_JOB_RETRY_LIMIT,
      retryDelaySeconds: e.EMPREINTE_JOB_RETRY_DELAY_SECONDS,
      retryBackoff: e.EMPREINTE_JOB_RETRY_BACKOFF === '1',
      pollSeconds: e.EMPREINTE_JOB_POLL_SECONDS,
      maintenanceSeconds: e.EMPREINTE_JOB_MAINTENANCE_SECONDS,
      stopSeconds: e.EMPREINTE_JOB_STOP_SECONDS,
      concurrency: e.EMPREINTE_WORKER_CONCURRENCY,
      resultBatchRows: e.EMPREINTE_RESULT_BATCH_ROWS,
      chunkItems: e.EMPREINTE_CHUNK_ITEMS,
    }),
  });
}

function oidcConfig(e: z.output<typeof Env>): ServerConfig['oidc'] {
  const set = [e.OIDC_ISSUER, e.OIDC_CLIENT_ID, e.OIDC_REDIRECT_URL].filter((v) => v !== undefined).length;
  if (set === 0) return undefined;
  if (set < 3)
    throw new ConfigError('invalid configuration: OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_REDIRECT_URL go together');
  const allowHttp = e.OIDC_ALLOW_HTTP === '1';
  if (!allowHttp && (!e.OIDC_ISSUER!.startsWith('https://') || !e.OIDC_REDIRECT_URL!.startsWith('https://')))
    throw new ConfigError(
      'invalid configuration: OIDC_ISSUER and OIDC_REDIRECT_URL must be https:// URLs (OIDC_ALLOW_HTTP=1 for a local test provider)',
    );
  const roleMap = Object.fromEntries(
    (e.OIDC_ROLE_MAP ?? '')
      .split(',')
      .filter((p) => p.trim() !== '')
      .map((p) => p.split('=').map((s) => s.trim()) as [string, Role]),
  );
  return {
    settings: {
      issuer: e.OIDC_ISSUER!,
      clientId: e.OIDC_CLIENT_ID!,
      ...(e.OIDC_CLIENT_SECRET !== undefined ? { clientSecret: e.OIDC_CLIENT_SECRET } : {}),
      redirectUrl: e.OIDC_REDIRECT_URL!,
      scopes: e.OIDC_SCOPES,
      allowHttp,
    },
    policy: {
      organisationClaim: e.OIDC_ORGANISATION_CLAIM,
      roleClaim: e.OIDC_ROLE_CLAIM,
      defaultRole: e.OIDC_DEFAULT_ROLE === 'none' ? null : e.OIDC_DEFAULT_ROLE,
      roleMap,
    },
  };
}
