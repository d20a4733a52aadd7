/**
 * The narrowest scopes that work: calendar.events alone cannot list
 * calendars (observed 403), so clients also get calendarlist.readonly; personal calendars are only read.
 */
const G = 'https://www.googleapis.com/auth/';
export const SIGN_IN_SCOPES = ['openid', 'email', 'profile'];
export const HOME_SCOPES = [...SIGN_IN_SCOPES, `${G}calendar.events`, `${G}calendar.calendarlist.readonly`];
export const CLIENT_SCOPES = [...SIGN_IN_SCOPES, `${G}calendar.events`, `${G}calendar.calendarlist.readonly`];
export const PERSONAL_SCOPES = [
  ...SIGN_IN_SCOPES,
  `${G}calendar.events.readonly`,
  `${G}calendar.calendarlist.readonly`,
];

export const SCOPE_REASONS: Record<string, string> = {
  openid: 'Identify the account being connected (its stable Google ID).',
  email: 'Show which account is connected.',
  profile: 'Show the account name in the dashboard.',
  [`${G}calendar.events`]: 'Read events of the chosen calendar and write private, detail-free "Busy" blocks to it.',
  [`${G}calendar.events.readonly`]: 'Read events of the chosen personal calendar (never written).',
  [`${G}calendar.calendarlist.readonly`]: 'List the calendars of the account so the user can choose one.',
};

export function missingScopes(granted: string, required: string[]): string[] {
  const have = new Set(granted.split(/\s+/).filter(Boolean));
  // Google may answer the OIDC scopes by their long names.
  const aliases: Record<string, string> = { email: `${G}userinfo.email`, profile: `${G}userinfo.profile` };
  return required.filter((s) => s !== 'openid' && !have.has(s) && !(aliases[s] && have.has(aliases[s])));
}
