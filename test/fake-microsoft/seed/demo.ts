import { DateTime } from 'luxon';
import { SeedData } from '../control/seed-types';

export const DEMO_MICROSOFT_APP = {
  clientId: '5f1c9a7e-0b7d-4c1e-9a57-d3e000000001',
  clientSecret: 'demo-microsoft-client-secret',
};

export const DEMO_TENANT = { domain: 'fabrikam.example', name: 'Fabrikam (Microsoft 365 client)' };

const WINDOWS_BERLIN = 'W. Europe Standard Time';

/** A timed event `days` from today at `hour` Berlin time, as a Graph client would POST it. */
function at(now: number, days: number, hour: number, minutes = 60) {
  const start = DateTime.fromMillis(now, { zone: 'Europe/Berlin' }).startOf('day').plus({ days, hours: hour });
  const fmt = (d: DateTime) => d.toFormat("yyyy-LL-dd'T'HH:mm:ss");
  return {
    start: { dateTime: fmt(start), timeZone: WINDOWS_BERLIN },
    end: { dateTime: fmt(start.plus({ minutes })), timeZone: WINDOWS_BERLIN },
  };
}

function allDay(now: number, days: number, length = 1) {
  const d = DateTime.fromMillis(now, { zone: 'UTC' }).startOf('day').plus({ days });
  const fmt = (x: DateTime) => x.toFormat("yyyy-LL-dd'T'00:00:00");
  return {
    isAllDay: true,
    start: { dateTime: fmt(d), timeZone: 'UTC' },
    end: { dateTime: fmt(d.plus({ days: length })), timeZone: 'UTC' },
  };
}

/**
 * A consultancy's client that runs Microsoft 365: the consultant Alice has a Fabrikam account, colleagues share a
 * read-only project calendar with her, and she also has a personal Microsoft account. Dates follow `now`.
 */
export function demoSeed(now: number): SeedData {
  const standup = at(now, 1, 9, 15);
  return {
    tenants: [{ ...DEMO_TENANT, userConsent: 'all' }],
    apps: [{ ...DEMO_MICROSOFT_APP, name: 'BusyBridge (demo)', redirectUris: [] }],
    users: [
      { userPrincipalName: 'alice@fabrikam.example', displayName: 'Alice at Fabrikam' },
      { userPrincipalName: 'bob@fabrikam.example', displayName: 'Bob at Fabrikam', calendars: ['Fabrikam Projects'] },
      { userPrincipalName: 'rooms@fabrikam.example', displayName: 'Fabrikam Rooms', mail: null },
      { userPrincipalName: 'alice@outlook.example', displayName: 'Alice Personal', personal: true },
    ],
    shares: [
      { owner: 'bob@fabrikam.example', calendar: 'Fabrikam Projects', with: 'alice@fabrikam.example', role: 'read' },
    ],
    events: [
      {
        mailbox: 'alice@fabrikam.example',
        event: { subject: 'Fabrikam kickoff', ...at(now, 1, 10, 90), showAs: 'busy' },
      },
      {
        mailbox: 'alice@fabrikam.example',
        event: {
          subject: 'Fabrikam daily stand-up',
          ...standup,
          recurrence: {
            pattern: {
              type: 'weekly',
              interval: 1,
              daysOfWeek: ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'],
              firstDayOfWeek: 'monday',
            },
            range: { type: 'numbered', startDate: standup.start.dateTime.slice(0, 10), numberOfOccurrences: 20 },
          },
        },
      },
      {
        mailbox: 'alice@fabrikam.example',
        event: {
          subject: 'Fabrikam security review',
          ...at(now, 3, 14),
          sensitivity: 'private',
          categories: ['Red category'],
        },
      },
      {
        mailbox: 'alice@fabrikam.example',
        event: { subject: 'Focus time (free)', ...at(now, 2, 13, 120), showAs: 'free' },
      },
      {
        mailbox: 'bob@fabrikam.example',
        calendar: 'Fabrikam Projects',
        event: { subject: 'Release freeze', ...allDay(now, 5, 2) },
      },
      {
        mailbox: 'bob@fabrikam.example',
        event: {
          subject: 'Bob: steering committee',
          ...at(now, 2, 11),
          attendees: [{ emailAddress: { address: 'alice@fabrikam.example', name: 'Alice at Fabrikam' } }],
        },
      },
      {
        mailbox: 'alice@outlook.example',
        event: { subject: 'Dentist', ...at(now, 2, 8, 45), sensitivity: 'private' },
        legacyCustomZone: true,
      },
    ],
  };
}
