import { MARKER_KEY } from '../../../src/sync/rules/eligibility';
import { FakeGoogle, SeedData } from '../../fake-google';
import { CLIENT_ID, CLIENT_SECRET } from '../../setup/support';

export const HOME = 'home.example';

/** Two consultants (Ann runs the wizard and is the admin); Ann has two client organisations and a personal Gmail, Ben one client. */
export const DRILL_WORLD: SeedData = {
  domains: [HOME, 'acme.example', 'globex.example', 'initech.example'],
  clients: [{ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET }],
  accounts: [
    { email: 'ann@home.example', name: 'Ann Consultant' },
    { email: 'ben@home.example', name: 'Ben Consultant' },
    { email: 'ann@acme.example' },
    { email: 'ann@globex.example' },
    { email: 'ann.personal@gmail.example', hd: null },
    { email: 'ben@initech.example' },
  ],
};

/** Live (not cancelled) events BusyBridge wrote on a calendar, by summary. */
export function managedSummaries(fake: FakeGoogle, calendarId: string): string[] {
  return fake.control
    .calendarState(calendarId)
    .filter((e) => e.data.status !== 'cancelled' && e.data.extendedProperties?.private?.[MARKER_KEY] !== undefined)
    .map((e) => e.data.summary ?? '')
    .sort();
}

export function tomorrowAt(hour: number, plusDays = 1): { dateTime: string } {
  const d = new Date();
  d.setUTCDate(d.getUTCDate() + plusDays);
  d.setUTCHours(hour, 0, 0, 0);
  return { dateTime: d.toISOString() };
}
