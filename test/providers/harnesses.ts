import { GoogleCalendarApi } from '../../src/google/calendar-api';
import { GoogleCalendarProvider } from '../../src/google/google-calendar-provider';
import { microsoftProvider } from '../../src/microsoft/microsoft-provider-factory';
import { CalendarProvider } from '../../src/providers/calendar-provider';
import * as G from '../fake-google/test-helpers';
import * as M from '../fake-microsoft/test-helpers';

/** A time slot `days` from now, on the hour, as both providers' wall times need it. */
export function slot(days: number, hour = 10, minutes = 60): { start: string; end: string } {
  const d = new Date(Date.now() + days * 86400_000);
  d.setUTCHours(hour, 0, 0, 0);
  return {
    start: d.toISOString().replace('.000', ''),
    end: new Date(d.getTime() + minutes * 60_000).toISOString().replace('.000', ''),
  };
}

/** What the contract needs from an emulator beyond the port itself: the other people and the fault switches. */
export interface Harness {
  name: 'google' | 'microsoft';
  provider: CalendarProvider;
  /** A calendar the account may only read. */
  readOnlyCalendarId: string;
  /** A well-formed event id the calendar does not hold. */
  unknownEventId(calendarId: string): Promise<string>;
  /** A colleague invites the account; answers the invitation's id on the account's main calendar. */
  invite(summary: string): Promise<string>;
  /** The account's answer to `summary` as the organizer sees it. */
  organizerSees(summary: string): string | undefined;
  expireCursor(calendarId: string): void;
  revokeGrant(): void;
  /** The next `times` API calls (not token calls) answer `status`. */
  fail(status: number, times: number, retryAfter?: number): void;
  close(): Promise<void>;
}

const FAST_RETRY = { attempts: 3, baseDelayMs: 5, maxDelayMs: 20 };

export async function googleHarness(): Promise<Harness> {
  const fake = await G.startSeeded();
  const auth = await G.signIn(fake, 'ann@home.example');
  const provider = new GoogleCalendarProvider(new GoogleCalendarApi(auth, `${fake.url}/`, { retry: FAST_RETRY }), auth);
  return {
    name: 'google',
    provider,
    readOnlyCalendarId: 'team@group.client.example',
    unknownEventId: async () => `unknown${Date.now().toString(32)}`,
    invite: async (summary) => {
      const { start, end } = slot(3);
      const event = fake.control.createEvent('cat@client.example', 'primary', {
        summary,
        start: { dateTime: start },
        end: { dateTime: end },
        attendees: [{ email: 'ann@home.example' }],
      });
      return event.id!;
    },
    organizerSees: (summary) =>
      fake.control
        .calendarState('cat@client.example')
        .find((e) => e.data.summary === summary)
        ?.data.attendees?.find((a) => a.email === 'ann@home.example')?.responseStatus ?? undefined,
    expireCursor: (calendarId) => fake.control.invalidateSyncTokens(calendarId),
    revokeGrant: () => void fake.control.revokeGrants('ann@home.example'),
    fail: (status, times, retryAfter) =>
      void fake.control.injectFault({ path: '/calendar/v3/', status, times, retryAfter }),
    close: () => fake.close(),
  };
}

export async function microsoftHarness(): Promise<Harness> {
  const fake = await M.startSeeded();
  const t = await M.signIn(fake, 'ann@contoso.example', { tenant: 'organizations' });
  const provider = microsoftProvider(
    { microsoftBaseUrl: fake.url },
    { clientId: M.CLIENT_ID, clientSecret: M.CLIENT_SECRET },
    {
      mailbox: 'ann@contoso.example',
      tenant: 'organizations',
      tokens: {
        accessToken: t.access_token,
        refreshToken: t.refresh_token,
        expiresAt: new Date(Date.now() + Number(t.expires_in) * 1000),
      },
    },
    FAST_RETRY,
  );
  const benEvents = () => fake.control.events(fake.control.calendarId('ben@contoso.example'));
  return {
    name: 'microsoft',
    provider,
    readOnlyCalendarId: fake.control.calendarId('ben@contoso.example', 'Team'),
    // Graph ids are opaque: the only well-formed id of nothing is one whose event was deleted.
    unknownEventId: async () => {
      const { start } = slot(1);
      const { id } = fake.control.createEvent('ann@contoso.example', {
        subject: 'Short-lived',
        ...M.timed(start.replace(/Z$/, ''), 30),
      });
      fake.control.deleteEvent('ann@contoso.example', String(id));
      return String(id);
    },
    invite: async (summary) => {
      const { start } = slot(3);
      fake.control.createEvent('ben@contoso.example', {
        subject: summary,
        ...M.timed(start.replace(/Z$/, ''), 60),
        attendees: [{ emailAddress: { address: 'ann@contoso.example' }, type: 'required' }],
      });
      const copy = fake.control
        .events(fake.control.calendarId('ann@contoso.example'))
        .find((e) => e.subject === summary);
      return String(copy?.id);
    },
    organizerSees: (summary) => {
      const attendees = benEvents().find((e) => e.subject === summary)?.attendees as
        Array<{ emailAddress: { address: string }; status: { response: string } }> | undefined;
      return attendees?.find((a) => a.emailAddress.address === 'ann@contoso.example')?.status.response;
    },
    expireCursor: (calendarId) => void fake.control.invalidateDeltaTokens(calendarId, 'syncStateNotFound'),
    revokeGrant: () => {
      // A 401 first, as for an access token the provider no longer honours; the refresh then meets the dead grant.
      fake.control.expireRefreshTokens('ann@contoso.example');
      fake.control.injectFault({ path: '/v1.0/', status: 401, times: 1 });
    },
    fail: (status, times, retryAfter) => void fake.control.injectFault({ path: '/v1.0/', status, times, retryAfter }),
    close: () => fake.close(),
  };
}
