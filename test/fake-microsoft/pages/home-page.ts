import { FastifyInstance } from 'fastify';
import { DateTime } from 'luxon';
import { esc, page } from '../../fake-shared/html';
import { Emulator } from '../emulator';
import { instancesOf } from '../graph/instances';
import { ianaZone } from '../graph/time';
import { StoredEvent, User } from '../model';

const HORIZON_MS = 60 * 86_400_000;

function when(ev: StoredEvent): string {
  const zone = ianaZone(ev.zone) ?? 'UTC';
  const s = DateTime.fromMillis(ev.startMs, { zone });
  if (ev.fields.isAllDay) return `${s.toISODate()} (all day)`;
  return `${s.toFormat('ccc dd LLL HH:mm')}–${DateTime.fromMillis(ev.endMs, { zone }).toFormat('HH:mm')} ${zone}`;
}

function row(ev: StoredEvent): string {
  const f = ev.fields;
  const facts = [
    ev.type,
    f.showAs,
    f.sensitivity !== 'normal' ? f.sensitivity : '',
    f.categories.join('/'),
    ev.isOrganizer ? '' : `from ${ev.organizer.address}`,
    ev.transactionId ? 'transactionId' : '',
  ]
    .filter(Boolean)
    .join(' · ');
  return `<tr${f.isCancelled ? ' class="cancelled"' : ''}><td>${esc(when(ev))}</td><td>${esc(f.subject ?? '(no subject)')}</td><td><small>${esc(facts)}</small></td></tr>`;
}

function mailboxSection(emu: Emulator, u: User): string {
  const world = emu.world;
  const tenant = world.tenants.get(u.tenantId);
  const now = world.clock.now();
  const cals = [...world.calendars.values()]
    .filter((c) => c.ownerId === u.id)
    .map((cal) => {
      const items = world
        .eventsOf(cal.id)
        .flatMap((e) =>
          e.type === 'seriesMaster'
            ? instancesOf(world, e, now - HORIZON_MS, now + HORIZON_MS)
            : e.type === 'exception'
              ? []
              : [e],
        );
      const rows =
        items
          .sort((a, b) => a.startMs - b.startMs)
          .map(row)
          .join('') || '<tr><td colspan="3"><small>no events</small></td></tr>';
      const shared = [...cal.sharedWith]
        .map(([id, role]) => `${world.users.get(id)?.userPrincipalName}: ${role}`)
        .join(', ');
      return `<h3>${esc(cal.name)}${cal.isDefault ? ' (default)' : ''}</h3>${shared ? `<p><small>shared with ${esc(shared)}</small></p>` : ''}<table><tr><th>When</th><th>Subject</th><th></th></tr>${rows}</table>`;
    });
  const who = `${u.userPrincipalName}${u.mail === null ? ' · mail: null' : ''} · ${u.personal ? 'personal account' : esc(tenant?.name ?? '')}`;
  return `<h2>${esc(u.displayName)}</h2><p><small>${esc(who)}</small></p>${cals.join('')}`;
}

function mailLog(emu: Emulator): string {
  const rows = emu.world.mails
    .map(
      (m) =>
        `<tr><td><small>${esc(m.time)}</small></td><td>${esc(m.kind)}</td><td>${esc(m.from)} → ${esc(m.to.join(', '))}</td><td>${esc(m.subject)}</td></tr>`,
    )
    .join('');
  return `<h2>Mail Microsoft 365 would have sent</h2><table><tr><th>When</th><th>Kind</th><th>From → to</th><th>Subject</th></tr>${rows || '<tr><td colspan="4"><small>none</small></td></tr>'}</table>`;
}

/** Every mailbox, its calendars and events, and the invitation/cancellation mail writes caused. Text is escaped. */
export function registerHomePage(app: FastifyInstance, emu: Emulator): void {
  app.get('/', async (_req, reply) => {
    const apps = [...emu.world.apps.values()]
      .map(
        (a) =>
          `<li><code>${esc(a.clientId)}</code>${a.clientSecret ? ` / <code>${esc(a.clientSecret)}</code>` : ' (public client)'}</li>`,
      )
      .join('');
    const tenants = [...emu.world.tenants.values()]
      .map(
        (t) =>
          `<li>${esc(t.name)}: <code>${esc(t.id)}</code> (${esc(t.domain)}, user consent: ${esc(t.userConsent)})</li>`,
      )
      .join('');
    const boxes = [...emu.world.users.values()].map((u) => mailboxSection(emu, u)).join('');
    const body = `<h1>Microsoft 365 emulator</h1><p>App registrations:</p><ul>${apps}</ul><p>Tenants:</p><ul>${tenants}</ul>${mailLog(emu)}${boxes}`;
    return reply.type('text/html').header('refresh', '5').send(page('Microsoft 365 emulator', body));
  });
}
