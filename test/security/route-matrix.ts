import { randomUUID } from 'node:crypto';
import { SecurityWorld } from './support';

/**
 * The authorization matrix (OWASP ASVS V8), shared by the matrix and CSRF suites: every route the
 * app serves x {anonymous, user, another user, admin} x {the user's resource, another user's, a missing one}.
 * Resources are fixed: "own" is Ann's (the user), "another" is Ben's (the other user), "missing" an id that
 * does not exist; so the `other` row shows Ben reaching for Ann's things and his own. Routes without a
 * resource id send the same request for all three targets and have one number per actor.
 */
export type Who = 'anon' | 'user' | 'other' | 'admin';
export type Target = 'own' | 'another' | 'missing';
export type Cell = number | [own: number, another: number, missing: number];

export interface Ctx {
  who: Who;
  target: Target;
  world: SecurityWorld;
}

export interface RouteSpec {
  expect: Record<Who, Cell>;
  /** The URL to request (default: the route with its params filled from the target). */
  url?: (c: Ctx) => Promise<string> | string;
  body?: (c: Ctx) => unknown;
  headers?: (c: Ctx) => Record<string, string>;
  /** Run after the other routes (they remove what the others need). */
  late?: 1 | 2;
}

const MISSING = 2_147_483_000;
export const WHOS: Who[] = ['anon', 'user', 'other', 'admin'];
export const TARGETS: Target[] = ['own', 'another', 'missing'];

const all = (anon: Cell, user: Cell, other: Cell, admin: Cell): Record<Who, Cell> => ({ anon, user, other, admin });
/** Admin-only: 401 anonymous, 403 signed-in users. */
const adminOnly = (admin: Cell) => all(401, 403, 403, admin);
const adminPage = (admin: Cell) => all(302, 403, 403, admin);
/** A user API route on Ann's / Ben's / a missing resource: owners only, everyone else 404. */
const owned = (ok: number) => all(401, [ok, 404, 404], [404, ok, 404], [404, 404, 404]);
/** The same for pages: anonymous visitors are sent to sign in. */
const ownedPage = (ok: number, refused = 404) =>
  all(302, [ok, refused, refused], [refused, ok, refused], [refused, refused, refused]);

function id(c: Ctx, own: number, another: number): number {
  return c.target === 'own' ? own : c.target === 'another' ? another : MISSING;
}
const calendar = (type: 'client' | 'personal') => (c: Ctx) => id(c, c.world.res.ann[type], c.world.res.ben[type]);
const freshCalendar = (type: 'client' | 'personal') => async (c: Ctx) =>
  id(c, await c.world.freshCalendar('ann', type), await c.world.freshCalendar('ben', type));
const user = (c: Ctx) => id(c, c.world.ann.id, c.world.ben.id);
const freshUser = async (c: Ctx) => id(c, (await c.world.freshUser('own')).id, (await c.world.freshUser('another')).id);
export const actor = (c: Ctx) => (c.who === 'other' ? c.world.ben : c.who === 'admin' ? c.world.ada : c.world.ann);
const account = (c: Ctx, type: 'client' | 'personal') =>
  id(
    c,
    c.world.res.ann[type === 'client' ? 'account' : 'personalAccount'],
    c.world.res.ben[type === 'client' ? 'account' : 'personalAccount'],
  );
/** A calendar of the target's account that is not connected yet. */
const newCalendar = (c: Ctx, type: 'client' | 'personal') =>
  c.target === 'another'
    ? type === 'client'
      ? 'initech-ops@group.initech.example'
      : 'ben-family@group.gmail.example'
    : type === 'client'
      ? 'acme-projects@group.acme.example'
      : 'ann-family@group.gmail.example';

export const MATRIX: Record<string, RouteSpec> = {
  // Public.
  'GET /': { expect: all(302, 302, 302, 302) },
  'GET /health': { expect: all(200, 200, 200, 200) },
  'GET /health/ready': { expect: all(200, 200, 200, 200) },
  // No METRICS_TOKEN in this world: the route answers 404 to everyone, sessions included (bearer only).
  'GET /metrics': { expect: all(404, 404, 404, 404) },
  'GET /*': { expect: all(200, 200, 200, 200), url: () => '/static/css/app.css' },
  'GET /api/csrf': { expect: all(200, 200, 200, 200) },
  // Signed in, the login page sends you on.
  'GET /app/login': { expect: all(200, 302, 302, 302) },
  // The wizard is gone once an organization exists.
  'GET /setup': { expect: all(404, 404, 404, 404) },
  'GET /setup/step/:n': { expect: all(404, 404, 404, 404), url: () => '/setup/step/2' },
  'POST /setup/step/1': { expect: all(404, 404, 404, 404), body: () => ({}) },
  'POST /setup/step/2': {
    expect: all(404, 404, 404, 404),
    body: () => ({ clientId: 'evil.apps.googleusercontent.com', clientSecret: 'x' }),
  },
  'POST /setup/step/3': { expect: all(404, 404, 404, 404), body: () => ({ confirm: true }) },
  'POST /setup/step/4': { expect: all(404, 404, 404, 404), body: () => ({ enabled: false }) },
  'POST /setup/step/4/test-email': { expect: all(404, 404, 404, 404), body: () => ({ enabled: false }) },
  'POST /setup/step/5': { expect: all(404, 404, 404, 404), body: () => ({ savedKey: true }) },
  'POST /setup/step/5/new-key': { expect: all(404, 404, 404, 404), body: () => ({}) },
  // Sign-in and connect flows: to Google, or to sign-in first.
  'GET /auth/login': { expect: all(302, 302, 302, 302) },
  'GET /auth/callback': { expect: all(302, 302, 302, 302) },
  'POST /auth/logout': { expect: all(303, 303, 303, 303) },
  'GET /auth/connect-client': { expect: all(302, 302, 302, 302) },
  'GET /auth/connect-personal': { expect: all(302, 302, 302, 302) },
  // Without a state of this session's own: a page saying so.
  'GET /auth/connect-client/callback': { expect: all(302, 400, 400, 400) },
  'GET /auth/connect-personal/callback': { expect: all(302, 400, 400, 400) },
  // User API.
  'GET /api/me': { expect: all(401, 200, 200, 200) },
  'GET /api/me/calendars': { expect: all(401, 200, 200, 200) },
  'PUT /api/me/main-calendar': { expect: all(401, 200, 200, 200), body: (c) => ({ calendarId: actor(c).email }) },
  'GET /api/me/alert-preferences': { expect: all(401, 200, 200, 200) },
  'PUT /api/me/alert-preferences': { expect: all(401, 200, 200, 200), body: () => ({ emailAlerts: true }) },
  'GET /api/accounts': { expect: all(401, 200, 200, 200) },
  'GET /api/accounts/:id/calendars': {
    expect: owned(200),
    url: (c) => `/api/accounts/${account(c, 'client')}/calendars`,
  },
  'GET /api/client-calendars': { expect: all(401, 200, 200, 200) },
  'POST /api/client-calendars': {
    expect: owned(201),
    body: (c) => ({ accountId: account(c, 'client'), calendarId: newCalendar(c, 'client') }),
  },
  'DELETE /api/client-calendars/:id': {
    expect: owned(200),
    url: async (c) => `/api/client-calendars/${await freshCalendar('client')(c)}`,
  },
  'POST /api/client-calendars/:id/sync': {
    expect: owned(202),
    url: (c) => `/api/client-calendars/${calendar('client')(c)}/sync`,
  },
  'GET /api/client-calendars/:id/status': {
    expect: owned(200),
    url: (c) => `/api/client-calendars/${calendar('client')(c)}/status`,
  },
  'GET /api/client-calendars/:id/policy': {
    expect: owned(200),
    url: (c) => `/api/client-calendars/${calendar('client')(c)}/policy`,
  },
  'PUT /api/client-calendars/:id/policy': {
    expect: owned(200),
    url: (c) => `/api/client-calendars/${calendar('client')(c)}/policy`,
    body: () => ({ busyTitle: 'Busy' }),
  },
  'GET /api/client-calendars/:id/preview': {
    expect: owned(200),
    url: (c) => `/api/client-calendars/${calendar('client')(c)}/preview`,
  },
  'POST /api/client-calendars/:id/preview': {
    expect: owned(200),
    url: (c) => `/api/client-calendars/${calendar('client')(c)}/preview`,
    body: () => ({ policy: { minMinutes: 15 } }),
  },
  'GET /api/personal-calendars': { expect: all(401, 200, 200, 200) },
  'POST /api/personal-calendars': {
    expect: owned(201),
    body: (c) => ({ accountId: account(c, 'personal'), calendarId: newCalendar(c, 'personal') }),
  },
  'DELETE /api/personal-calendars/:id': {
    expect: owned(200),
    url: async (c) => `/api/personal-calendars/${await freshCalendar('personal')(c)}`,
  },
  'POST /api/personal-calendars/:id/sync': {
    expect: owned(202),
    url: (c) => `/api/personal-calendars/${calendar('personal')(c)}/sync`,
  },
  'GET /api/personal-calendars/:id/status': {
    expect: owned(200),
    url: (c) => `/api/personal-calendars/${calendar('personal')(c)}/status`,
  },
  'GET /api/sync/status': { expect: all(401, 200, 200, 200) },
  'GET /api/sync/log': { expect: owned(200), url: (c) => `/api/sync/log?calendarId=${calendar('client')(c)}` },
  'POST /api/sync/full': { expect: all(401, 202, 202, 202) },
  // A client calendar id under the personal routes (and back) is not found either.
  // Pages of a signed-in user.
  'GET /app': { expect: all(302, 200, 200, 200) },
  'GET /app/settings': { expect: all(302, 200, 200, 200) },
  'GET /app/logs': { expect: all(302, 200, 200, 200) },
  'GET /app/events': { expect: all(302, 200, 200, 200) },
  'GET /app/it-approval': { expect: all(302, 200, 200, 200) },
  'GET /app/connect.js': { expect: all(302, 200, 200, 200) },
  'GET /app/connect': { expect: ownedPage(200), url: (c) => `/app/connect?account=${account(c, 'client')}` },
  // The picker's form: connected (303 to the dashboard) on the user's own account; another's or a missing one is 404.
  'POST /app/connect': {
    expect: ownedPage(303),
    body: (c) => ({
      accountId: String(account(c, 'client')),
      calendarId: c.target === 'another' ? 'initech-plans@group.initech.example' : 'acme-planning@group.acme.example',
      confirmed: 'true',
    }),
  },
  'GET /app/calendars/:id/row': {
    expect: ownedPage(200),
    url: (c) => `/app/calendars/${calendar('client')(c)}/row?after=0&until=0`,
  },
  'GET /app/calendars/:id/preview': {
    expect: ownedPage(200),
    url: (c) => `/app/calendars/${calendar('client')(c)}/preview`,
  },
  'POST /app/calendars/:id/preview': {
    expect: ownedPage(200),
    url: (c) => `/app/calendars/${calendar('client')(c)}/preview`,
    body: () => ({ intent: 'preview', busyTitle: 'Busy' }),
  },
  'POST /app/calendars/:id/sync': {
    expect: ownedPage(303),
    url: (c) => `/app/calendars/${calendar('client')(c)}/sync`,
  },
  'POST /app/calendars/:id/disconnect': {
    expect: ownedPage(303),
    url: async (c) => `/app/calendars/${await freshCalendar('client')(c)}/disconnect`,
  },
  'POST /app/settings/main-calendar': {
    expect: all(302, 303, 303, 303),
    body: (c) => ({ calendarId: actor(c).email }),
  },
  'POST /app/settings/alerts': { expect: all(302, 303, 303, 303), body: () => ({ emailAlerts: ['false', 'true'] }) },
  'POST /app/settings/full-resync': { expect: all(302, 303, 303, 303) },
  'POST /app/settings/disconnect-all': { expect: all(302, 303, 303, 303), late: 1 },
  // Admin API.
  'GET /api/admin/health': { expect: adminOnly(200) },
  'GET /api/admin/users': { expect: adminOnly(200) },
  'GET /api/admin/users/:id': { expect: adminOnly([200, 200, 404]), url: (c) => `/api/admin/users/${user(c)}` },
  'POST /api/admin/users/:id/sync': {
    expect: adminOnly([202, 202, 404]),
    url: (c) => `/api/admin/users/${user(c)}/sync`,
  },
  'POST /api/admin/users/:id/force-reauth': {
    expect: adminOnly([200, 200, 404]),
    url: async (c) => `/api/admin/users/${await freshUser(c)}/force-reauth`,
  },
  'DELETE /api/admin/users/:id': {
    expect: adminOnly([200, 200, 404]),
    url: async (c) => `/api/admin/users/${await freshUser(c)}`,
  },
  'PUT /api/admin/users/:id/admin': {
    expect: adminOnly([200, 200, 404]),
    url: async (c) => `/api/admin/users/${await freshUser(c)}/admin`,
    body: () => ({ isAdmin: false }),
  },
  // Ann's calendar under Ann is found; Ben's calendar under Ann's id is not (no cross-user disconnect).
  'POST /api/admin/users/:id/calendars/:calId/disconnect': {
    expect: adminOnly([200, 404, 404]),
    url: async (c) => `/api/admin/users/${c.world.ann.id}/calendars/${await freshCalendar('client')(c)}/disconnect`,
  },
  'GET /api/admin/logs': { expect: adminOnly(200) },
  'POST /api/admin/sync/pause': { expect: adminOnly(200) },
  'POST /api/admin/sync/resume': { expect: adminOnly(200) },
  'POST /api/admin/cleanup': { expect: adminOnly(200) },
  'GET /api/admin/settings': { expect: adminOnly(200) },
  'GET /api/admin/client-policy-defaults': { expect: adminOnly(200) },
  'PUT /api/admin/client-policy-defaults': { expect: adminOnly(200), body: () => ({ busyTitle: 'Busy' }) },
  'PUT /api/admin/settings': { expect: adminOnly(200), body: () => ({ alertsEnabled: false }) },
  'POST /api/admin/settings/test-email': { expect: adminOnly(400), body: () => ({}) },
  'GET /api/admin/export': { expect: adminOnly(200) },
  'POST /api/admin/factory-reset': { expect: adminOnly(200), body: () => ({ confirm: 'RESET' }), late: 2 },
  // Admin pages: anonymous visitors are sent to sign in.
  'GET /admin': { expect: adminPage(200) },
  'GET /admin/users': { expect: adminPage(200) },
  'GET /admin/users/:id': { expect: adminPage([200, 200, 404]), url: (c) => `/admin/users/${user(c)}` },
  'GET /admin/logs': { expect: adminPage(200) },
  'GET /admin/settings': { expect: adminPage(200) },
  'GET /admin/client-policy': { expect: adminPage(200) },
  'POST /admin/client-policy': {
    expect: adminPage(303),
    body: () => ({ busyTitle: 'Busy', blockAllDay: 'true', blockTentative: 'true', minMinutes: '0' }),
  },
  'POST /admin/sync/:op': { expect: adminPage(303), url: () => '/admin/sync/pause' },
  'POST /admin/cleanup': { expect: adminPage(303) },
  'POST /admin/users/:id/:action': { expect: adminPage([303, 303, 404]), url: (c) => `/admin/users/${user(c)}/sync` },
  'POST /admin/users/:id/calendars/:calId/disconnect': {
    expect: adminPage([303, 404, 404]),
    url: async (c) => `/admin/users/${c.world.ann.id}/calendars/${await freshCalendar('client')(c)}/disconnect`,
  },
  'POST /admin/settings': { expect: adminPage(303), body: () => ({ alertsEnabled: 'false' }) },
  'POST /admin/settings/test-email': { expect: adminPage(400), body: () => ({}) },
  // The API's reset (below) runs last; here the page's, with the wrong confirmation word.
  'POST /admin/factory-reset': { expect: adminPage(400), body: () => ({ confirm: 'reset please' }) },
  // Google's push notifications: no session; an unknown channel is 404 whoever sends it.
  'POST /api/webhooks/google-calendar': {
    expect: all(404, 404, 404, 404),
    body: () => undefined,
    headers: () => ({
      'x-goog-channel-id': randomUUID(),
      'x-goog-channel-token': 'forged',
      'x-goog-resource-state': 'exists',
      'x-goog-resource-id': 'r',
    }),
  },
};

export const hasTarget = (route: string, spec: RouteSpec) =>
  Object.values(spec.expect).some((c) => Array.isArray(c)) || route.includes(':');
