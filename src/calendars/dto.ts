import { Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsNotEmpty, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

/** Google calendar ids are emails or `...@group.calendar.google.com`; 1024 is Google's own id limit. */
const CALENDAR_ID_MAX = 1024;

export class ConnectCalendarDto {
  @IsInt({ message: 'accountId must be the id of one of your connected accounts (GET /api/accounts)' })
  @Min(1)
  @Max(2 ** 31 - 1)
  accountId: number;

  @IsString()
  @IsNotEmpty({ message: 'calendarId must name a calendar of the account (GET /api/accounts/:id/calendars)' })
  @MaxLength(CALENDAR_ID_MAX)
  calendarId: string;

  /** Only show what connecting would write: nothing stored, nothing written to Google. */
  @IsOptional()
  @IsBoolean({ message: 'dryRun must be true or false' })
  dryRun?: boolean;
}

/** The calendar picker's form (`POST /app/connect`): strings, as a browser posts them; no choice is the handler's 400. */
export class ConnectPickForm {
  @Type(() => Number)
  @IsInt({ message: 'accountId must be the id of one of your connected accounts' })
  @Min(1)
  @Max(2 ** 31 - 1)
  accountId: number;

  @IsOptional()
  @IsString()
  @MaxLength(CALENDAR_ID_MAX)
  calendarId?: string;

  /** A client calendar is connected only once the user saw its dry run and confirmed. */
  @IsOptional()
  @IsIn(['true'], { message: 'confirmed must be "true"' })
  confirmed?: string;
}

export class MainCalendarDto {
  @IsString()
  @IsNotEmpty({ message: 'calendarId must name one of your calendars (GET /api/me/calendars)' })
  @MaxLength(CALENDAR_ID_MAX)
  calendarId: string;
}

export class AlertPreferencesDto {
  @IsBoolean({ message: 'emailAlerts must be true or false' })
  emailAlerts: boolean;
}

/** `GET /api/sync/log?page&calendarId&status` */
export class SyncLogQueryDto {
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'page must be a whole number from 1' })
  @Min(1, { message: 'page must be a whole number from 1' })
  @Max(100000)
  page?: number;

  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'calendarId must be the id of one of your calendars' })
  @Min(1)
  @Max(2 ** 31 - 1)
  calendarId?: number;

  @IsOptional()
  @IsIn(['success', 'failure', 'warning'], { message: 'status must be success, failure or warning' })
  status?: 'success' | 'failure' | 'warning';
}
