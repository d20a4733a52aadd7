import { Transform, Type } from 'class-transformer';
import { IsSmtpHost, SMTP_SECURITY, SMTP_SECURITY_MESSAGE, SmtpSecurity } from '../alerts/smtp-settings';
import {
  IsBoolean,
  IsDateString,
  IsEmail,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';

const toBool = ({ value }: { value: unknown }) =>
  value === ''
    ? undefined
    : value === 'true' || value === true
      ? true
      : value === 'false' || value === false
        ? false
        : value;
const blankToUndefined = ({ value }: { value: unknown }) => (value === '' ? undefined : value);

export class UserListQueryDto {
  @IsOptional() @IsString() @MaxLength(200) @Transform(blankToUndefined) search?: string;
  @IsOptional() @Transform(toBool) @IsBoolean({ message: 'admin must be true or false' }) admin?: boolean;
  @IsOptional()
  @Transform(blankToUndefined)
  @IsIn(['ok', 'warning', 'error', 'none'], { message: 'status must be ok, warning, error or none' })
  status?: 'ok' | 'warning' | 'error' | 'none';
}

export class LogQueryDto {
  @IsOptional()
  @Transform(blankToUndefined)
  @Type(() => Number)
  @IsInt({ message: 'page must be a whole number' })
  @Min(1)
  @Max(1_000_000)
  page?: number;
  @IsOptional()
  @Transform(blankToUndefined)
  @Type(() => Number)
  @IsInt({ message: 'pageSize must be a whole number' })
  @Min(1)
  @Max(200)
  pageSize?: number;
  @IsOptional()
  @Transform(blankToUndefined)
  @Type(() => Number)
  @IsInt({ message: 'userId must be a user id' })
  @Min(1)
  @Max(2 ** 31 - 1)
  userId?: number;
  @IsOptional()
  @Transform(blankToUndefined)
  @Type(() => Number)
  @IsInt({ message: 'calendarId must be a calendar id' })
  @Min(1)
  @Max(2 ** 31 - 1)
  calendarId?: number;
  @IsOptional()
  @Transform(blankToUndefined)
  @IsString()
  @Matches(/^[a-z_]{1,40}$/, { message: 'action must be an action name such as sync or full_sync' })
  action?: string;
  @IsOptional()
  @Transform(blankToUndefined)
  @IsIn(['success', 'failure', 'warning'], { message: 'status must be success, failure or warning' })
  status?: 'success' | 'failure' | 'warning';
  @IsOptional()
  @Transform(blankToUndefined)
  @IsDateString({}, { message: 'from must be a date (YYYY-MM-DD or ISO 8601)' })
  from?: string;
  @IsOptional()
  @Transform(blankToUndefined)
  @IsDateString({}, { message: 'to must be a date (YYYY-MM-DD or ISO 8601)' })
  to?: string;
}

export class SetAdminDto {
  @IsBoolean({ message: 'isAdmin must be true or false' }) isAdmin: boolean;
}

export class FactoryResetDto {
  @IsOptional() confirm?: unknown;
}

/** Every field optional: only what is sent changes. Secrets left empty keep their stored value. */
export class SettingsDto {
  @IsOptional()
  @IsString()
  @MaxLength(512)
  @Matches(/^\S+$/, { message: 'googleClientId must not contain spaces' })
  googleClientId?: string;
  @IsOptional() @IsString() @MaxLength(512) googleClientSecret?: string;
  @IsOptional() @IsBoolean({ message: 'alertsEnabled must be true or false' }) alertsEnabled?: boolean;
  @IsOptional() @IsString() @IsSmtpHost({ allowEmpty: true }) smtpHost?: string;
  @IsOptional() @IsInt({ message: 'smtpPort must be a port number' }) @Min(1) @Max(65535) smtpPort?: number;
  @IsOptional() @IsString() @MaxLength(320) smtpUsername?: string;
  @IsOptional() @IsString() @MaxLength(1024) smtpPassword?: string;
  @IsOptional() @IsIn(SMTP_SECURITY, { message: SMTP_SECURITY_MESSAGE }) smtpSecurity?: SmtpSecurity;
  @IsOptional()
  @IsString()
  @MaxLength(320)
  @Matches(/^$|^[^\s@<>]+@[^\s@<>]+$/, { message: 'smtpFromAddress must be an email address' })
  smtpFromAddress?: string;
  @IsOptional() @IsString() @MaxLength(2000) alertEmails?: string;
}

export class TestEmailDto extends SettingsDto {
  @IsOptional() @IsEmail({}, { message: 'to must be an email address' }) @MaxLength(320) to?: string;
}
