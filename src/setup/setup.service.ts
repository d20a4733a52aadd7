import { HttpException, HttpStatus, Inject, Injectable, Logger, NotFoundException } from '@nestjs/common';
import { promises as fs } from 'node:fs';
import { AsyncMutex } from '../database/async-mutex';
import { OAuthStateStore } from '../auth/oauth-state.store';
import { HomeAccountService } from '../auth/home-account.service';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { EncryptionService } from '../crypto/encryption.service';
import { writeKeyFileAtomically } from '../crypto/key-file';
import { DatabaseService } from '../database/database.service';
import { User } from '../database/entities';
import { FactoryResetRepository } from '../database/repositories/factory-reset.repository';
import { OrganizationRepository } from '../database/repositories/organization.repository';
import { registerSecret } from '../logging/redact';
import { SETTING_KEYS, SettingsService } from '../settings/settings.service';
import { WizardStepsService } from './wizard-steps.service';
import { SetupTokenService } from './setup-token.service';
import { SmtpChoice, WizardState, WizardStore } from './wizard.store';

function smtpSettings(smtp: SmtpChoice): Record<string, string | null> {
  if (!smtp.enabled) return { [SETTING_KEYS.alertsEnabled]: 'false' };
  return {
    [SETTING_KEYS.alertsEnabled]: 'true',
    [SETTING_KEYS.smtpHost]: smtp.host,
    [SETTING_KEYS.smtpPort]: String(smtp.port),
    [SETTING_KEYS.smtpUsername]: smtp.username,
    [SETTING_KEYS.smtpPassword]: smtp.password,
    [SETTING_KEYS.smtpSecurity]: smtp.security,
    [SETTING_KEYS.smtpFromAddress]: smtp.fromAddress,
    [SETTING_KEYS.alertEmails]: smtp.adminEmails.join(', '),
  };
}

/**
 * The wizard's last step and its undo (the public face of the setup room). Completion is all or nothing: the key file is written first
 * (atomically, 0600) and removed again if the database transaction then fails; if the key cannot be
 * written, nothing is committed.
 */
@Injectable()
export class SetupService {
  private readonly logger = new Logger('Setup');
  private readonly lock = new AsyncMutex();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly steps: WizardStepsService,
    private readonly db: DatabaseService,
    private readonly organizations: OrganizationRepository,
    private readonly reset: FactoryResetRepository,
    private readonly settings: SettingsService,
    private readonly encryption: EncryptionService,
    private readonly accounts: HomeAccountService,
    private readonly wizards: WizardStore,
    private readonly states: OAuthStateStore,
    private readonly setupToken: SetupTokenService,
  ) {}

  /** Writes everything and returns the admin, to be signed in. */
  complete(state: WizardState): Promise<{ user: User; tokenId: number }> {
    return this.lock.runExclusive(async () => {
      if (await this.organizations.exists()) throw new NotFoundException('Not found');
      this.steps.requireStep(state, 5);
      if (!state.key || !state.keyShown)
        throw new HttpException({ error: 'Show the encryption key first (GET /setup/step/5)' }, HttpStatus.BAD_REQUEST);
      const { credentials, admin, smtp, key } = {
        credentials: state.credentials!,
        admin: state.admin!,
        smtp: state.smtp!,
        key: state.key,
      };
      const file = this.config.encryptionKeyFile;
      const stray = await this.moveAsideStrayKey(file);
      this.encryption.useKey(key);
      try {
        await writeKeyFileAtomically(file, key);
      } catch (error) {
        this.encryption.forgetKey();
        await this.restoreStray(stray, file);
        this.logger.error(`Setup could not write the encryption key file: ${(error as Error).message}`);
        throw new HttpException(
          { error: `Could not write the encryption key file ${file}: ${(error as Error).message}. Nothing was saved.` },
          HttpStatus.INTERNAL_SERVER_ERROR,
        );
      }
      let created: { user: User; tokenId: number };
      try {
        created = await this.db.write(async (m) => {
          await this.organizations.insert(
            {
              googleWorkspaceDomain: admin.domain,
              googleClientIdEncrypted: this.encryption.encrypt(credentials.clientId),
              googleClientSecretEncrypted: this.encryption.encrypt(credentials.clientSecret),
            },
            m,
          );
          await this.settings.set(smtpSettings(smtp), m);
          return this.accounts.createAccount(m, admin.claims, admin, true);
        });
      } catch (error) {
        this.encryption.forgetKey();
        await fs.rm(file, { force: true });
        await this.restoreStray(stray, file);
        throw error;
      }
      registerSecret(key.toString('base64'));
      registerSecret(credentials.clientSecret);
      this.wizards.clearAll();
      await this.setupToken.retire();
      this.logger.log('Setup complete', { domain: admin.domain, userId: created.user.id });
      return created;
    });
  }

  /** The admin's main calendar row needs Google and the stored credentials: after the commit, best effort. */
  async afterCompletion(userId: number, tokenId: number): Promise<void> {
    await this.accounts.ensureMainCalendar(userId, tokenId);
  }

  /**
   * Factory reset (the admin's): every row of every table in one transaction, then the key
   * file, then the key in memory. Afterwards the wizard runs again.
   */
  async factoryReset(): Promise<void> {
    await this.lock.runExclusive(async () => {
      await this.reset.deleteEverything();
      await fs.rm(this.config.encryptionKeyFile, { force: true });
      this.encryption.forgetKey();
      this.wizards.clearAll();
      this.states.forgetAll();
      this.logger.warn('Factory reset: all data and the encryption key were deleted');
      await this.setupToken.renew();
    });
  }

  /** A key file left by an earlier install (no organization exists): kept aside, never destroyed. */
  private async moveAsideStrayKey(file: string): Promise<string | null> {
    const exists = await fs.access(file).then(
      () => true,
      () => false,
    );
    if (!exists) return null;
    const aside = `${file}.replaced-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    await fs.rename(file, aside);
    this.logger.warn(`An old encryption key file was moved to ${aside} before writing the new one`);
    return aside;
  }

  private async restoreStray(aside: string | null, file: string): Promise<void> {
    if (aside) await fs.rename(aside, file).catch(() => undefined);
  }
}
