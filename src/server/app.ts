/**
 * `buildServer(deps)`: the Fastify application, ready for `inject` in tests or `listen` in src/server/main.ts (the only
 * caller of listen). JSON under /api/v1, OpenAPI 3.1 at /api/openapi.json generated from the zod schemas, problem
 * details for every error, security headers, a rate limit on login, bounded bodies, pino logs with secrets redacted.
 *
 * Authentication: `Authorization: Bearer emp_tok_…` (API token) or the `empreinte_session` cookie. CSRF: a
 * cookie-authenticated request other than GET/HEAD/OPTIONS must carry `X-CSRF-Token` equal to HMAC(server secret,
 * session secret) (returned at login and by /me), and, when the browser sends `Origin`, it must be this server's
 * origin. Bearer requests carry no ambient credential and need neither.
 */
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import multipart from '@fastify/multipart';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, {
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  type FastifyServerOptions,
} from 'fastify';
import {
  hasZodFastifySchemaValidationErrors,
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import { existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { EmpreinteError } from '../issues/catalogue.js';
import type { Actor } from '../store/scoped.js';
import { SteeringError } from '../steering/errors.js';
import { domainProblem, problem, Problem, steeringProblem } from './problem.js';
import { ROUTES, type HttpContext, type RouteDef, type UploadedFile } from './routes.js';
import { actorFromSession, actorFromToken } from './usecases/auth.js';
import { csrfToken, safeEqual } from './usecases/crypto.js';
import type { UseCaseDeps } from './usecases/deps.js';
import { AppError } from './usecases/errors.js';
import { DEFAULT_UPLOAD_LIMIT } from './usecases/uploads.js';
import type { Download } from './usecases/export.js';

export const SESSION_COOKIE = 'empreinte_session';
export const OIDC_FLOW_COOKIE = 'empreinte_oidc';
const OIDC_COOKIE_PATH = '/api/v1/auth/oidc';

export interface ServerOptions {
  /** pino options, or false (tests). Authorization, cookies and the CSRF header are always redacted. */
  readonly logger?: FastifyServerOptions['logger'];
  /** Behind a TLS-terminating proxy: trust X-Forwarded-* (so the session cookie is Secure). */
  readonly trustProxy?: boolean;
  /** Force the Secure flag on the session cookie (default: when the request came over https). */
  readonly secureCookies?: boolean;
  /** Largest JSON body in bytes (default 1 MiB). */
  readonly bodyLimit?: number;
  readonly loginRateLimit?: { readonly max: number; readonly timeWindow: string };
  /** Largest uploaded file in bytes (default 64 MiB); a larger one answers 413 and nothing is stored. */
  readonly uploadLimit?: number;
  /**
   * The built dashboard (`vite build` → dist/web) served at `/`, or false for none. Default: dist/web found upward
   * from this module (src/server, dist/server or the bundled dist/empreinte.mjs), none when it was not built.
   */
  readonly webRoot?: string | false;
}

/** dist/web beside the package, from `src/server`, `dist/server` or `dist` (the bundle); undefined when not built. */
export function findWebRoot(from = dirname(fileURLToPath(import.meta.url))): string | undefined {
  for (let d = from, i = 0; i < 4; i++, d = dirname(d)) {
    const candidates = [join(d, 'dist', 'web'), ...(basename(d) === 'dist' ? [join(d, 'web')] : [])];
    for (const c of candidates) if (existsSync(join(c, 'index.html'))) return c;
  }
  return undefined;
}

/** Reads the one `file` part of a multipart request and its text fields (at most 8, each ≤ 1 KiB). */
async function readUpload(req: FastifyRequest, limit: number): Promise<UploadedFile | undefined> {
  if (!req.isMultipart()) return undefined;
  const fields: Record<string, string> = {};
  let file: UploadedFile | undefined;
  for await (const part of req.parts({ limits: { fileSize: limit, files: 1, fields: 8, fieldSize: 1024 } })) {
    if (part.type === 'file') {
      if (part.fieldname !== 'file')
        throw new AppError('APP_INVALID', { reason: 'the file part must be named `file`' });
      file = { fileName: part.filename, content: await part.toBuffer(), fields };
    } else if (typeof part.value === 'string') fields[part.fieldname] = part.value;
  }
  return file === undefined ? undefined : { ...file, fields };
}

const REDACT = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
];

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The one inline style Swagger UI's bundle (the @fastify/swagger-ui version installed) applies, allowed by its hash as
 * Chromium reports it; a new bundle with another one fails test/e2e/api-docs.test.ts, which names the hash to put here.
 */
const SWAGGER_UI_STYLE = "'sha256-RL3ie0nH+Lzz2YNqQN83mnU0J1ot4QL7b99vMdIX99w='";

/** The Content-Security-Policy of /api/docs (Swagger UI): no other host, no inline script, one inline style by hash. */
export const API_DOCS_CSP = {
  'default-src': ["'self'"],
  'script-src': ["'self'"],
  'script-src-attr': ["'none'"],
  'style-src': ["'self'", SWAGGER_UI_STYLE],
  'img-src': ["'self'", 'data:'],
  'connect-src': ["'self'"],
  'font-src': ["'self'"],
  'object-src': ["'none'"],
  'base-uri': ["'self'"],
  'form-action': ["'self'"],
  'frame-ancestors': ["'none'"],
};

interface Authn {
  readonly actor: Actor;
  readonly sessionSecret: string | null;
}

async function authenticate(deps: UseCaseDeps, req: FastifyRequest): Promise<Authn> {
  const header = req.headers.authorization;
  if (header !== undefined) {
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    const actor = m ? await actorFromToken(deps, m[1]!) : undefined;
    if (actor === undefined) throw new AppError('APP_UNAUTHENTICATED');
    return { actor, sessionSecret: null };
  }
  const secret = req.cookies[SESSION_COOKIE];
  if (secret === undefined || secret === '') throw new AppError('APP_UNAUTHENTICATED');
  const actor = await actorFromSession(deps, secret);
  if (actor === undefined) throw new AppError('APP_UNAUTHENTICATED');
  if (!SAFE_METHODS.has(req.method)) {
    const sent = req.headers['x-csrf-token'];
    const origin = req.headers.origin;
    const expectedOrigin = `${req.protocol}://${req.host}`;
    if (
      typeof sent !== 'string' ||
      !safeEqual(sent, csrfToken(deps.serverSecret, secret)) ||
      (origin !== undefined && origin !== expectedOrigin)
    )
      throw new AppError('APP_CSRF');
  }
  return { actor, sessionSecret: secret };
}

function errorBody(err: unknown, req: FastifyRequest) {
  const at = req.url.split('?')[0];
  if (err instanceof AppError) return problem(err.code, err.details, at);
  if (err instanceof EmpreinteError) return domainProblem(err, at);
  if (err instanceof SteeringError) return steeringProblem(err, at);
  if (hasZodFastifySchemaValidationErrors(err))
    return problem(
      'APP_VALIDATION',
      {},
      at,
      err.validation.map((v) => ({ path: v.instancePath, message: v.message })),
    );
  const status = (err as { statusCode?: number }).statusCode;
  if (status === 429) return problem('APP_RATE_LIMITED', {}, at);
  if (status === 413) return problem('APP_PAYLOAD_TOO_LARGE', {}, at);
  if (status !== undefined && status >= 400 && status < 500)
    return problem('APP_VALIDATION', {}, at, [{ message: (err as Error).message }]);
  return undefined;
}

export async function buildServer(deps: UseCaseDeps, options: ServerOptions = {}): Promise<FastifyInstance> {
  const logger =
    options.logger === undefined || options.logger === true
      ? { level: 'info', redact: REDACT }
      : options.logger === false
        ? false
        : { ...(options.logger as object), redact: REDACT };
  const app = Fastify({
    logger,
    trustProxy: options.trustProxy ?? false,
    bodyLimit: options.bodyLimit ?? 1024 * 1024,
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  app.setErrorHandler((err, req, reply) => {
    const body = errorBody(err, req);
    if (body === undefined) {
      req.log.error({ err }, 'internal error');
      return reply
        .code(500)
        .type('application/problem+json')
        .send(problem('APP_INTERNAL', {}, req.url.split('?')[0]));
    }
    return reply.code(body.status).type('application/problem+json').send(body);
  });
  const webRoot = options.webRoot === undefined ? findWebRoot() : options.webRoot || undefined;
  app.setNotFoundHandler((req, reply) =>
    // The dashboard's routes live in the URL's hash, but a bookmarked path other than /api still gets the app.
    webRoot !== undefined && (req.method === 'GET' || req.method === 'HEAD') && !req.url.startsWith('/api')
      ? reply.header('cache-control', 'no-cache').sendFile('index.html')
      : reply
          .code(404)
          .type('application/problem+json')
          .send(
            problem(
              'APP_NOT_FOUND',
              { kind: 'route', id: `${req.method} ${req.url.split('?')[0]}` },
              req.url.split('?')[0],
            ),
          ),
  );

  // CSP: the dashboard's own scripts and styles only (no inline script or style, no other host).
  await app.register(helmet, {
    global: true,
    contentSecurityPolicy: {
      directives: {
        'default-src': ["'self'"],
        'script-src': ["'self'"],
        'style-src': ["'self'"],
        'img-src': ["'self'", 'data:'],
        'connect-src': ["'self'"],
        'font-src': ["'self'"],
        'object-src': ["'none'"],
        'base-uri': ["'self'"],
        'form-action': ["'self'"],
        'frame-ancestors': ["'none'"],
        // Not upgraded: a server reached over plain HTTP (a LAN host without TLS) must still load its own scripts.
        'upgrade-insecure-requests': null,
      },
    },
  });
  if (webRoot !== undefined)
    await app.register(fastifyStatic, {
      root: webRoot,
      prefix: '/',
      index: ['index.html'],
      // Hashed assets never change; index.html is revalidated so a new build is picked up.
      setHeaders: (res, path) =>
        void res.header(
          'cache-control',
          path.endsWith('index.html') ? 'no-cache' : 'public, max-age=31536000, immutable',
        ),
    });
  await app.register(cookie);
  await app.register(rateLimit, { global: false });
  await app.register(multipart, { limits: { fileSize: options.uploadLimit ?? DEFAULT_UPLOAD_LIMIT } });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Empreinte API', version: '1' },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer' },
          session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE },
        },
      },
    },
    transform: (arg) => withMultipartBody(jsonSchemaTransform(arg), arg.url),
    transformObject: jsonSchemaTransformObject,
  });
  // The reference page: Swagger UI from the package's own files (no CDN), its document at /api/docs/json, under a
  // policy of its own as strict as the dashboard's but one inline style of Swagger UI's bundle, allowed by its hash
  // (not 'unsafe-inline'); the dashboard's policy above is unchanged.
  await app.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: API_DOCS_CSP });

  app.get('/api/health', { schema: { response: { 200: z.object({ status: z.literal('ok') }) } } }, async () => {
    await sql`select 1`.execute(deps.store.db);
    return { status: 'ok' as const };
  });
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  for (const r of ROUTES) registerRoute(app, deps, r, options);
  return app;
}

/** The multipart routes' request body in the OpenAPI document: a `file` part and the optional `mapping` field. */
const MULTIPART_BODY = {
  type: 'object',
  required: ['file'],
  properties: {
    mapping: {
      type: 'string',
      description: 'A mapping preset id (e.g. glpi-computers-fr); send it before the file part.',
    },
    file: { type: 'string', format: 'binary', description: 'The inventory file (CSV, XLSX or ODS).' },
  },
};

function withMultipartBody<T extends { schema: object; url: string }>(out: T, url: string): T {
  const r = ROUTES.find((x) => x.multipart && x.url === url);
  if (r === undefined) return out;
  return { ...out, schema: { ...out.schema, consumes: ['multipart/form-data'], body: MULTIPART_BODY } };
}

function registerRoute(app: FastifyInstance, deps: UseCaseDeps, r: RouteDef, options: ServerOptions): void {
  const errors = { 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem, 422: Problem, 429: Problem };
  // A download (`produces`) is text sent as is: only its errors have a JSON schema.
  const response =
    r.response === null
      ? {
          [r.status]: r.redirect
            ? z.null().describe('Found: the Location header says where the browser goes next')
            : z.null(),
          ...errors,
        }
      : r.produces !== undefined
        ? errors
        : { [r.status]: r.response, ...errors };
  const rl =
    r.rateLimit === undefined
      ? undefined
      : r.id === 'login' || r.id === 'password.reset' || r.id.startsWith('oidc.')
        ? (options.loginRateLimit ?? r.rateLimit)
        : r.rateLimit;
  app.route({
    method: r.method,
    url: r.url,
    schema: {
      summary: r.summary,
      tags: [r.tag],
      ...(r.params ? { params: r.params } : {}),
      ...(r.query ? { querystring: r.query } : {}),
      ...(r.body ? { body: r.body } : {}),
      response,
      ...(r.action === 'public' ? {} : { security: [{ bearer: [] }, { session: [] }] }),
    },
    ...(rl ? { config: { rateLimit: rl } } : {}),
    handler: async (req: FastifyRequest, reply: FastifyReply) => {
      const authn: Authn =
        r.action === 'public'
          ? { actor: { userId: null, platformAdmin: false, memberships: new Map() }, sessionSecret: null }
          : await authenticate(deps, req);
      const http: HttpContext = {
        sessionSecret: authn.sessionSecret,
        setSession: (s) =>
          void reply.setCookie(SESSION_COOKIE, s.sessionSecret, {
            path: '/',
            httpOnly: true,
            sameSite: 'lax',
            secure: options.secureCookies ?? req.protocol === 'https',
            expires: new Date(s.expiresAt),
          }),
        clearSession: () => void reply.clearCookie(SESSION_COOKIE, { path: '/' }),
        flowCookie: req.cookies[OIDC_FLOW_COOKIE],
        setFlowCookie: (value, maxAgeMs) =>
          void reply.setCookie(OIDC_FLOW_COOKIE, value, {
            path: OIDC_COOKIE_PATH,
            httpOnly: true,
            sameSite: 'lax',
            secure: options.secureCookies ?? req.protocol === 'https',
            maxAge: Math.floor(maxAgeMs / 1000),
          }),
        clearFlowCookie: () => void reply.clearCookie(OIDC_FLOW_COOKIE, { path: OIDC_COOKIE_PATH }),
        rawQuery: req.url.includes('?') ? req.url.slice(req.url.indexOf('?') + 1) : '',
      };
      const file = r.multipart ? await readUpload(req, options.uploadLimit ?? DEFAULT_UPLOAD_LIMIT) : undefined;
      const out = await r.handler({
        deps,
        actor: authn.actor,
        params: req.params,
        query: req.query,
        body: req.body,
        http,
        ...(file !== undefined ? { file } : {}),
      });
      if (r.redirect) return reply.redirect(String(out), r.status);
      reply.code(r.status);
      if (r.produces === 'file') {
        const d = out as Download;
        return reply
          .type(d.contentType)
          .header('content-disposition', `attachment; filename="${d.fileName}"`)
          .send(d.body);
      }
      if (r.produces !== undefined) return reply.type(`${r.produces}; charset=utf-8`).send(out);
      return r.response === null ? reply.send() : out;
    },
  });
}
