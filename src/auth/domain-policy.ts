import { IdTokenClaims } from '../google/google-oauth.service';

export type DomainRefusal = 'unverified' | 'consumer' | 'domain';

function emailDomain(email: string): string | null {
  // Exactly one '@': `a@evil.example@corp.example` style tricks are not an address of either domain.
  const parts = email.split('@');
  if (parts.length !== 2 || !parts[0] || !parts[1]) return null;
  return parts[1].toLowerCase();
}

/**
 * Home-domain sign-in, decided only from Google's VERIFIED ID token claims: the email must be verified,
 * the account must belong to a Workspace (`hd`) that is the organization's domain, and the email's own
 * domain must match too (so `user@sub.corp.example` is not `corp.example`). Case never matters.
 */
export function checkHomeDomain(
  claims: Pick<IdTokenClaims, 'email' | 'emailVerified' | 'hd'>,
  domain: string,
): DomainRefusal | null {
  if (!claims.emailVerified) return 'unverified';
  if (!claims.hd) return 'consumer';
  const home = domain.toLowerCase();
  if (claims.hd.toLowerCase() !== home) return 'domain';
  if (emailDomain(claims.email) !== home) return 'domain';
  return null;
}

/** The wizard's admin: a verified Workspace account; its `hd` becomes the home domain. */
export function setupAdminDomain(
  claims: Pick<IdTokenClaims, 'email' | 'emailVerified' | 'hd'>,
): { domain: string } | { refusal: 'setup-consumer' | 'setup-unverified' | 'domain' } {
  if (!claims.emailVerified) return { refusal: 'setup-unverified' };
  if (!claims.hd) return { refusal: 'setup-consumer' };
  const domain = claims.hd.toLowerCase();
  if (emailDomain(claims.email) !== domain) return { refusal: 'domain' };
  return { domain };
}
