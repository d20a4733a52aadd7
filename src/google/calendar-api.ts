import { calendar, calendar_v3 } from '@googleapis/calendar';
import { OAuth2Client } from 'google-auth-library';
import { classifyGoogleError, GoogleApiError } from './google-errors';
import { withRetry, RetryOptions } from './retry';
import { WritePacer } from './write-pacer';

export type GoogleEvent = calendar_v3.Schema$Event;
export type GoogleCalendarListEntry = calendar_v3.Schema$CalendarListEntry;

export interface ListEventsOptions {
  syncToken?: string | null;
  showDeleted?: boolean;
  singleEvents?: boolean;
  timeMin?: string;
  timeMax?: string;
  iCalUID?: string;
  privateExtendedProperty?: string[];
  maxResults?: number;
}

export interface EventChanges {
  items: GoogleEvent[];
  nextSyncToken: string | null;
}

export interface WatchRequest {
  id: string;
  address: string;
  token: string;
  ttlSeconds?: number;
}

export interface WatchResult {
  resourceId: string;
  expiration: Date;
}

/** The account's share of the RateLimitGate: every call waits its turn; Google's answers are reported. */
export interface AccountGate {
  beforeCall(): Promise<void>;
  accepted?(): void;
  rateLimited(retryAfterMs?: number): void;
}

/** One request as sent (each attempt): its raw answer or error, and how long it took. */
export interface SentCall {
  response?: unknown;
  error?: unknown;
  seconds: number;
}

export interface CalendarApiHooks {
  /** Called once when Google says the grant is gone (invalid_grant / unrecoverable 401). */
  onAuthRevoked?: (error: GoogleApiError) => void | Promise<void>;
  retry?: RetryOptions;
  pacer?: WritePacer;
  gate?: AccountGate;
  timeoutMs?: number;
  /** Every request sent (each attempt), with its raw answer or error: the metrics' one look at Google calls. */
  onCall?: (call: SentCall) => void;
}

/**
 * Calendar API v3 for one connected Google account. Every call: one retry policy (ours; the client's
 * own is off so call counts are honest), errors classified, writes paced per calendar and sent with
 * sendUpdates=none (BusyBridge never emails anyone).
 */
export class GoogleCalendarApi {
  private readonly api: calendar_v3.Calendar;

  constructor(
    private readonly auth: OAuth2Client,
    rootUrl: string,
    private readonly hooks: CalendarApiHooks = {},
  ) {
    this.api = calendar({ version: 'v3', auth, rootUrl, retry: false, timeout: hooks.timeoutMs ?? 30_000 });
  }

  async listCalendars(): Promise<GoogleCalendarListEntry[]> {
    const out: GoogleCalendarListEntry[] = [];
    let pageToken: string | undefined;
    do {
      const res = await this.call(() => this.api.calendarList.list({ maxResults: 250, pageToken }));
      out.push(...(res.data.items ?? []));
      pageToken = res.data.nextPageToken ?? undefined;
    } while (pageToken);
    return out;
  }

  async getCalendar(calendarId: string): Promise<GoogleCalendarListEntry> {
    return (await this.call(() => this.api.calendarList.get({ calendarId }))).data;
  }

  /**
   * Every page of a listing. With a sync token: the changes since it (410 -> kind sync_token_expired).
   * The new sync token comes only with the last page, so it is returned only when all pages were read.
   */
  async listEvents(calendarId: string, options: ListEventsOptions = {}): Promise<EventChanges> {
    const items: GoogleEvent[] = [];
    let pageToken: string | undefined;
    let nextSyncToken: string | null;
    do {
      const params: calendar_v3.Params$Resource$Events$List = {
        calendarId,
        pageToken,
        maxResults: options.maxResults ?? 250,
        singleEvents: options.singleEvents ?? false,
      };
      if (options.syncToken) params.syncToken = options.syncToken;
      else {
        if (options.showDeleted !== undefined) params.showDeleted = options.showDeleted;
        if (options.timeMin) params.timeMin = options.timeMin;
        if (options.timeMax) params.timeMax = options.timeMax;
        if (options.iCalUID) params.iCalUID = options.iCalUID;
        if (options.privateExtendedProperty) params.privateExtendedProperty = options.privateExtendedProperty;
      }
      const res = await this.call(() => this.api.events.list(params));
      items.push(...(res.data.items ?? []));
      pageToken = res.data.nextPageToken ?? undefined;
      nextSyncToken = res.data.nextSyncToken ?? null;
    } while (pageToken);
    return { items, nextSyncToken };
  }

  async instances(
    calendarId: string,
    eventId: string,
    options: { showDeleted?: boolean; timeMin?: string; timeMax?: string } = {},
  ): Promise<GoogleEvent[]> {
    const out: GoogleEvent[] = [];
    let pageToken: string | undefined;
    do {
      const res = await this.call(() =>
        this.api.events.instances({ calendarId, eventId, pageToken, maxResults: 2500, ...options }),
      );
      out.push(...(res.data.items ?? []));
      pageToken = res.data.nextPageToken ?? undefined;
    } while (pageToken);
    return out;
  }

  /** The event, including a cancelled tombstone; null when Google has never heard of it. */
  async getEvent(calendarId: string, eventId: string): Promise<GoogleEvent | null> {
    try {
      return (await this.call(() => this.api.events.get({ calendarId, eventId }))).data;
    } catch (error) {
      if (error instanceof GoogleApiError && (error.kind === 'not_found' || error.kind === 'deleted')) return null;
      throw error;
    }
  }

  async insertEvent(calendarId: string, body: GoogleEvent): Promise<GoogleEvent> {
    return this.write(calendarId, () =>
      this.api.events.insert({ calendarId, requestBody: body, sendUpdates: 'none', conferenceDataVersion: 0 }),
    );
  }

  async updateEvent(calendarId: string, eventId: string, body: GoogleEvent, ifMatch?: string): Promise<GoogleEvent> {
    return this.write(calendarId, () =>
      this.api.events.update(
        { calendarId, eventId, requestBody: body, sendUpdates: 'none' },
        ifMatch ? { headers: { 'If-Match': ifMatch } } : {},
      ),
    );
  }

  async patchEvent(calendarId: string, eventId: string, body: GoogleEvent, ifMatch?: string): Promise<GoogleEvent> {
    return this.write(calendarId, () =>
      this.api.events.patch(
        { calendarId, eventId, requestBody: body, sendUpdates: 'none' },
        ifMatch ? { headers: { 'If-Match': ifMatch } } : {},
      ),
    );
  }

  /** Deleting what is already gone (404/410) counts as done. */
  async deleteEvent(calendarId: string, eventId: string): Promise<'deleted' | 'already_gone'> {
    try {
      await this.write(calendarId, () => this.api.events.delete({ calendarId, eventId, sendUpdates: 'none' }));
      return 'deleted';
    } catch (error) {
      if (error instanceof GoogleApiError && (error.kind === 'not_found' || error.kind === 'deleted'))
        return 'already_gone';
      throw error;
    }
  }

  async watch(calendarId: string, request: WatchRequest): Promise<WatchResult> {
    const res = await this.call(() =>
      this.api.events.watch({
        calendarId,
        requestBody: {
          id: request.id,
          type: 'web_hook',
          address: request.address,
          token: request.token,
          params: request.ttlSeconds ? { ttl: String(request.ttlSeconds) } : undefined,
        },
      }),
    );
    return {
      resourceId: res.data.resourceId ?? '',
      expiration: new Date(Number(res.data.expiration ?? Date.now() + 7 * 86400_000)),
    };
  }

  async stopChannel(id: string, resourceId: string): Promise<void> {
    try {
      await this.call(() => this.api.channels.stop({ requestBody: { id, resourceId } }));
    } catch (error) {
      // A channel that expired or was already stopped needs no stopping.
      if (error instanceof GoogleApiError && (error.kind === 'not_found' || error.kind === 'deleted')) return;
      throw error;
    }
  }

  private async write<T>(calendarId: string, request: () => Promise<{ data: T }>): Promise<T> {
    return (await this.call(request, calendarId)).data;
  }

  /** Google's answer feeds the paces: the account's, and the calendar's for a write. */
  private paceAccepted(pacedCalendarId: string | undefined): void {
    this.hooks.gate?.accepted?.();
    if (pacedCalendarId !== undefined) this.hooks.pacer?.accepted(pacedCalendarId);
  }

  private paceRefused(pacedCalendarId: string | undefined, retryAfterMs: number | undefined): void {
    this.hooks.gate?.rateLimited(retryAfterMs);
    if (pacedCalendarId !== undefined) this.hooks.pacer?.rateLimited(pacedCalendarId, retryAfterMs);
  }

  /** `pacedCalendarId`: a write, paced per calendar. */
  private async call<T>(request: () => Promise<T>, pacedCalendarId?: string): Promise<T> {
    let refreshed = false;
    const attempt = async (): Promise<T> => {
      if (pacedCalendarId !== undefined) await this.hooks.pacer?.beforeWrite(pacedCalendarId);
      // The account's gate last, right before sending, so the spacing it keeps is the spacing Google sees.
      await this.hooks.gate?.beforeCall();
      const sent = performance.now();
      try {
        const response = await request();
        this.hooks.onCall?.({ response, seconds: (performance.now() - sent) / 1000 });
        this.paceAccepted(pacedCalendarId);
        return response;
      } catch (raw) {
        this.hooks.onCall?.({ error: raw, seconds: (performance.now() - sent) / 1000 });
        const error = classifyGoogleError(raw);
        if (error.kind === 'rate_limited') this.paceRefused(pacedCalendarId, error.retryAfterMs);
        // A 401 on an access token we believed fresh (clock skew, early invalidation): refresh once and resend.
        // Done here rather than by the library's forceRefreshOnFailure, which also did it, at once and past
        // every backoff, for each 403 — Google's usual "rate limit exceeded".
        if (error.status === 401 && !refreshed && this.auth.credentials.refresh_token) {
          refreshed = true;
          await this.auth.refreshAccessToken();
          return attempt();
        }
        throw error;
      }
    };
    try {
      return await withRetry(attempt, this.hooks.retry);
    } catch (raw) {
      const error = classifyGoogleError(raw);
      if (error.kind === 'auth_revoked') await this.hooks.onAuthRevoked?.(error);
      throw error;
    }
  }
}
