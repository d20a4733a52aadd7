import { AppConfig } from './app-config';

/** Every Microsoft URL the product uses, derived from MICROSOFT_BASE_URL when it is set (the emulator). */
export interface MicrosoftEndpoints {
  /** `{tenant}` is `common`, `organizations`, `consumers` or a tenant id. */
  authorize(tenant: string): string;
  token(tenant: string): string;
  keys(tenant: string): string;
  /** Graph v1.0 root, without a trailing '/'. */
  graph: string;
}

export function microsoftEndpoints(config: Pick<AppConfig, 'microsoftBaseUrl'>): MicrosoftEndpoints {
  const login = config.microsoftBaseUrl ?? 'https://login.microsoftonline.com';
  const graph = config.microsoftBaseUrl ? `${config.microsoftBaseUrl}/v1.0` : 'https://graph.microsoft.com/v1.0';
  const tenantPath = (tenant: string) => `${login}/${encodeURIComponent(tenant)}`;
  return {
    authorize: (tenant) => `${tenantPath(tenant)}/oauth2/v2.0/authorize`,
    token: (tenant) => `${tenantPath(tenant)}/oauth2/v2.0/token`,
    keys: (tenant) => `${tenantPath(tenant)}/discovery/v2.0/keys`,
    graph,
  };
}
