import { CalendarProvider } from './calendar-provider';

/**
 * Where the engine, the connect flows, the webhook receiver and the jobs get a calendar provider: one per
 * connected account (an oauth_tokens row), whichever provider holds it. The production binding builds real
 * adapters from stored tokens; the engine's middle test tier binds in-memory providers here.
 */
export abstract class CalendarProviders {
  /** The ready provider for the account; throws ProviderError (`auth_revoked`) when its grant is gone. */
  abstract forAccount(tokenId: number): Promise<CalendarProvider>;
}
