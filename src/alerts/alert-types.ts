import { AlertType } from '../database/entities';

export type { AlertType };

export interface AlertTypeInfo {
  /** Short human title, used in the subject and the heading. */
  title: string;
  /** The alert types: the last two go to admins only. */
  adminsOnly: boolean;
  /** What the reader should do when the caller gives nothing more specific. */
  defaultAction: string;
}

export const ALERT_TYPES: Record<AlertType, AlertTypeInfo> = {
  token_revoked: {
    title: 'Google access revoked',
    adminsOnly: false,
    defaultAction:
      'Sign in to BusyBridge and reconnect this Google account; syncing of its calendars is paused until then.',
  },
  calendar_inaccessible: {
    title: 'Calendar inaccessible',
    adminsOnly: false,
    defaultAction:
      'Check that the calendar still exists and is shared with the connected account, then reconnect or disconnect it.',
  },
  sync_failures: {
    title: 'Repeated sync failures',
    adminsOnly: false,
    defaultAction:
      'BusyBridge keeps retrying. If this persists, open the dashboard and run a full re-sync, or ask your administrator.',
  },
  webhook_registration_failed: {
    title: 'Push notification registration failed',
    adminsOnly: true,
    defaultAction:
      'Check that PUBLIC_URL is reachable over HTTPS from Google. Periodic polling keeps calendars in sync meanwhile.',
  },
  system_error: {
    title: 'System error',
    adminsOnly: true,
    defaultAction: 'Check the server logs around this time. BusyBridge keeps running and retries on its next schedule.',
  },
};

export function isAlertType(value: string): value is AlertType {
  return Object.prototype.hasOwnProperty.call(ALERT_TYPES, value);
}
