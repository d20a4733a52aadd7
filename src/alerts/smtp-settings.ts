import { SETTING_KEYS } from '../settings/settings.service';

/** What the wizard and the admin settings page collect (SPEC.md "Settings to store"). */
export interface SmtpSettings {
  host: string;
  port: number;
  username?: string | null;
  password?: string | null;
  fromAddress: string;
}

/** The SMTP part of the settings table, or null when no usable server is configured. */
export function smtpFromSettings(values: Record<string, string | null>): SmtpSettings | null {
  const host = values[SETTING_KEYS.smtpHost]?.trim();
  const from = values[SETTING_KEYS.smtpFromAddress]?.trim();
  if (!host || !from) return null;
  const port = Number(values[SETTING_KEYS.smtpPort] ?? 587);
  return {
    host,
    port: Number.isInteger(port) && port > 0 && port < 65536 ? port : 587,
    username: values[SETTING_KEYS.smtpUsername] || null,
    password: values[SETTING_KEYS.smtpPassword] || null,
    fromAddress: from,
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
