import { MailerService } from '@nestjs-modules/mailer';
import { Injectable, Logger } from '@nestjs/common';
import { createHash, randomUUID } from 'node:crypto';
import type SMTPTransport from 'nodemailer/lib/smtp-transport';
import { registerSecret, redactText } from '../logging/redact';
import { SettingsService } from '../settings/settings.service';
import { SmtpSettings, smtpFromSettings } from './smtp-settings';

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html?: string | null;
}

/** A send that did not go through; the message is safe to show and log (secrets redacted). */
export class MailSendError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MailSendError';
  }
}

/**
 * Sends mail through @nestjs-modules/mailer. SMTP settings live in the database and change without a
 * restart, so instead of the module's boot-time transport we register a named transporter per settings
 * fingerprint (MailerService.addTransporter) and drop the old one when the settings change.
 */
@Injectable()
export class MailService {
  private readonly logger = new Logger(MailService.name);
  private current: { name: string; fingerprint: string } | null = null;

  constructor(
    private readonly mailer: MailerService,
    private readonly settings: SettingsService,
  ) {}

  /** The configured server, or null. */
  async configuredSmtp(): Promise<SmtpSettings | null> {
    return smtpFromSettings(await this.settings.getAll());
  }

  /** Sends with the stored settings; throws MailSendError when none are configured or the send fails. */
  async send(mail: OutgoingMail): Promise<void> {
    const smtp = await this.configuredSmtp();
    if (!smtp) throw new MailSendError('SMTP is not configured');
    await this.deliver(this.transporterFor(smtp), smtp, mail);
  }

  /** "Send Test Email" of the wizard and the admin settings: uses the given, possibly unsaved, settings. */
  async sendTestEmail(smtp: SmtpSettings, to: string): Promise<void> {
    const name = `test-${randomUUID()}`;
    this.mailer.addTransporter(name, transportOptions(smtp));
    try {
      await this.deliver(name, smtp, {
        to,
        subject: 'BusyBridge test email',
        text: 'This is a test email from BusyBridge. Your SMTP settings work: alerts will be delivered to this server.',
      });
    } finally {
      this.mailer.removeTransporter(name);
    }
  }

  private async deliver(transporterName: string, smtp: SmtpSettings, mail: OutgoingMail): Promise<void> {
    registerSecret(smtp.password);
    try {
      await this.mailer.sendMail({
        transporterName,
        from: smtp.fromAddress,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        ...(mail.html ? { html: mail.html } : {}),
      });
    } catch (error) {
      throw new MailSendError(describe(error));
    }
  }

  private transporterFor(smtp: SmtpSettings): string {
    const fingerprint = createHash('sha256').update(JSON.stringify(smtp)).digest('hex');
    if (this.current?.fingerprint === fingerprint) return this.current.name;
    if (this.current) this.mailer.removeTransporter(this.current.name);
    const name = `smtp-${fingerprint.slice(0, 12)}`;
    this.mailer.addTransporter(name, transportOptions(smtp));
    this.current = { name, fingerprint };
    this.logger.log('SMTP transport configured', { host: smtp.host, port: smtp.port });
    return name;
  }
}

function transportOptions(smtp: SmtpSettings): SMTPTransport.Options {
  return {
    host: smtp.host,
    port: smtp.port,
    // Implicit TLS, or STARTTLS required (a server that does not offer it is refused, so the password never
    // crosses the network in clear), or plain SMTP when the admin chose it for a local relay.
    secure: smtp.security === 'tls',
    requireTLS: smtp.security === 'starttls',
    ignoreTLS: smtp.security === 'none',
    auth: smtp.username ? { user: smtp.username, pass: smtp.password ?? '' } : undefined,
    // A dead relay must not hold the alert job (or the wizard's request) for minutes.
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 20_000,
  };
}

function describe(error: unknown): string {
  const e = error as { message?: unknown; responseCode?: unknown; code?: unknown };
  const text = typeof e?.message === 'string' ? e.message : String(error);
  const code =
    typeof e?.responseCode === 'number'
      ? ` (SMTP ${e.responseCode})`
      : typeof e?.code === 'string'
        ? ` (${e.code})`
        : '';
  return redactText(`${text}${code}`).slice(0, 500);
}
