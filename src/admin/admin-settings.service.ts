import { BadRequestException, Injectable, Logger } from '@nestjs/common';
import { MailService } from '../alerts/mail.service';
import {
  alertsEnabled,
  extraRecipients,
  isSmtpSecurity,
  SmtpSecurity,
  SmtpSettings,
  smtpFromSettings,
} from '../alerts/smtp-settings';
import { EncryptionService } from '../crypto/encryption.service';
import { User } from '../database/entities';
import { OrganizationRepository } from '../database/repositories/organization.repository';
import { GoogleOAuthService } from '../google/google-oauth.service';
import { SETTING_KEYS, SettingsService } from '../settings/settings.service';
import { SettingsDto, TestEmailDto } from './admin.dto';

/** What GET /api/admin/settings shows: secrets only as "set" flags, never their value. */
export interface SettingsView {
  domain: string | null;
  googleClientId: string | null;
  googleClientSecret: string | null;
  googleClientSecretSet: boolean;
  alertsEnabled: boolean;
  alertsConfigured: boolean;
  smtpHost: string | null;
  smtpPort: number | null;
  smtpUsername: string | null;
  smtpPassword: string | null;
  smtpPasswordSet: boolean;
  smtpSecurity: SmtpSecurity;
  smtpFromAddress: string | null;
  alertEmails: string;
  syncPaused: boolean;
}

export const MASK = '********';

/** An empty or masked password field means "keep the stored one" (the form never shows it). */
function newPassword(dto: SettingsDto): string | undefined {
  return dto.smtpPassword && dto.smtpPassword !== MASK ? dto.smtpPassword : undefined;
}

/**
 * The stored SMTP password goes only to the server it was entered for: a request that points it at another
 * host, port or user, or lowers the protection of the connection, must bring the password again (else anyone
 * holding an admin session could have the password delivered to a server of their choice).
 */
function requirePasswordForNewServer(dto: SettingsDto, stored: Record<string, string | null>): void {
  if (!stored[SETTING_KEYS.smtpPassword] || newPassword(dto)) return;
  const current = smtpFromSettings({ ...stored, [SETTING_KEYS.smtpFromAddress]: 'x@x' });
  // Clearing a field sends the password nowhere, so only a new non-empty value counts.
  const differs = (sent: string | number | undefined, now: string | number | null | undefined) =>
    sent !== undefined &&
    String(sent).trim() !== '' &&
    String(sent).trim().toLowerCase() !==
      String(now ?? '')
        .trim()
        .toLowerCase();
  const changed = [
    differs(dto.smtpHost, current?.host) && 'host',
    differs(dto.smtpPort, current?.port) && 'port',
    differs(dto.smtpUsername, current?.username) && 'username',
    dto.smtpSecurity === 'none' && current?.security !== 'none' && 'security',
  ].filter(Boolean);
  if (changed.length > 0) {
    throw new BadRequestException(
      `Changing the SMTP ${changed.join(', ')} requires the SMTP password again (smtpPassword): the stored one is sent only to the server it was entered for`,
    );
  }
}

/** "Update settings": OAuth credentials (re-validated with Google before they are stored), SMTP, alerts. */
@Injectable()
export class AdminSettingsService {
  private readonly logger = new Logger('Admin');

  constructor(
    private readonly settings: SettingsService,
    private readonly organizations: OrganizationRepository,
    private readonly encryption: EncryptionService,
    private readonly oauth: GoogleOAuthService,
    private readonly mail: MailService,
  ) {}

  async get(): Promise<SettingsView> {
    const org = await this.organizations.find();
    const values = await this.settings.getAll();
    const clientId = org && this.encryption.hasKey() ? this.encryption.decrypt(org.googleClientIdEncrypted) : null;
    const port = Number(values[SETTING_KEYS.smtpPort]);
    return {
      domain: org?.googleWorkspaceDomain ?? null,
      googleClientId: clientId,
      googleClientSecret: org ? MASK : null,
      googleClientSecretSet: Boolean(org),
      alertsEnabled: values[SETTING_KEYS.alertsEnabled] !== 'false',
      alertsConfigured: alertsEnabled(values),
      smtpHost: values[SETTING_KEYS.smtpHost] || null,
      smtpPort: Number.isInteger(port) && port > 0 ? port : null,
      smtpUsername: values[SETTING_KEYS.smtpUsername] || null,
      smtpPassword: values[SETTING_KEYS.smtpPassword] ? MASK : null,
      smtpPasswordSet: Boolean(values[SETTING_KEYS.smtpPassword]),
      smtpSecurity: isSmtpSecurity(values[SETTING_KEYS.smtpSecurity])
        ? (values[SETTING_KEYS.smtpSecurity] as SmtpSecurity)
        : 'starttls',
      smtpFromAddress: values[SETTING_KEYS.smtpFromAddress] || null,
      alertEmails: extraRecipients(values).join(', '),
      syncPaused: values[SETTING_KEYS.syncPaused] === 'true',
    };
  }

  async update(dto: SettingsDto, actor: User): Promise<SettingsView> {
    const stored = await this.settings.getAll();
    requirePasswordForNewServer(dto, stored);
    await this.updateCredentials(dto);
    const changes: Record<string, string | null> = {};
    if (dto.smtpSecurity !== undefined) changes[SETTING_KEYS.smtpSecurity] = dto.smtpSecurity;
    if (dto.alertsEnabled !== undefined) changes[SETTING_KEYS.alertsEnabled] = dto.alertsEnabled ? 'true' : 'false';
    if (dto.smtpHost !== undefined) changes[SETTING_KEYS.smtpHost] = dto.smtpHost.trim() || null;
    if (dto.smtpPort !== undefined) changes[SETTING_KEYS.smtpPort] = String(dto.smtpPort);
    if (dto.smtpUsername !== undefined) changes[SETTING_KEYS.smtpUsername] = dto.smtpUsername.trim() || null;
    // An empty or masked password field means "keep the stored one" (the form never shows it).
    if (newPassword(dto)) changes[SETTING_KEYS.smtpPassword] = newPassword(dto)!;
    if (dto.smtpFromAddress !== undefined) changes[SETTING_KEYS.smtpFromAddress] = dto.smtpFromAddress.trim() || null;
    if (dto.alertEmails !== undefined) {
      const list = extraRecipients({ [SETTING_KEYS.alertEmails]: dto.alertEmails });
      const words = dto.alertEmails.split(/[\s,;]+/).filter(Boolean);
      if (words.length !== list.length)
        throw new BadRequestException('alertEmails must be email addresses separated by commas');
      changes[SETTING_KEYS.alertEmails] = list.join(', ');
    }
    if (Object.keys(changes).length) await this.settings.set(changes);
    this.logger.log(
      `Admin ${actor.id} updated settings: ${[...Object.keys(changes), ...(dto.googleClientId || dto.googleClientSecret ? ['oauth_credentials'] : [])].join(', ') || 'nothing'}`,
    );
    return this.get();
  }

  /** "Send test email" with the given (possibly unsaved) settings over the stored ones; to the admin by default. */
  async testEmail(dto: TestEmailDto, actor: User): Promise<{ ok: true; sentTo: string }> {
    const stored = await this.settings.getAll();
    requirePasswordForNewServer(dto, stored);
    const password = newPassword(dto) ?? stored[SETTING_KEYS.smtpPassword];
    const merged: Record<string, string | null> = {
      ...stored,
      ...(dto.smtpHost !== undefined ? { [SETTING_KEYS.smtpHost]: dto.smtpHost } : {}),
      ...(dto.smtpPort !== undefined ? { [SETTING_KEYS.smtpPort]: String(dto.smtpPort) } : {}),
      ...(dto.smtpUsername !== undefined ? { [SETTING_KEYS.smtpUsername]: dto.smtpUsername } : {}),
      ...(dto.smtpFromAddress !== undefined ? { [SETTING_KEYS.smtpFromAddress]: dto.smtpFromAddress } : {}),
      ...(dto.smtpSecurity !== undefined ? { [SETTING_KEYS.smtpSecurity]: dto.smtpSecurity } : {}),
      [SETTING_KEYS.smtpPassword]: password ?? null,
    };
    const smtp: SmtpSettings | null = smtpFromSettings(merged);
    if (!smtp)
      throw new BadRequestException('Fill in at least the SMTP host and the from address to send a test email');
    const to = dto.to ?? actor.email;
    try {
      await this.mail.sendTestEmail(smtp, to);
    } catch (error) {
      throw new BadRequestException(`The test email could not be sent: ${(error as Error).message}`);
    }
    return { ok: true, sentTo: to };
  }

  private async updateCredentials(dto: SettingsDto): Promise<void> {
    const newId = dto.googleClientId?.trim();
    const newSecret =
      dto.googleClientSecret && dto.googleClientSecret !== MASK ? dto.googleClientSecret.trim() : undefined;
    if (!newId && !newSecret) return;
    const org = await this.organizations.find();
    if (!org) throw new BadRequestException('No organization is set up yet');
    const current = await this.oauth.credentials();
    const creds = { clientId: newId || current.clientId, clientSecret: newSecret || current.clientSecret };
    if (creds.clientId === current.clientId && creds.clientSecret === current.clientSecret) return;
    const test = await this.oauth.testCredentials(creds);
    if (!test.valid) throw new BadRequestException(`The OAuth credentials were not saved: ${test.message}`);
    await this.organizations.updateCredentials(
      org.id,
      this.encryption.encrypt(creds.clientId),
      this.encryption.encrypt(creds.clientSecret),
    );
  }
}
