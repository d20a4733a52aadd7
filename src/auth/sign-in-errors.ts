/**
 * Why a sign-in was refused. Only these codes travel in the redirect to the login page (or the wizard),
 * never free text, so the page can't be made to display an attacker's message.
 */
export const SIGN_IN_ERRORS = {
  state: 'That sign-in attempt expired or was already used. Please sign in again.',
  denied: 'Google sign-in was cancelled.',
  google: 'Google could not complete the sign-in. Please try again.',
  unverified: 'Your Google account email address is not verified, so it cannot be used to sign in.',
  consumer: 'That is a personal Google account. Sign in with your Google Workspace account.',
  domain: 'That Google account does not belong to this organization.',
  'account-mismatch':
    'This email address is already registered with a different Google account. Ask an administrator for help.',
  scopes:
    'BusyBridge needs every permission it asked for (your email, profile and calendars). Please sign in again and allow them all.',
  'not-configured': 'BusyBridge is not set up yet.',
  'setup-consumer':
    'That is a personal Google account (no Google Workspace). BusyBridge serves one Google Workspace organization: sign in with an administrator account of your Workspace.',
  'setup-unverified':
    'The email address of that Google account is not verified; sign in with a verified Workspace account.',
} as const;

export type SignInErrorCode = keyof typeof SIGN_IN_ERRORS;

export function isSignInErrorCode(value: unknown): value is SignInErrorCode {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(SIGN_IN_ERRORS, value);
}

/** Where a refused sign-in lands: the login page, or step 3 of the wizard. */
export type SignInFlow = 'home' | 'setup';

export class SignInError extends Error {
  constructor(
    readonly code: SignInErrorCode,
    readonly flow: SignInFlow,
    detail?: string,
  ) {
    super(detail ? `${SIGN_IN_ERRORS[code]} (${detail})` : SIGN_IN_ERRORS[code]);
    this.name = 'SignInError';
  }
}
