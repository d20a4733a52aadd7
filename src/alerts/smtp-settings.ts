import { isIP } from 'node:net';
import { ValidateBy, ValidationOptions } from 'class-validator';
import { SETTING_KEYS } from '../settings/settings.service';

/**
 * How the connection to the SMTP server is protected: STARTTLS required (the default), implicit TLS (port 465),
 * or plain SMTP, which the admin must choose explicitly (a relay on the same host or network).
 */
export const SMTP_SECURITY = ['starttls', 'tls', 'none'] as const;
export type SmtpSecurity = (typeof SMTP_SECURITY)[number];

/** What the wizard and the admin settings page collect. */
export interface SmtpSettings {
  host: string;
  port: number;
  username?: string | null;
  password?: string | null;
  fromAddress: string;
  security: SmtpSecurity;
}

export function isSmtpSecurity(value: unknown): value is SmtpSecurity {
  return typeof value === 'string' && (SMTP_SECURITY as readonly string[]).includes(value);
}

const LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

/** The one test of an SMTP host, for the wizard, the admin API and the admin form: a DNS name or an IP address. */
export function isSmtpHost(value: unknown): value is string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 253) return false;
  const bracketed = /^\[(.+)\]$/.exec(value)?.[1];
  if (bracketed) return isIP(bracketed) === 6;
  if (isIP(value) !== 0) return true;
  return value
    .replace(/\.$/, '')
    .split('.')
    .every((label) => LABEL.test(label));
}

export const SMTP_SECURITY_MESSAGE = 'smtpSecurity must be starttls, tls or none';
export const SMTP_HOST_MESSAGE = 'smtpHost must be a host name or IP address';

/** class-validator face of isSmtpHost; `allowEmpty` where an empty field clears the setting. */
export function IsSmtpHost(options: { allowEmpty?: boolean } = {}, validation?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isSmtpHost',
      validator: {
        validate: (v: unknown) => (options.allowEmpty && v === '') || isSmtpHost(v),
        defaultMessage: () => SMTP_HOST_MESSAGE,
      },
    },
    validation,
  );
}

/** The SMTP part of the settings table, or null when no usable server is configured. */
export function smtpFromSettings(values: Record<string, string | null>): SmtpSettings | null {
  const host = values[SETTING_KEYS.smtpHost]?.trim();
  const from = values[SETTING_KEYS.smtpFromAddress]?.trim();
  if (!host || !from) return null;
  const port = Number(values[SETTING_KEYS.smtpPort] ?? 587);
  const security = values[SETTING_KEYS.smtpSecurity];
  return {
    host,
    port: Number.isInteger(port) && port > 0 && port < 65536 ? port : 587,
    username: values[SETTING_KEYS.smtpUsername] || null,
    password: values[SETTING_KEYS.smtpPassword] || null,
    fromAddress: from,
    // Absent (settings saved before the choice existed) means the safe default.
    security: isSmtpSecurity(security) ? security : 'starttls',
  };
}

/**
 * Alerts go out only with SMTP configured; `alerts_enabled` = 'false' switches them off explicitly
 * (absent means on, so a server configured before that key existed keeps alerting).
 */
export function alertsEnabled(values: Record<string, string | null>): boolean {
  return values[SETTING_KEYS.alertsEnabled] !== 'false' && smtpFromSettings(values) !== null;
}

/** alert_emails: extra recipients, separated by commas, semicolons or white space. */
export function extraRecipients(values: Record<string, string | null>): string[] {
  return (values[SETTING_KEYS.alertEmails] ?? '')
    .split(/[\s,;]+/)
    .map((e) => e.trim())
    .filter((e) => /^[^\s@]+@[^\s@]+$/.test(e));
}
