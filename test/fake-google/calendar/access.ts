import { Errors } from '../errors';
import { Account, Calendar, Role, ROLE_RANK } from '../model';
import { World } from '../world';

/** Effective role: primary/data owner, then the caller's own ACL entry, their domain, then the public rule. */
export function roleOf(cal: Calendar, email: string): Role {
  const e = email.toLowerCase();
  if (cal.primaryOf === e || cal.dataOwner === e) return 'owner';
  const candidates: Role[] = [];
  const own = cal.acl.get(e);
  if (own) candidates.push(own);
  const domain = cal.acl.get(`domain:${e.split('@')[1]}`);
  if (domain) candidates.push(domain);
  const pub = cal.acl.get('default');
  if (pub) candidates.push(pub);
  return candidates.sort((a, b) => ROLE_RANK[b] - ROLE_RANK[a])[0] ?? 'none';
}

/** Google hides calendars the caller cannot see behind 404, never 403. */
export function resolveCalendar(world: World, account: Account, idParam: string): { cal: Calendar; role: Role } {
  const id = idParam === 'primary' ? account.email : idParam;
  const cal = world.calendar(id);
  const role = cal ? roleOf(cal, account.email) : 'none';
  if (!cal || role === 'none') throw Errors.notFound();
  return { cal, role };
}

export function requireWriter(role: Role): void {
  if (ROLE_RANK[role] < ROLE_RANK.writer) throw Errors.requiredAccessLevel();
}

export function visibleCalendars(world: World, account: Account): Array<{ cal: Calendar; role: Role }> {
  return [...world.calendars.values()]
    .map((cal) => ({ cal, role: roleOf(cal, account.email) }))
    .filter((x) => x.role !== 'none');
}
