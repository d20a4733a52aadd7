import { Transform } from 'class-transformer';
import { IsSmtpHost, SMTP_SECURITY, SMTP_SECURITY_MESSAGE, SmtpSecurity } from '../alerts/smtp-settings';
import {
  Equals,
  IsBoolean,
  IsEmail,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
} from 'class-validator';

/** Forms send strings ("true", "on", a hidden "false" followed by a checked "true"); JSON sends booleans. */
function toBoolean({ value }: { value: unknown }): unknown {
  const v = Array.isArray(value) ? value[value.length - 1] : value;
  if (v === true || v === 'true' || v === 'on') return true;
  if (v === false || v === 'false') return false;
  return v;
}

function toInteger({ value }: { value: unknown }): unknown {
  return typeof value === 'string' && /^\d{1,5}$/.test(value.trim()) ? Number(value.trim()) : value;
}

function trimmed({ value }: { value: unknown }): unknown {
  return typeof value === 'string' ? value.trim() : value;
}

export class CredentialsDto {
  @Transform(trimmed)
  @IsString()
  @Length(1, 512, { message: 'clientId is required (the Client ID of your Google OAuth client)' })
  @Matches(/^\S+$/, { message: 'clientId must not contain spaces' })
  clientId: string;

  @Transform(trimmed)
  @IsString()
  @Length(1, 512, { message: 'clientSecret is required (the Client Secret of your Google OAuth client)' })
  @Matches(/^\S+$/, { message: 'clientSecret must not contain spaces' })
  clientSecret: string;
}

export class ConfirmDto {
  @Transform(toBoolean)
  @IsBoolean()
  @Equals(true, { message: 'confirm must be true to restrict the service to this domain' })
  confirm: boolean;
}

export class SmtpDto {
  @Transform(toBoolean)
  @IsBoolean({ message: 'enabled must be true or false' })
  enabled: boolean;

  @ValidateIf((o: SmtpDto) => o.enabled === true)
  @Transform(trimmed)
  @IsString()
  @Length(1, 255, { message: 'smtpHost is required when email alerts are enabled' })
  @IsSmtpHost()
  smtpHost?: string;

  @ValidateIf((o: SmtpDto) => o.enabled === true)
  @Transform(toInteger)
  @IsInt({ message: 'smtpPort must be a whole number such as 587' })
  @Min(1)
  @Max(65535)
  smtpPort?: number;

  @IsOptional()
  @Transform(trimmed)
  @IsString()
  @MaxLength(255)
  smtpUsername?: string;

  @IsOptional()
  @IsString()
  @MaxLength(1024)
  smtpPassword?: string;

  @IsOptional()
  @IsIn(SMTP_SECURITY, { message: SMTP_SECURITY_MESSAGE })
  smtpSecurity?: SmtpSecurity;

  @ValidateIf((o: SmtpDto) => o.enabled === true)
  @Transform(trimmed)
  @IsEmail({}, { message: 'fromAddress must be an email address' })
  fromAddress?: string;

  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (Array.isArray(value) ? value.join(',') : value))
  @IsString()
  @MaxLength(2000)
  adminEmails?: string;
}

export class SavedKeyDto {
  @Transform(toBoolean)
  @IsBoolean({ message: 'savedKey must be true' })
  @Equals(true, { message: 'Tick "I have saved this encryption key" first: it is shown only once' })
  savedKey: boolean;
}
