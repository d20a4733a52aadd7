import { SeedData } from '../fake-google';

/**
 * Two consultants of home.example. Ann: client accounts at acme (its primary, a project calendar it owns,
 * a board calendar it may only read) and globex, a personal Gmail. Ben: three client organisations, a
 * personal Gmail. Each user's home account has a writable secondary calendar and a read-only one.
 */
export const HOME_DOMAIN = 'home.example';

export const WORLD: SeedData = {
  domains: ['acme.example', 'globex.example', 'initech.example', 'umbrella.example', 'hooli.example'],
  accounts: [
    { email: 'ann@home.example', name: 'Ann Consultant' },
    { email: 'ben@home.example', name: 'Ben Consultant' },
    { email: 'ann@acme.example', name: 'Ann at Acme' },
    { email: 'ann@globex.example', name: 'Ann at Globex' },
    { email: 'ann.personal@gmail.example', name: 'Ann Personal', hd: null },
    { email: 'ben@initech.example' },
    { email: 'ben@umbrella.example' },
    { email: 'ben@hooli.example' },
    { email: 'ben.personal@gmail.example', hd: null },
  ],
  calendars: [
    { id: 'ann-work@group.home.example', summary: 'Ann work', owner: 'ann@home.example' },
    {
      id: 'company-holidays@group.home.example',
      summary: 'Company holidays',
      acl: { 'domain:home.example': 'reader' },
    },
    { id: 'acme-projects@group.acme.example', summary: 'Acme projects', owner: 'ann@acme.example' },
    { id: 'acme-board@group.acme.example', summary: 'Acme board', acl: { 'ann@acme.example': 'reader' } },
  ],
};

export interface CalendarRow {
  id: number;
  accountId: number;
  accountEmail: string;
  googleCalendarId: string;
  displayName: string | null;
  type: 'client' | 'personal';
  isActive: boolean;
  lastSyncAt: string | null;
  status: 'ok' | 'warning' | 'error';
  lastError: string | null;
}

export const ROW_KEYS = [
  'accountEmail',
  'accountId',
  'displayName',
  'googleCalendarId',
  'id',
  'isActive',
  'lastError',
  'lastSyncAt',
  'status',
  'type',
];

export interface Account {
  id: number;
  email: string;
  type: 'client' | 'personal';
}
