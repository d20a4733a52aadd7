import { microsoftEndpoints } from '../config/microsoft-endpoints';
import { AppConfig } from '../config/app-config';
import { ClassifiedRetryOptions } from '../providers/retry-classified';
import { GraphClient } from './graph-client';
import { pacerFor } from './mailbox-pacer';
import { MicrosoftCalendarProvider } from './microsoft-calendar-provider';
import { MicrosoftTokenClient, MicrosoftTokens } from './microsoft-identity';

export interface MicrosoftAccount {
  /** The mailbox (UPN): the unit Graph throttles by, and how our own attendee entry is recognised. */
  mailbox: string;
  /** `organizations` for client tenants, `common` for personal accounts, or the tenant id. */
  tenant: string;
  tokens: MicrosoftTokens;
  /** Stores a rotated refresh token (encrypted) before it is used. */
  onRotated?: (tokens: MicrosoftTokens) => void | Promise<void>;
}

export interface MicrosoftAppCredentials {
  clientId: string;
  clientSecret: string;
}

/** One provider per connected Microsoft account; every provider of a mailbox shares its pacer. */
export function microsoftProvider(
  config: Pick<AppConfig, 'microsoftBaseUrl'>,
  app: MicrosoftAppCredentials,
  account: MicrosoftAccount,
  retry?: ClassifiedRetryOptions,
): MicrosoftCalendarProvider {
  const endpoints = microsoftEndpoints(config);
  const tokens = new MicrosoftTokenClient(
    { ...app, tokenUrl: endpoints.token(account.tenant) },
    account.tokens,
    account.onRotated,
  );
  const graph = new GraphClient(endpoints.graph, tokens, pacerFor(account.mailbox.toLowerCase()), { retry });
  return new MicrosoftCalendarProvider(graph, tokens, account.mailbox);
}
