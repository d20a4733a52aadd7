import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { OrganizationRepository } from '../database/repositories/organization.repository';
import { registerSecret } from '../logging/redact';
import { DecryptionError } from './aes-gcm';
import { EncryptionService } from './encryption.service';
import { KeyFileError, readKeyFile } from './key-file';

/** Stops the start with one clear line when the key that sealed the database is missing or wrong. */
export class StartupKeyError extends Error {}

@Injectable()
export class KeyLoaderService {
  private readonly logger = new Logger('KeyLoader');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly encryption: EncryptionService,
    private readonly organizations: OrganizationRepository,
  ) {}

  async load(): Promise<void> {
    const file = this.config.encryptionKeyFile;
    const organization = await this.organizations.find();
    let key: Buffer | null;
    try {
      key = await readKeyFile(file);
    } catch (error) {
      if (!organization) {
        this.logger.warn(`Ignoring an unusable key file before setup: ${(error as Error).message}`);
        return;
      }
      throw new StartupKeyError(`${(error as KeyFileError).message} (ENCRYPTION_KEY_FILE)`);
    }
    if (!organization) {
      // Before setup the wizard generates the key; a stray file from an earlier install is not used.
      if (key)
        this.logger.warn(`A key file exists at ${file} but no organization does; the setup wizard will replace it`);
      return;
    }
    if (!key) {
      throw new StartupKeyError(
        `ENCRYPTION_KEY_FILE ${file} is missing but the database holds encrypted data: restore the key file saved during setup`,
      );
    }
    this.encryption.useKey(key);
    registerSecret(key.toString('base64'));
    try {
      this.encryption.decrypt(organization.googleClientIdEncrypted);
    } catch (error) {
      this.encryption.forgetKey();
      if (error instanceof DecryptionError) {
        throw new StartupKeyError(`ENCRYPTION_KEY_FILE ${file} does not match this database (wrong encryption key)`);
      }
      throw error;
    }
  }
}
