/**
 * Generated from the route table (src/server/routes.ts): every route × (no credentials, each role on its own
 * organisation's resource, an admin on another organisation's resource). A route added to the table is in the matrix
 * without anyone writing a case; a route with a body needs an entry in BODIES or this test fails.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTES, type RouteDef } from '../../src/server/routes.js';
import { ACTIONS, GRANTS } from '../../src/server/usecases/grants.js';
import * as org from '../../src/server/usecases/organisations.js';
import { createToken } from '../../src/server/usecases/tokens.js';
import { createUpload } from '../../src/server/usecases/uploads.js';
import { createService } from '../../src/server/usecases/services.js';
import { startRecompute, uploadOrgReferential } from '../../src/server/usecases/referentials-org.js';
import { getJob, startAssessment } from '../../src/server/usecases/assessments.js';
import { ROLES, type Role } from '../../src/store/schema.js';
import { createAction } from '../../src/server/usecases/steering-actions.js';
import { createScenario } from '../../src/server/usecases/steering-scenarios.js';
import { putTarget } from '../../src/server/usecases/steering-targets.js';
import { closeServedWorld, serveWorld, type ServedWorld } from './served-world.js';
import { DATABASES } from '../store/databases.js';
import { multipartFile, unique, type Member, type World } from './world.js';
import { g4itZip, multipartBytes } from './services-world.js';

/** A valid body for each route that takes one. */
/** Names of the throw-away organisations made for `organisations.delete` (its body types the name back). */
const DOOMED = new Map<string, string>();

const BODIES: Record<string, (p: Record<string, string>) => unknown> = {
  'organisations.delete': (p) => ({ confirm: DOOMED.get(p.organisationId!) ?? '' }),
  'organisations.create': () => ({ name: unique('New org') }),
  'entities.create': () => ({ name: unique('Entity'), headcount: 3 }),
  'entities.update': () => ({ headcount: 7 }),
  'members.put': () => ({ email: `${unique('m')}@example.org`, role: 'viewer' }),
  'tokens.create': () => ({ name: unique('tok') }),
  'campaigns.create': () => ({ name: unique('2025'), referenceDate: '2025-12-31' }),
  'campaigns.update': () => ({ profile: 'p2' }),
  'campaigns.recompute': () => ({ referentialId: null }),
  'services.create': () => ({ definition: serviceDefinition(unique('Portal')) }),
  'services.update': () => ({ definition: serviceDefinition(unique('Renamed')) }),
  'steering.target.put': () => ({ baseYear: 2025, targetYear: 2030, reduction: -0.3 }),
  'steering.scenarios.preview': () => ({ levers: LEVERS }),
  'steering.scenarios.create': () => ({ name: unique('scenario'), levers: LEVERS }),
  'steering.actions.create': () => ({ title: unique('action'), owner: 'DSI', dueDate: '2026-06-30', levers: LEVERS }),
  'steering.actions.update': () => ({ status: 'done' }),
  'organisations.settings.update': () => ({ personalData: 'drop' }),
};

/** A small valid digital service (generic model: terminals by the default mix, network per GB). */
const serviceDefinition = (service: string) => ({
  service,
  version: '1',
  kind: 'business_application',
  functionalUnit: 'user-year',
  usage: { users: 10, sessionsPerUserPerYear: 100, sessionHours: 1, dataPerSessionMB: 5 },
});

/** A query string for each route that needs one (built from its path parameters). */
const QUERIES: Record<string, (p: Record<string, string>) => string> = {
  'steering.compare': (p) => `with=${p['campaignId']}`,
};

/** Routes on a campaign that answer only once it is assessed (an empty campaign has no totals: no silent zero). */
const ASSESSED = new Set([
  'campaigns.recompute',
  'campaigns.totals',
  'campaigns.kpis',
  'campaigns.breakdowns',
  'campaigns.itemTrace',
  'campaigns.export',
  'steering.compare',
  'steering.scenarios.preview',
  'steering.scenarios.create',
]);

const SMALL_CSV =
  'nomEquipementPhysique;modele;type;quantite;paysDUtilisation;dateAchat\nPC-1;Latitude;Laptop;2;France;2022-01-10\n';
const LEVERS = [{ lifetime: { type: 'Laptop', addYears: 1 } }];

/** Uploads the small inventory into a campaign and assesses it (waits for the job). */
async function assess(w: World, owner: Member['actor'], campaignId: string): Promise<void> {
  await createUpload(w.deps, owner, {
    campaignId,
    fileName: 'parc.csv',
    mapping: null,
    content: Buffer.from(SMALL_CSV),
  });
  const { jobId } = await startAssessment(w.deps, owner, { campaignId });
  for (let i = 0; i < 400 && (await getJob(w.deps, owner, { jobId })).status !== 'done'; i++)
    await new Promise((res) => setTimeout(res, 25));
}

/** A new empty campaign of the organisation (reference date 2025-06-30, default profile and referential). */
async function newCampaign(w: World, organisationId: string, owner: Member['actor'], name: string): Promise<string> {
  const c = await org.createCampaign(w.deps, owner, {
    organisationId,
    name,
    referenceDate: '2025-06-30',
    profile: 'default',
    referentialId: null,
    referentialHash: null,
  });
  return c.id;
}

/** One assessed campaign per organisation, made on first use (scenarios and actions are priced on it). */
const assessedOf = new Map<string, Promise<string>>();
function assessedCampaign(w: World, organisationId: string, owner: Member['actor']): Promise<string> {
  let p = assessedOf.get(organisationId);
  if (p === undefined) {
    p = (async () => {
      const campaignId = await newCampaign(w, organisationId, owner, unique('assessed'));
      await assess(w, owner, campaignId);
      return campaignId;
    })();
    assessedOf.set(organisationId, p);
  }
  return p;
}

/** A one-row NumEcoEval hypotheses file (an organisation referential version). */
const SMALL_REFERENTIAL = 'code;valeur;source\nPUEParDefaut;1.5;matrix\n';

/**
 * What an administrator restricted to an entity subtree gets from each route (docs/api.md, "Entity-restricted
 * members"): `subtree` — the route's own answer, computed on the subtree's items or holding no entity figures;
 * `refused` — 403 APP_FORBIDDEN naming why; `absent` — 404, the resource lies outside
 * the subtree (the matrix makes it at the organisation's root). A route missing here fails the matrix, so a new route
 * cannot escape the rule.
 */
const RESTRICTED: Record<string, 'subtree' | 'refused' | 'absent'> = {
  logout: 'subtree',
  me: 'subtree',
  'organisations.export': 'refused',
  'organisations.delete': 'refused',
  'organisations.create': 'subtree',
  'organisations.list': 'subtree',
  'organisations.get': 'subtree',
  'entities.list': 'subtree',
  'entities.create': 'refused',
  'entities.get': 'absent',
  'entities.update': 'absent',
  'entities.delete': 'absent',
  'members.list': 'subtree',
  'members.put': 'refused',
  'members.remove': 'refused',
  'tokens.create': 'subtree',
  'tokens.list': 'subtree',
  'tokens.revoke': 'subtree',
  'campaigns.list': 'subtree',
  'campaigns.create': 'subtree',
  'campaigns.get': 'subtree',
  'campaigns.update': 'subtree',
  'campaigns.lock': 'subtree',
  'campaigns.unlock': 'subtree',
  'uploads.create': 'refused',
  'uploads.list': 'refused',
  'uploads.get': 'refused',
  'uploads.rejects': 'refused',
  'assessments.create': 'refused',
  'jobs.get': 'refused',
  'campaigns.totals': 'subtree',
  'campaigns.items': 'subtree',
  'audit.list': 'subtree',
  'campaigns.breakdowns': 'subtree',
  // The matrix's campaign has one item, without an entity: outside every subtree.
  'campaigns.itemTrace': 'absent',
  'campaigns.export': 'subtree',
  'campaigns.quality': 'refused',
  'referentials.list': 'subtree',
  'services.list': 'subtree',
  'services.create': 'subtree',
  'services.import': 'subtree',
  'services.get': 'subtree',
  'services.update': 'subtree',
  'services.delete': 'subtree',
  'services.footprint': 'subtree',
  'steering.compare': 'refused',
  'steering.target.get': 'refused',
  'steering.target.put': 'refused',
  'steering.trajectory': 'refused',
  'steering.scenarios.preview': 'refused',
  'steering.scenarios.list': 'refused',
  'steering.scenarios.create': 'refused',
  'steering.scenarios.get': 'refused',
  'steering.scenarios.delete': 'refused',
  'steering.actions.list': 'refused',
  'steering.actions.create': 'refused',
  'steering.actions.update': 'refused',
  'steering.actions.delete': 'refused',
  'campaigns.kpis': 'subtree',
  'organisations.settings.get': 'subtree',
  'organisations.settings.update': 'refused',
  'referentials.org.upload': 'subtree',
  'referentials.org.list': 'subtree',
  'referentials.org.get': 'subtree',
  'referentials.org.diff': 'subtree',
  'campaigns.recompute': 'refused',
  'campaigns.recomputeResult': 'refused',
};

/** Public routes are outside the matrix (tested by name in api.test.ts). */
const PUBLIC = ['login', 'password.reset', 'oidc.login', 'oidc.callback'];

type Side = 'own' | 'other';

/** Path parameters pointing at a fresh resource of the actor's organisation ('own') or of organisation B ('other'). */
async function paramsFor(w: World, r: RouteDef, actor: Member, side: Side): Promise<Record<string, string>> {
  const organisationId = side === 'own' ? w.orgA : w.orgB;
  const owner = side === 'own' ? w.a.admin.actor : w.bAdmin.actor;
  switch (r.resource) {
    case 'none':
      return {};
    case 'organisation': {
      if (r.id !== 'organisations.delete') {
        if (r.id === 'steering.target.get')
          await putTarget(w.deps, owner, {
            organisationId,
            criterion: 'CLIMATE_CHANGE',
            baseYear: 2025,
            targetYear: 2030,
            reduction: -0.3,
            shape: 'linear',
            budget: null,
          });
        if (r.id === 'steering.actions.create') await assessedCampaign(w, organisationId, owner);
        return { organisationId };
      }
      // Deleting the world's organisation would end the matrix: a throw-away one where the actor has the same role.
      const name = unique('Doomed');
      const id = (
        await org.createOrganisation(w.deps, { userId: null, platformAdmin: true, memberships: new Map() }, { name })
      ).id;
      DOOMED.set(id, name);
      const sys = {
        userId: null,
        platformAdmin: true,
        memberships: new Map([[id, { role: 'admin' as const, entityId: null }]]),
      };
      const who = side === 'own' ? actor : w.bAdmin;
      const grant = who.actor.memberships.values().next().value!;
      // A member restricted to an entity is restricted in the throw-away organisation too.
      const entityId =
        grant.entityId === null
          ? null
          : (
              await org.createEntity(w.deps, sys, {
                organisationId: id,
                name: unique('e'),
                parentId: null,
                headcount: 1,
              })
            ).id;
      await org.putMember(w.deps, sys, { organisationId: id, email: who.email, role: grant.role, entityId });
      return { organisationId: id };
    }
    case 'entity': {
      const e = await org.createEntity(w.deps, owner, {
        organisationId,
        name: unique('e'),
        parentId: null,
        headcount: 1,
      });
      return { entityId: e.id };
    }
    case 'campaign': {
      const campaignId = await newCampaign(w, organisationId, owner, unique('c'));
      // Totals, breakdowns, traces, exports exist once an assessment is done; an empty campaign has none
      // (INP_INVENTORY_EMPTY: no silent zero).
      if (ASSESSED.has(r.id)) await assess(w, owner, campaignId);
      return { campaignId, position: '0' };
    }
    case 'upload': {
      const campaignId = await newCampaign(w, organisationId, owner, unique('c'));
      const u = await createUpload(w.deps, owner, {
        campaignId,
        fileName: 'parc.csv',
        mapping: null,
        content: Buffer.from(SMALL_CSV),
      });
      return { uploadId: u.id };
    }
    case 'job': {
      const campaignId = await newCampaign(w, organisationId, owner, unique('c'));
      return { jobId: (await startAssessment(w.deps, owner, { campaignId })).jobId };
    }
    case 'member': {
      const m = await org.putMember(w.deps, owner, {
        organisationId,
        email: `${unique('x')}@example.org`,
        role: 'viewer',
        entityId: null,
      });
      return { organisationId, userId: m.userId };
    }
    case 'service': {
      const sv = await createService(w.deps, owner, {
        organisationId,
        definition: serviceDefinition(unique('svc')),
      });
      return { serviceId: sv.id };
    }
    case 'scenario': {
      const campaignId = await assessedCampaign(w, organisationId, owner);
      const sc = await createScenario(w.deps, owner, { campaignId, name: unique('sc'), levers: LEVERS });
      return { scenarioId: sc.id };
    }
    case 'action': {
      await assessedCampaign(w, organisationId, owner);
      const a = await createAction(w.deps, owner, {
        organisationId,
        title: unique('a'),
        owner: 'DSI',
        dueDate: '2026-06-30',
        status: 'planned',
        levers: LEVERS,
      });
      return { actionId: a.id };
    }
    case 'referential': {
      const v = await uploadOrgReferential(w.deps, owner, {
        organisationId,
        fileName: 'hypotheses.csv',
        content: Buffer.from(SMALL_REFERENTIAL),
        name: unique('ref'),
      });
      return { referentialId: v.id };
    }
    case 'recompute': {
      const campaignId = await newCampaign(w, organisationId, owner, unique('c'));
      await assess(w, owner, campaignId);
      const { jobId } = await startRecompute(w.deps, owner, { campaignId, referentialId: null });
      return { campaignId, jobId };
    }
    case 'token': {
      const holder = side === 'own' ? actor.actor : w.bAdmin.actor;
      return { tokenId: (await createToken(w.deps, holder, { name: unique('t'), expiresInDays: 1 })).id };
    }
  }
}

const url = (r: RouteDef, p: Record<string, string>) =>
  r.url.replace(/:(\w+)/g, (_m, k: string) => p[k]!) + (QUERIES[r.id] ? `?${QUERIES[r.id]!(p)}` : '');

function expected(r: RouteDef, role: Role): number {
  if (r.action === 'self') return r.status;
  if (r.action === 'platform' || r.action === 'public') return 403;
  return GRANTS[role].includes(r.action) ? r.status : 403;
}

describe('the route table', () => {
  it('every route with a body has a matrix body; public routes are named', () => {
    expect(
      ROUTES.filter((r) => r.body !== undefined && !PUBLIC.includes(r.id) && !BODIES[r.id]).map((r) => r.id),
    ).toEqual([]);
    expect(ROUTES.filter((r) => r.action === 'public').map((r) => r.id)).toEqual(PUBLIC);
    expect(new Set(ROUTES.map((r) => r.id)).size).toBe(ROUTES.length);
  });
  it('every grantable action is exercised by at least one route', () => {
    const used = new Set(ROUTES.map((r) => r.action));
    expect(ACTIONS.filter((a) => !used.has(a))).toEqual([]);
  });
});

describe.each(DATABASES)('authorisation matrix on %s', (d) => {
  let served: ServedWorld | undefined;
  let w: World;
  let app: FastifyInstance;
  let restricted: Member;
  beforeAll(async () => {
    served = await serveWorld(d);
    ({ w, app } = served);
    restricted = await restrictedAdmin(w);
  });
  afterAll(() => closeServedWorld(served));

  const routes = ROUTES.filter((r) => r.action !== 'public');
  const send = async (r: RouteDef, p: Record<string, string>, token: string | null) => {
    const auth = token === null ? {} : { authorization: `Bearer ${token}` };
    if (r.id === 'services.import') {
      const m = multipartBytes('export.zip', await g4itZip(), { name: unique('Imported') });
      return app.inject({ method: r.method, url: url(r, p), headers: { ...auth, ...m.headers }, payload: m.payload });
    }
    if (r.id === 'referentials.org.upload') {
      const m = multipartBytes('hypotheses.csv', Buffer.from(SMALL_REFERENTIAL), { name: unique('ref') });
      return app.inject({ method: r.method, url: url(r, p), headers: { ...auth, ...m.headers }, payload: m.payload });
    }
    if (r.id === 'referentials.org.diff')
      return app.inject({ method: r.method, url: `${url(r, p)}?with=${p.referentialId}`, headers: auth });
    if (r.multipart) {
      const m = multipartFile('parc.csv', SMALL_CSV);
      return app.inject({ method: r.method, url: url(r, p), headers: { ...auth, ...m.headers }, payload: m.payload });
    }
    return app.inject({
      method: r.method,
      url: url(r, p),
      headers: auth,
      ...(BODIES[r.id] ? { payload: BODIES[r.id]!(p) as object } : {}),
    });
  };

  it.each(routes.map((r) => [r.id, r] as const))('%s without credentials → 401', async (_id, r) => {
    const res = await send(r, await paramsFor(w, r, w.a.admin, 'own'), null);
    expect(res.statusCode).toBe(401);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.json().code).toBe('APP_UNAUTHENTICATED');
  });

  it.each(routes.flatMap((r) => ROLES.map((role) => [r.id, role, r] as const)))(
    '%s as %s on its own organisation',
    async (_id, role, r) => {
      const m = w.a[role];
      const res = await send(r, await paramsFor(w, r, m, 'own'), m.token);
      expect(res.statusCode, res.body).toBe(expected(r, role));
      if (res.statusCode === 403) expect(res.json().code).toBe('APP_FORBIDDEN');
    },
  );

  it('every route says what a member restricted to an entity gets', () => {
    expect(routes.filter((r) => RESTRICTED[r.id] === undefined).map((r) => r.id)).toEqual([]);
  });

  it.each(routes.filter((r) => RESTRICTED[r.id] !== undefined).map((r) => [r.id, RESTRICTED[r.id]!, r] as const))(
    '%s as an admin restricted to an entity: %s',
    async (_id, rule, r) => {
      const res = await send(r, await paramsFor(w, r, restricted, 'own'), restricted.token);
      if (rule === 'subtree') expect(res.statusCode, res.body).toBe(expected(r, 'admin'));
      else if (rule === 'absent') {
        expect(res.statusCode, res.body).toBe(404);
        expect(res.json().code).toBe('APP_NOT_FOUND');
      } else {
        expect(res.statusCode, res.body).toBe(403);
        expect(res.json().code).toBe('APP_FORBIDDEN');
        // Entities and members outside the subtree are refused by the organisation's own rules (root, whole
        // organisation, outside your entities); every other refusal names the restriction.
        expect(res.json().detail).toMatch(
          /\((a member restricted to an entity|organisation root|whole organisation|outside your entities)\)\.$/,
        );
      }
    },
  );

  it.each(routes.filter((r) => r.resource !== 'none').map((r) => [r.id, r] as const))(
    "%s as an admin on another organisation's resource → 404, never 403",
    async (_id, r) => {
      const res = await send(r, await paramsFor(w, r, w.a.admin, 'other'), w.a.admin.token);
      expect(res.statusCode, res.body).toBe(404);
      expect(res.json().code).toBe('APP_NOT_FOUND');
    },
  );
});

/** An administrator of organisation A restricted to a new entity of A (and its child), with an API token. */
async function restrictedAdmin(w: World): Promise<Member> {
  const site = await org.createEntity(w.deps, w.a.admin.actor, {
    organisationId: w.orgA,
    name: unique('Site'),
    parentId: null,
    headcount: 4,
  });
  await org.createEntity(w.deps, w.a.admin.actor, {
    organisationId: w.orgA,
    name: unique('Floor'),
    parentId: site.id,
    headcount: 2,
  });
  const email = `${unique('site-admin')}@example.org`;
  const m = await org.putMember(w.deps, w.a.admin.actor, {
    organisationId: w.orgA,
    email,
    role: 'admin',
    entityId: site.id,
  });
  const actor = await w.actorOf(m.userId);
  const t = await createToken(w.deps, actor, { name: 'restricted', expiresInDays: 1 });
  return { id: m.userId, email, token: t.token, actor };
}
