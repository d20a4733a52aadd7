import { BadRequestException, ConflictException, HttpException, ServiceUnavailableException } from '@nestjs/common';
import { GoogleApiError } from '../google/google-errors';

/**
 * What a user-facing request answers when Google refuses or fails while we look at an account's
 * calendars. Only Google being unreachable is a 5xx (503, try again); everything else is the user's to fix.
 */
export function httpErrorFromGoogle(error: unknown, account: string): HttpException {
  if (!(error instanceof GoogleApiError))
    return error instanceof HttpException
      ? error
      : new ServiceUnavailableException(`Google could not be reached for ${account}; try again shortly`);
  switch (error.kind) {
    case 'auth_revoked':
      return new ConflictException(
        `Google no longer accepts the connection of ${account}: it needs re-authentication (connect the account again)`,
      );
    case 'insufficient_scope':
      return new ConflictException(
        `The connection of ${account} lacks a permission BusyBridge needs: connect the account again and allow every requested permission`,
      );
    case 'not_found':
    case 'forbidden':
      return new BadRequestException(`${account} cannot see that calendar (it is not in the account's calendar list)`);
    case 'bad_request':
      return new BadRequestException(`Google refused the request for ${account}: ${error.message}`);
    default:
      return new ServiceUnavailableException(
        `Google could not answer for ${account} right now (${error.kind}); try again shortly`,
      );
  }
}

/** Google's calendarList entry, reduced to docs/api.md's `{id, summary, primary, accessRole}`. */
export interface CalendarChoice {
  id: string;
  summary: string;
  primary: boolean;
  accessRole: string;
}
