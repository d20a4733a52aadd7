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
  TimeWindow,
} from '../providers/calendar-provider';
import { ProviderError } from '../providers/provider-errors';
import { EventWrite, ProviderChange, ProviderEvent } from '../providers/provider-event';
import { GraphClient } from './graph-client';
import { classifyMicrosoftError } from './graph-errors';
import { fromGraphEvent, GraphEvent, MARKER_PROPERTY_ID, toGraphEvent } from './graph-event-mapping';
import { MicrosoftTokenClient } from './microsoft-identity';

interface GraphPage<T> {
  value: T[];
  '@odata.nextLink'?: string;
  '@odata.deltaLink'?: string;
}

interface GraphCalendar {
  id: string;
  name: string;
  canEdit?: boolean;
  isDefaultCalendar?: boolean;
}

/** Graph's documented maximum for event subscriptions (4,230 minutes). */
const MAX_SUBSCRIPTION_SECONDS = 4230 * 60;
const EXPAND_MARKER = `singleValueExtendedProperties($filter=id eq '${MARKER_PROPERTY_ID}')`;
const ANY_MARKER = `singleValueExtendedProperties/Any(ep: ep/id eq '${MARKER_PROPERTY_ID}')`;

/** A delta link only lists its own window, so the cursor remembers which one: another window means a new baseline. */
function encodeCursor(window: TimeWindow, deltaLink: string): ChangeCursor {
  return `${window.start.toISOString()}|${window.end.toISOString()}|${deltaLink}` as ChangeCursor;
}

function deltaLinkFor(cursor: ChangeCursor | null, window: TimeWindow): string | null {
  const [start, end, ...link] = (cursor ?? '').split('|');
  return cursor && start === window.start.toISOString() && end === window.end.toISOString() ? link.join('|') : null;
}

/** The calendar-provider port over Microsoft Graph v1.0, for one mailbox. */
export class MicrosoftCalendarProvider implements CalendarProvider {
  readonly provider = 'microsoft' as const;

  constructor(
    private readonly graph: GraphClient,
    private readonly tokens: MicrosoftTokenClient,
    private readonly mailbox: string,
  ) {}

  classifyError(error: unknown): ProviderError {
    return classifyMicrosoftError(error);
  }

  listCalendars(): Promise<ProviderCalendar[]> {
    return this.guard(async () =>
      (await this.all<GraphCalendar>('/me/calendars')).map((c) => ({
        id: c.id,
        name: c.name,
        primary: c.isDefaultCalendar === true,
        canWrite: c.canEdit === true,
      })),
    );
  }

  /** Delta rounds over calendarView; a refused or foreign-window cursor (410, syncStateNotFound) starts a new baseline. */
  listChanges(calendarId: string, request: ListChangesRequest): Promise<ChangeListing> {
    return this.guard(async () => {
      const link = deltaLinkFor(request.cursor, request.window);
      if (link) {
        try {
          return { mode: 'incremental' as const, ...(await this.deltaRound(link, request.window)) };
        } catch (error) {
          if (this.classifyError(error).kind !== 'sync_token_expired') throw error;
        }
      }
      const q = new URLSearchParams({
        startDateTime: request.window.start.toISOString(),
        endDateTime: request.window.end.toISOString(),
      });
      return {
        mode: 'full' as const,
        ...(await this.deltaRound(`${this.calendar(calendarId)}/calendarView/delta?${q}`, request.window)),
      };
    });
  }

  getEvent(calendarId: string, eventId: string): Promise<ProviderEvent | null> {
    return this.guard(async () => {
      try {
        const g = await this.graph.request<GraphEvent>(
          `${this.event(calendarId, eventId)}?$expand=${encodeURIComponent(EXPAND_MARKER)}`,
        );
        return g.isCancelled ? null : fromGraphEvent(g, this.mailbox);
      } catch (error) {
        if (this.classifyError(error).gone) return null;
        throw error;
      }
    });
  }

  /** Every event carrying our marker, read back and matched here (Graph filters on the whole value only). */
  findTagged(calendarId: string, key: string, value: string): Promise<ProviderEvent[]> {
    return this.guard(async () => {
      const q = `$filter=${encodeURIComponent(ANY_MARKER)}&$expand=${encodeURIComponent(EXPAND_MARKER)}`;
      const events = await this.all<GraphEvent>(`${this.calendar(calendarId)}/events?${q}`);
      return events.map((g) => fromGraphEvent(g, this.mailbox)).filter((e) => e.tags?.[key] === value);
    });
  }

  /** `transactionId` = our id: Graph answers a repeated POST with the event the first one made. */
  createEvent(calendarId: string, event: NewEvent): Promise<ProviderEvent> {
    return this.guard(async () => {
      const body = { ...toGraphEvent(event.body), transactionId: event.ourId };
      const g = await this.graph.request<GraphEvent>(`${this.calendar(calendarId)}/events`, { method: 'POST', body });
      return this.withTags(fromGraphEvent(g, this.mailbox), event.body.tags);
    });
  }

  updateEvent(
    calendarId: string,
    eventId: string,
    body: Partial<EventWrite>,
    ifMatch?: string,
  ): Promise<ProviderEvent> {
    return this.guard(async () => {
      const g = await this.graph.request<GraphEvent>(this.event(calendarId, eventId), {
        method: 'PATCH',
        body: toGraphEvent(body),
        headers: ifMatch ? { 'if-match': ifMatch } : {},
      });
      return this.withTags(fromGraphEvent(g, this.mailbox), body.tags);
    });
  }

  deleteEvent(calendarId: string, eventId: string): Promise<'deleted' | 'already_gone'> {
    return this.guard(async () => {
      try {
        await this.graph.request(this.event(calendarId, eventId), { method: 'DELETE' });
        return 'deleted' as const;
      } catch (error) {
        if (this.classifyError(error).gone) return 'already_gone' as const;
        throw error;
      }
    });
  }

  /** `sendResponse: false`: the organizer's copy learns it, nobody gets a mail. */
  declineEvent(calendarId: string, eventId: string): Promise<void> {
    return this.guard(async () => {
      await this.graph.request(`${this.event(calendarId, eventId)}/decline`, {
        method: 'POST',
        body: { sendResponse: false },
      });
    });
  }

  startPush(calendarId: string, request: PushRequest): Promise<PushChannel> {
    return this.guard(async () => {
      const sub = await this.graph.request<{ id: string; expirationDateTime: string }>('/subscriptions', {
        method: 'POST',
        body: {
          changeType: 'created,updated,deleted',
          notificationUrl: request.address,
          lifecycleNotificationUrl: request.address,
          resource: `${this.calendar(calendarId)}/events`,
          expirationDateTime: this.expiry(request.ttlSeconds),
          clientState: request.secret,
        },
      });
      return { channelId: request.channelId, resourceId: sub.id, expiresAt: new Date(sub.expirationDateTime) };
    });
  }

  renewPush(channel: PushChannel, ttlSeconds: number): Promise<PushChannel | null> {
    return this.guard(async () => {
      const sub = await this.graph.request<{ expirationDateTime: string }>(
        `/subscriptions/${encodeURIComponent(channel.resourceId)}`,
        { method: 'PATCH', body: { expirationDateTime: this.expiry(ttlSeconds) } },
      );
      return { ...channel, expiresAt: new Date(sub.expirationDateTime) };
    });
  }

  stopPush(channel: PushChannel): Promise<void> {
    return this.guard(async () => {
      try {
        await this.graph.request(`/subscriptions/${encodeURIComponent(channel.resourceId)}`, { method: 'DELETE' });
      } catch (error) {
        if (!this.classifyError(error).gone) throw error;
      }
    });
  }

  refreshTokens(): Promise<TokenSet> {
    return this.guard(() => this.tokens.refresh());
  }

  /** Follows one delta round to its deltaLink. Pages may repeat an entity: the last copy of each id wins. */
  private async deltaRound(
    first: string,
    window: TimeWindow,
  ): Promise<{ changes: ProviderChange[]; cursor: ChangeCursor | null }> {
    const byId = new Map<string, ProviderChange>();
    let url: string | undefined = first;
    let deltaLink: string | undefined;
    while (url) {
      const page: GraphPage<GraphEvent> = await this.graph.request<GraphPage<GraphEvent>>(url);
      for (const g of page.value) {
        byId.delete(g.id);
        byId.set(g.id, this.change(g));
      }
      deltaLink = page['@odata.deltaLink'];
      url = page['@odata.nextLink'];
    }
    return { changes: [...byId.values()], cursor: deltaLink ? encodeCursor(window, deltaLink) : null };
  }

  /** Tombstones may lack every field but the id (even `type`); a cancelled meeting is gone for the reader too. */
  private change(g: GraphEvent): ProviderChange {
    if (g['@removed']) return { type: 'removed', id: g.id };
    if (g.isCancelled)
      return { type: 'removed', id: g.id, ...(g.seriesMasterId ? { seriesId: g.seriesMasterId } : {}) };
    return { type: 'upsert', event: fromGraphEvent(g, this.mailbox) };
  }

  private async all<T>(path: string): Promise<T[]> {
    const out: T[] = [];
    let url: string | undefined = path;
    while (url) {
      const page: GraphPage<T> = await this.graph.request<GraphPage<T>>(url);
      out.push(...page.value);
      url = page['@odata.nextLink'];
    }
    return out;
  }

  /** Graph does not echo extended properties on writes; what we just wrote is what the event carries. */
  private withTags(event: ProviderEvent, tags: Record<string, string> | undefined): ProviderEvent {
    return tags && !event.tags ? { ...event, tags: { ...tags } } : event;
  }

  private expiry(ttlSeconds: number): string {
    return new Date(Date.now() + Math.min(ttlSeconds, MAX_SUBSCRIPTION_SECONDS) * 1000).toISOString();
  }

  private calendar(calendarId: string): string {
    return `/me/calendars/${encodeURIComponent(calendarId)}`;
  }

  private event(calendarId: string, eventId: string): string {
    return `${this.calendar(calendarId)}/events/${encodeURIComponent(eventId)}`;
  }

  private async guard<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      throw this.classifyError(error);
    }
  }
}
