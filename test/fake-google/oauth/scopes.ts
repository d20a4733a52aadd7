const AUTH = 'https://www.googleapis.com/auth/';

/** Google answers the short OIDC scope names with their long forms in the token response. */
export function normalizeScopes(raw: string): string[] {
  const out = new Set<string>();
  for (const s of raw.split(/[\s+]+/).filter(Boolean)) {
    if (s === 'email') out.add(`${AUTH}userinfo.email`);
    else if (s === 'profile') out.add(`${AUTH}userinfo.profile`);
    else out.add(s);
  }
  return [...out];
}

/** What the consent screen grants: everything asked for, minus what the person unticked (never the sign-in scopes). */
export function grantedScopes(requested: string[], account: { untickedScopes?: string[] }): string[] {
  const unticked = new Set(normalizeScopes((account.untickedScopes ?? []).join(' ')));
  const signIn = new Set(['openid', `${AUTH}userinfo.email`, `${AUTH}userinfo.profile`]);
  return requested.filter((s) => signIn.has(s) || !unticked.has(s));
}

const cal = (...names: string[]) => names.map((n) => `${AUTH}${n}`);

const EVENT_READ = cal(
  'calendar.readonly',
  'calendar',
  'calendar.events.readonly',
  'calendar.events',
  'calendar.app.created',
  'calendar.events.freebusy',
  'calendar.events.owned',
  'calendar.events.owned.readonly',
  'calendar.events.public.readonly',
);
const EVENT_WRITE = cal('calendar', 'calendar.events', 'calendar.app.created', 'calendar.events.owned');
const LIST_READ = cal('calendar.readonly', 'calendar', 'calendar.calendarlist', 'calendar.calendarlist.readonly');

/** Fact sheet §8.6: any one of these scopes authorizes the method. */
export const METHOD_SCOPES: Record<string, string[]> = {
  'events.list': EVENT_READ,
  'events.get': EVENT_READ,
  'events.instances': EVENT_READ,
  'events.watch': EVENT_READ,
  'events.insert': EVENT_WRITE,
  'events.update': EVENT_WRITE,
  'events.patch': EVENT_WRITE,
  'events.delete': EVENT_WRITE,
  'calendarList.list': LIST_READ,
  'calendarList.get': [...LIST_READ, `${AUTH}calendar.app.created`],
  'calendars.get': [
    ...cal(
      'calendar.readonly',
      'calendar',
      'calendar.app.created',
      'calendar.calendars',
      'calendar.calendars.readonly',
    ),
  ],
  'channels.stop': [...EVENT_READ, ...LIST_READ, `${AUTH}calendar.settings.readonly`],
};

export function hasScopeFor(method: string, granted: string[]): boolean {
  const accepted = METHOD_SCOPES[method];
  return !accepted || accepted.some((s) => granted.includes(s));
}

export const SCOPE_EMAIL = `${AUTH}userinfo.email`;
export const SCOPE_PROFILE = `${AUTH}userinfo.profile`;
