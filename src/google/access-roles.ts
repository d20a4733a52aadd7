/**
 * Google's access roles on a calendar, and the one definition of which of them BusyBridge may write to or
 * read from. Pure: the sync rules import it too.
 */
export type AccessRole = 'owner' | 'writer' | 'reader' | 'freeBusyReader' | 'none';

const ACCESS_ROLES: readonly string[] = ['owner', 'writer', 'reader', 'freeBusyReader', 'none'] satisfies AccessRole[];

export function isAccessRole(role: unknown): role is AccessRole {
  return typeof role === 'string' && ACCESS_ROLES.includes(role);
}

/** Events may be created, changed and deleted: a client calendar and main need this. */
export function isWritableRole(role: string | null | undefined): boolean {
  return role === 'owner' || role === 'writer';
}

/** Event details can be read (free/busy alone is not enough): a personal calendar needs this. */
export function isReadableRole(role: string | null | undefined): boolean {
  return isWritableRole(role) || role === 'reader';
}
