import { OAuth2Client } from 'google-auth-library';
import {
  CalendarProvider,
  ChangeCursor,
  ChangeListing,
  ListChangesRequest,
  NewEvent,
  ProviderCalendar,
  PushChannel,
  PushRequest,
  TokenSet,
} from '../providers/calendar-provider';
import { ProviderError } from '../providers/provider-errors';
import { EventWrite, ProviderEvent } from '../providers/provider-event';
import { isWritableRole } from './access-roles';
import { GoogleCalendarApi } from './calendar-api';
import { classifyGoogleError } from './google-errors';
import { fromGoogleEvent, googleChange, toGoogleEvent } from './google-event-mapping';

/** The calendar-provider port over GoogleCalendarApi: same calls, same retry and pacing, neutral shapes. */
export class GoogleCalendarProvider implements CalendarProvider {
  readonly provider = 'google' as const;

  constructor(
    private readonly api: GoogleCalendarApi,
    private readonly auth: OAuth2Client,
  ) {}

  classifyError(error: unknown): ProviderError {
    if (error instanceof ProviderError) return error;
    const g = classifyGoogleError(error);
    return new ProviderError('google', g.kind, g.status, g.reason, g.message, g.retryAfterMs);
  }

  listCalendars(): Promise<ProviderCalendar[]> {
    return this.guard(async () =>
      (await this.api.listCalendars()).map((c) => ({
        id: c.id ?? '',
        name: c.summaryOverride ?? c.summary ?? c.id ?? '',
        primary: c.primary === true,
        canWrite: isWritableRole(c.accessRole),
        ...(c.timeZone ? { timeZone: c.timeZone } : {}),
      })),
    );
  }

  listChanges(calendarId: string, request: ListChangesRequest): Promise<ChangeListing> {
    return this.guard(async () => {
      if (request.cursor) {
        try {
          const { items, nextSyncToken } = await this.api.listEvents(calendarId, { syncToken: request.cursor });
          return {
            mode: 'incremental' as const,
            changes: items.map(googleChange),
            cursor: nextSyncToken as ChangeCursor | null,
          };
        } catch (error) {
          if (this.classifyError(error).kind !== 'sync_token_expired') throw error;
        }
      }
      const { items, nextSyncToken } = await this.api.listEvents(calendarId, {
        timeMin: request.window.start.toISOString(),
        timeMax: request.window.end.toISOString(),
        showDeleted: false,
      });
      return { mode: 'full' as const, changes: items.map(googleChange), cursor: nextSyncToken as ChangeCursor | null };
    });
  }

  getEvent(calendarId: string, eventId: string): Promise<ProviderEvent | null> {
    return this.guard(async () => {
      const event = await this.api.getEvent(calendarId, eventId);
      return event && event.status !== 'cancelled' ? fromGoogleEvent(event) : null;
    });
  }

  findTagged(calendarId: string, key: string, value: string): Promise<ProviderEvent[]> {
    return this.guard(async () =>
      (await this.api.listEvents(calendarId, { privateExtendedProperty: [`${key}=${value}`] })).items.map(
        fromGoogleEvent,
      ),
    );
  }

  /** Our id is the event id: a 409 means our earlier write (or its tombstone) exists, so it is overwritten and revived. */
  createEvent(calendarId: string, event: NewEvent): Promise<ProviderEvent> {
    return this.guard(async () => {
      const body = { ...toGoogleEvent(event.body), id: event.ourId };
      try {
        return fromGoogleEvent(await this.api.insertEvent(calendarId, body));
      } catch (error) {
        if (this.classifyError(error).kind !== 'duplicate') throw error;
        return fromGoogleEvent(await this.api.updateEvent(calendarId, event.ourId, { ...body, status: 'confirmed' }));
      }
    });
  }

  updateEvent(
    calendarId: string,
    eventId: string,
    body: Partial<EventWrite>,
    ifMatch?: string,
  ): Promise<ProviderEvent> {
    return this.guard(async () =>
      fromGoogleEvent(await this.api.patchEvent(calendarId, eventId, toGoogleEvent(body), ifMatch)),
    );
  }

  deleteEvent(calendarId: string, eventId: string): Promise<'deleted' | 'already_gone'> {
    return this.guard(() => this.api.deleteEvent(calendarId, eventId));
  }

  /**
   * Google has no decline call: a guest patches the attendee list with only its own entry declined. Sending the
   * other entries back would touch shared fields, which Google refuses to a non-organizer (forbiddenForNonOrganizer).
   */
  declineEvent(calendarId: string, eventId: string): Promise<void> {
    return this.guard(async () => {
      const event = await this.api.getEvent(calendarId, eventId);
      const self = event?.attendees?.find((a) => a.self);
      if (!self?.email)
        throw new ProviderError(
          'google',
          'bad_request',
          undefined,
          undefined,
          `Event ${eventId} is not an invitation to this account`,
        );
      await this.api.patchEvent(calendarId, eventId, {
        attendees: [{ email: self.email, responseStatus: 'declined' }],
      });
    });
  }

  startPush(calendarId: string, request: PushRequest): Promise<PushChannel> {
    return this.guard(async () => {
      const watched = await this.api.watch(calendarId, {
        id: request.channelId,
        address: request.address,
        token: request.secret,
        ttlSeconds: request.ttlSeconds,
      });
      return { channelId: request.channelId, resourceId: watched.resourceId, expiresAt: watched.expiration };
    });
  }

  /** Google channels cannot be extended: the caller opens a new one and stops the old. */
  renewPush(): Promise<PushChannel | null> {
    return Promise.resolve(null);
  }

  stopPush(channel: PushChannel): Promise<void> {
    return this.guard(() => this.api.stopChannel(channel.channelId, channel.resourceId));
  }

  /** Google does not rotate refresh tokens; the client keeps the new access token for its next calls. */
  refreshTokens(): Promise<TokenSet> {
    return this.guard(async () => {
      const { credentials } = await this.auth.refreshAccessToken();
      return {
        accessToken: credentials.access_token ?? '',
        expiresAt: new Date(credentials.expiry_date ?? Date.now() + 3600_000),
      };
    });
  }

  private async guard<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      throw this.classifyError(error);
    }
  }
}
