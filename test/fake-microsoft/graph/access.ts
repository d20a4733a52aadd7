import { Graph } from '../errors';
import { isWellFormedItemId } from '../ids';
import { Calendar, StoredEvent, User } from '../model';
import { World } from '../world';
import { findById } from './instances';

/** Who calls (token owner) and whose mailbox the path names (`/me` or `/users/{id|upn}`). */
export interface Caller {
  user: User;
  mailbox: User;
  clientId: string;
  scopes: string[];
}

/** Own calendars plus those shared with the caller; for another mailbox only what it shared with the caller. */
export function visibleCalendars(world: World, c: Caller): Calendar[] {
  return [...world.calendars.values()].filter((cal) =>
    c.mailbox.id === c.user.id
      ? cal.ownerId === c.user.id || cal.sharedWith.has(c.user.id)
      : cal.ownerId === c.mailbox.id && cal.sharedWith.has(c.user.id),
  );
}

export function canEdit(cal: Calendar, userId: string): boolean {
  return cal.ownerId === userId || cal.sharedWith.get(userId) === 'write';
}

export function requireEdit(cal: Calendar, c: Caller): void {
  if (!canEdit(cal, c.user.id)) throw Graph.accessDenied();
}

/** The named calendar, or the mailbox's default one. */
export function calendarFor(world: World, c: Caller, calendarId?: string): Calendar {
  if (calendarId === undefined) {
    const def = world.defaultCalendar(c.mailbox.id);
    if (!def || !visibleCalendars(world, c).includes(def)) throw Graph.accessDenied();
    return def;
  }
  if (!isWellFormedItemId(calendarId)) throw Graph.malformedId();
  const cal = visibleCalendars(world, c).find((x) => x.id === calendarId);
  if (!cal) throw Graph.notFound();
  return cal;
}

/** An event (or occurrence) the caller may see; optionally restricted to one calendar. */
export function eventFor(world: World, c: Caller, id: string, calendarId?: string): { ev: StoredEvent; cal: Calendar } {
  if (!isWellFormedItemId(id)) throw Graph.malformedId();
  const ev = findById(world, id);
  const cal = ev && world.calendars.get(ev.calendarId);
  if (!ev || !cal || !visibleCalendars(world, c).includes(cal) || (calendarId !== undefined && cal.id !== calendarId))
    throw Graph.notFound();
  if (calendarId === undefined && cal.ownerId !== c.mailbox.id) {
    // /me/events/{id} reaches the mailbox's own calendars; a shared calendar's items need its calendar path.
    throw Graph.notFound();
  }
  return { ev, cal };
}
