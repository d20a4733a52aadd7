import { GoogleCalendarApi, GoogleEvent } from '../../google/calendar-api';
import { GoogleApiError } from '../../google/google-errors';

export interface Changes {
  items: GoogleEvent[];
  nextSyncToken: string | null;
  /** True when this is a complete listing (no token, or the token expired): absence then means deleted. */
  full: boolean;
}

/**
 * Incremental listing with the stored token; without one, or when Google answers 410 (token expired),
 * a full listing of the live events from `windowStart` on. Every page is read before a token is returned.
 */
export async function fetchChanges(
  api: GoogleCalendarApi,
  calendarId: string,
  syncToken: string | null,
  windowStart: Date,
): Promise<Changes> {
  if (syncToken) {
    try {
      const changes = await api.listEvents(calendarId, { syncToken });
      return { ...changes, full: false };
    } catch (error) {
      if (!(error instanceof GoogleApiError) || error.kind !== 'sync_token_expired') throw error;
    }
  }
  const listing = await api.listEvents(calendarId, { timeMin: windowStart.toISOString(), showDeleted: false });
  return { ...listing, full: true };
}
