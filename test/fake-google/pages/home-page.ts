import { FastifyInstance } from 'fastify';
import { DateTime } from 'luxon';
import { Emulator } from '../emulator';
import { esc, page } from '../../fake-shared/html';
import { EventResource } from '../model';

function when(ev: EventResource, zone: string): string {
  if (ev.start?.date) return `${ev.start.date} (all day)`;
  const s = ev.start?.dateTime ? DateTime.fromISO(ev.start.dateTime, { setZone: true }).setZone(zone) : undefined;
  const e = ev.end?.dateTime ? DateTime.fromISO(ev.end.dateTime, { setZone: true }).setZone(zone) : undefined;
  return s ? `${s.toFormat('ccc dd LLL HH:mm')}${e ? `–${e.toFormat('HH:mm')}` : ''}` : '';
}

/** A person trying the demo watches busy blocks appear here. Every piece of text is escaped. */
export function registerHomePage(app: FastifyInstance, emu: Emulator): void {
  app.get('/', async (_req, reply) => {
    const sections = [...emu.world.calendars.values()].map((cal) => {
      const rows = [...cal.events.values()]
        .map((e) => e.data)
        .sort((a, b) =>
          String(a.start?.dateTime ?? a.start?.date).localeCompare(String(b.start?.dateTime ?? b.start?.date)),
        )
        .map((ev) => {
          const cls = ev.status === 'cancelled' ? ' class="cancelled"' : '';
          const extra = [
            ev.recurrence ? 'recurring' : '',
            ev.recurringEventId ? 'exception' : '',
            ev.transparency === 'transparent' ? 'free' : 'busy',
          ]
            .filter(Boolean)
            .join(', ');
          return `<tr${cls}><td>${esc(when(ev, cal.timeZone))}</td><td>${esc(ev.summary ?? '(no title)')}</td><td><small>${esc(extra)} · ${esc(ev.organizer?.email)}</small></td></tr>`;
        })
        .join('');
      const acl = [...cal.acl].map(([k, v]) => `${k}: ${v}`).join(', ');
      return `<h2>${esc(cal.summary)}</h2><p><small>${esc(cal.id)} · ${esc(cal.timeZone)}${acl ? ` · shared with ${esc(acl)}` : ''}</small></p>
<table><tr><th>When (${esc(cal.timeZone)})</th><th>Summary</th><th></th></tr>${rows || '<tr><td colspan="3"><small>no events</small></td></tr>'}</table>`;
    });
    const clients = [...emu.world.clients.values()]
      .map((c) => `<li><code>${esc(c.clientId)}</code> / <code>${esc(c.clientSecret)}</code></li>`)
      .join('');
    return reply
      .type('text/html')
      .header('refresh', '5')
      .send(
        page('Google emulator', `<h1>Google emulator</h1><p>OAuth clients:</p><ul>${clients}</ul>${sections.join('')}`),
      );
  });
}
