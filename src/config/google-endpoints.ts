import { AppConfig } from './app-config';

/** Every Google URL the product uses, derived from GOOGLE_BASE_URL when it is set (the emulator). */
export interface GoogleEndpoints {
  authorize: string;
  token: string;
  revoke: string;
  userinfo: string;
  jwkCerts: string;
  pemCerts: string;
  /** rootUrl for the generated calendar client, ends with '/'. */
  apiRoot: string;
}

export function googleEndpoints(config: Pick<AppConfig, 'googleBaseUrl'>): GoogleEndpoints {
  const base = config.googleBaseUrl;
  if (base) {
    return {
      authorize: `${base}/o/oauth2/v2/auth`,
      token: `${base}/token`,
      revoke: `${base}/revoke`,
      userinfo: `${base}/oauth2/v3/userinfo`,
      jwkCerts: `${base}/oauth2/v3/certs`,
      pemCerts: `${base}/oauth2/v1/certs`,
      apiRoot: `${base}/`,
    };
  }
  return {
    authorize: 'https://accounts.google.com/o/oauth2/v2/auth',
    token: 'https://oauth2.googleapis.com/token',
    revoke: 'https://oauth2.googleapis.com/revoke',
    userinfo: 'https://www.googleapis.com/oauth2/v3/userinfo',
    jwkCerts: 'https://www.googleapis.com/oauth2/v3/certs',
    pemCerts: 'https://www.googleapis.com/oauth2/v1/certs',
    apiRoot: 'https://www.googleapis.com/',
  };
}
