/** Dates as people read them, in the server's TZ (`TZ`); pages get strings, templates stay logic-free. */
export class TimeFormat {
  private readonly dateTime: Intl.DateTimeFormat;
  private readonly day: Intl.DateTimeFormat;
  private readonly time: Intl.DateTimeFormat;

  constructor(readonly timeZone: string) {
    this.dateTime = new Intl.DateTimeFormat('en-GB', { timeZone, dateStyle: 'medium', timeStyle: 'medium' });
    this.day = new Intl.DateTimeFormat('en-GB', { timeZone, weekday: 'short', day: 'numeric', month: 'short' });
    this.time = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit' });
  }

  full(at: Date | string | null | undefined): string {
    return at ? this.dateTime.format(new Date(at)) : 'never';
  }

  dayOf(at: Date | string): string {
    return this.day.format(new Date(at));
  }

  clock(at: Date | string): string {
    return this.time.format(new Date(at));
  }

  /** "3 min ago": the dashboard's last-sync column. */
  ago(at: Date | string | null | undefined, now: Date = new Date()): string {
    if (!at) return 'never';
    const s = Math.round((now.getTime() - new Date(at).getTime()) / 1000);
    if (s < 45) return 'just now';
    if (s < 3600) return `${Math.round(s / 60)} min ago`;
    if (s < 86400) return `${Math.round(s / 3600)} h ago`;
    return this.full(at);
  }
}

export type StatusKind = 'ok' | 'warning' | 'error';

/** The status indicator: ✓ green, ⚠ yellow, ✗ red. */
export const STATUS_SIGN: Record<StatusKind, { sign: string; label: string }> = {
  ok: { sign: '✓', label: 'In sync' },
  warning: { sign: '⚠', label: 'Retrying' },
  error: { sign: '✗', label: 'Needs attention' },
};

/** Fixed notices after a form post (post/redirect/get): the query carries a code, never text to reflect. */
export const NOTICES: Record<string, string> = {
  synced: 'Sync started.',
  disconnected: 'Calendar disconnected: everything BusyBridge created for it was removed.',
  resync: 'Full re-sync started: every calendar is read again from scratch.',
  main: 'Main calendar changed; a full re-sync is rebuilding everything on it.',
  prefs: 'Email preferences saved.',
  fresh: 'All client and personal calendars were disconnected. Connect them again to start fresh.',
  paused: 'Sync is paused for everyone.',
  resumed: 'Sync resumed.',
  cleanup: 'Retention cleanup finished.',
  reauth: 'The user must sign in and connect their accounts again.',
  promoted: 'The user is now an administrator.',
  demoted: 'The user is no longer an administrator.',
  removed: 'The user and all their data were removed.',
  settings: 'Settings saved.',
  queued: 'Sync queued for every calendar of this user.',
  connected: 'Calendar connected; its first sync is running.',
  policy: "Rules saved: this calendar's busy blocks were re-planned.",
  'test-email': 'Test email sent to your address. SMTP settings typed into the form are kept only once you save them.',
};

export function notice(query: unknown): string | undefined {
  const code = (query as Record<string, unknown> | undefined)?.done;
  return typeof code === 'string' ? NOTICES[code] : undefined;
}
