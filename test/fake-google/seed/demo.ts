import { DateTime } from 'luxon';
import { SeedData } from '../control/seed-types';

export const DEMO_CLIENT = {
  clientId: 'demo-client-id.apps.googleusercontent.com',
  clientSecret: 'demo-client-secret',
};

/** Timed event `days` from today at `hour` local time in `zone`. */
function at(now: number, zone: string, days: number, hour: number, minutes = 60) {
  const start = DateTime.fromMillis(now, { zone }).startOf('day').plus({ days, hours: hour });
  const fmt = (d: DateTime) => d.toISO({ suppressMilliseconds: true })!;
  return {
    start: { dateTime: fmt(start), timeZone: zone },
    end: { dateTime: fmt(start.plus({ minutes })), timeZone: zone },
  };
}

function allDay(now: number, days: number, length = 1) {
  const d = DateTime.fromMillis(now, { zone: 'UTC' }).startOf('day').plus({ days });
  return { start: { date: d.toISODate()! }, end: { date: d.plus({ days: length }).toISODate()! } };
}

/**
 * The demo organisation: a consultancy (home domain) whose consultants work for three client organisations,
 * plus one personal consumer account. Dates are relative to `now` so the demo always shows upcoming work.
 */
export function demoSeed(now: number): SeedData {
  const ny = 'America/New_York';
  const ber = 'Europe/Berlin';
  const ldn = 'Europe/London';
  return {
    domains: ['consultancy.example', 'acme.example', 'globex.example', 'initech.example'],
    clients: [{ ...DEMO_CLIENT, name: 'BusyBridge (demo)', redirectUris: [] }],
    accounts: [
      {
        email: 'alice@consultancy.example',
        name: 'Alice Consultant',
        timeZone: ldn,
        calendarSummary: 'Alice (Consultancy)',
      },
      { email: 'bob@consultancy.example', name: 'Bob Consultant', timeZone: ldn, calendarSummary: 'Bob (Consultancy)' },
      {
        email: 'carol@consultancy.example',
        name: 'Carol Consultant',
        timeZone: ber,
        calendarSummary: 'Carol (Consultancy)',
      },
      { email: 'alice@acme.example', name: 'Alice at Acme', timeZone: ny, calendarSummary: 'Alice (Acme)' },
      { email: 'bob@acme.example', name: 'Bob at Acme', timeZone: ny, calendarSummary: 'Bob (Acme)' },
      { email: 'alice@globex.example', name: 'Alice at Globex', timeZone: ber, calendarSummary: 'Alice (Globex)' },
      { email: 'alice@initech.example', name: 'Alice at Initech', timeZone: ldn, calendarSummary: 'Alice (Initech)' },
      {
        email: 'alice.personal@gmail.example',
        name: 'Alice Personal',
        hd: null,
        timeZone: ldn,
        calendarSummary: 'Alice (personal)',
      },
    ],
    calendars: [
      {
        id: 'acme-projects@group.calendar.example',
        summary: 'Acme Projects (shared, read-only)',
        timeZone: ny,
        // Bob keeps it; the consultants only read it, so the connect picker shows it as read-only (never a client calendar).
        owner: 'bob@acme.example',
        acl: { 'alice@acme.example': 'reader', 'alice@consultancy.example': 'reader', 'domain:acme.example': 'reader' },
      },
    ],
    events: [
      { calendarId: 'alice@consultancy.example', event: { summary: 'Consultancy all-hands', ...at(now, ldn, 1, 9) } },
      { calendarId: 'bob@consultancy.example', event: { summary: 'Bob: pipeline review', ...at(now, ldn, 2, 14) } },
      { calendarId: 'carol@consultancy.example', event: { summary: 'Carol: hiring panel', ...at(now, ber, 1, 15) } },
      { calendarId: 'alice@acme.example', event: { summary: 'Acme sprint planning', ...at(now, ny, 1, 10, 90) } },
      {
        calendarId: 'alice@acme.example',
        event: {
          summary: 'Acme architecture review',
          ...at(now, ny, 3, 13),
          attendees: [{ email: 'alice@acme.example' }, { email: 'bob@acme.example' }],
        },
      },
      { calendarId: 'bob@acme.example', event: { summary: 'Acme customer call', ...at(now, ny, 2, 11, 30) } },
      {
        calendarId: 'acme-projects@group.calendar.example',
        event: { summary: 'Release freeze', ...allDay(now, 5, 2) },
      },
      { calendarId: 'alice@globex.example', event: { summary: 'Globex steering committee', ...at(now, ber, 2, 10) } },
      {
        calendarId: 'alice@globex.example',
        event: { summary: 'Globex data migration workshop', ...at(now, ber, 4, 13, 180) },
      },
      { calendarId: 'alice@initech.example', event: { summary: 'Initech TPS report review', ...at(now, ldn, 1, 16) } },
      {
        calendarId: 'alice@initech.example',
        event: { summary: 'Initech onboarding', ...at(now, ldn, 3, 9, 120), transparency: 'opaque' },
      },
      {
        calendarId: 'alice.personal@gmail.example',
        event: { summary: 'Dentist', ...at(now, ldn, 2, 8, 45), visibility: 'private' },
      },
      {
        calendarId: 'alice.personal@gmail.example',
        event: { summary: 'Yoga', ...at(now, ldn, 0, 18), recurrence: ['RRULE:FREQ=WEEKLY;COUNT=10'] },
      },
      { calendarId: 'alice.personal@gmail.example', event: { summary: 'Family visit', ...allDay(now, 6) } },
    ],
  };
}
