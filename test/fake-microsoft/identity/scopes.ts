const GRAPH = 'https://graph.microsoft.com/';
export const OIDC_SCOPES = ['openid', 'profile', 'email', 'offline_access'];
const GRAPH_SCOPES = [
  'Calendars.Read',
  'Calendars.ReadWrite',
  'Calendars.Read.Shared',
  'Calendars.ReadWrite.Shared',
  'User.Read',
];

/**
 * Canonical scope names, or the first unknown one. Graph scopes may be sent short or resource-qualified;
 * `.default` stands for what the app registration asks for.
 */
export function parseScopes(raw: string): { scopes: string[]; unknown?: string } {
  const out = new Set<string>();
  for (const s of raw.split(/\s+/).filter(Boolean)) {
    const bare = s.startsWith(GRAPH) ? s.slice(GRAPH.length) : s;
    if (bare === '.default') {
      out.add('Calendars.ReadWrite').add('User.Read');
      continue;
    }
    const known = [...OIDC_SCOPES, ...GRAPH_SCOPES].find((k) => k.toLowerCase() === bare.toLowerCase());
    if (!known) return { scopes: [...out], unknown: s };
    out.add(known);
  }
  return { scopes: [...out] };
}

/** The `scope` a token response lists: Graph scopes short or qualified, OIDC scopes except offline_access. */
export function scopeAnswer(scopes: string[], qualified: boolean): string {
  const graph = scopes.filter((s) => !OIDC_SCOPES.includes(s)).map((s) => (qualified ? GRAPH + s : s));
  const oidc = scopes.filter((s) => OIDC_SCOPES.includes(s) && s !== 'offline_access');
  return [...graph, ...oidc].join(' ');
}

export type Need = 'read' | 'write' | 'user';

/** Any one of these scopes authorizes the need (Calendars.ReadWrite implies read). */
export function hasScope(need: Need, granted: string[]): boolean {
  if (need === 'user') return granted.includes('User.Read') || granted.some((s) => s.startsWith('Calendars.'));
  if (need === 'read') return granted.some((s) => s.startsWith('Calendars.'));
  return granted.includes('Calendars.ReadWrite') || granted.includes('Calendars.ReadWrite.Shared');
}
