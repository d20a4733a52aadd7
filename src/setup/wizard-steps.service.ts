import {
  BadRequestException,
  ConflictException,
  ForbiddenException,
  Inject,
  Injectable,
  Logger,
  NotFoundException,
} from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { OrganizationRepository } from '../database/repositories/organization.repository';
import { GoogleOAuthService } from '../google/google-oauth.service';
import { registerSecret } from '../logging/redact';
import { MailService } from '../alerts/mail.service';
import { generateKey } from '../crypto/key-file';
import { SmtpDto } from './setup.dto';
import { SmtpChoice, WizardState } from './wizard.store';

export const STEP_TITLES = [
  'Welcome',
  'Google credentials',
  'Administrator',
  'Email alerts',
  'Encryption key',
  'Done',
] as const;

const EMAIL = /^[^\s@,;]+@[^\s@,;]+\.[^\s@,;]+$/;

/** The steps of the first-run wizard up to the key; completion and factory reset are SetupService's. */
@Injectable()
export class WizardStepsService {
  private readonly logger = new Logger('Setup');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly organizations: OrganizationRepository,
    private readonly oauth: GoogleOAuthService,
    private readonly mail: MailService,
  ) {}

  /** Every /setup route exists only while no organization does. */
  async ensureOpen(): Promise<void> {
    if (await this.organizations.exists()) throw new NotFoundException('Not found');
  }

  /** The redirect URIs to register in Google Cloud, for THIS deployment's PUBLIC_URL. */
  redirectUris(): string[] {
    return ['/auth/callback', '/auth/connect-client/callback', '/auth/connect-personal/callback'].map(
      (p) => `${this.config.publicUrl}${p}`,
    );
  }

  /** Where /setup resumes: the welcome page until credentials are in, then the first unfinished step. */
  currentStep(state: WizardState): number {
    if (!state.unlocked) return 1;
    if (!state.credentials) return 2;
    if (!state.admin || !state.adminConfirmed) return 3;
    if (!state.smtp) return 4;
    return 5;
  }

  /** Can this step be shown yet? Else the message says what to do first. */
  prerequisite(state: WizardState, step: number): string | null {
    if (step >= 2 && !state.unlocked) return 'Enter the setup token first (step 1)';
    if (step >= 3 && !state.credentials) return 'Enter and test your Google OAuth credentials first (step 2)';
    if (step >= 4 && !state.admin) return 'Sign in with Google first (step 3: GET /auth/login)';
    if (step >= 4 && !state.adminConfirmed) return 'Confirm the administrator and domain first (step 3)';
    if (step >= 5 && !state.smtp) return 'Choose whether to enable email alerts first (step 4)';
    return null;
  }

  requireStep(state: WizardState, step: number): void {
    if (step >= 2 && !state.unlocked) throw new ForbiddenException('Enter the setup token at step 1 first');
    const missing = this.prerequisite(state, step);
    if (missing) throw new BadRequestException(missing);
  }

  async saveCredentials(state: WizardState, clientId: string, clientSecret: string): Promise<void> {
    this.requireStep(state, 2);
    state.draftClientId = clientId;
    const result = await this.oauth.testCredentials({ clientId, clientSecret });
    if (!result.valid) throw new BadRequestException(result.message);
    // Only now: registering every secret anyone submits would grow the redaction set without limit.
    registerSecret(clientSecret);
    const changed = state.credentials?.clientId !== clientId || state.credentials?.clientSecret !== clientSecret;
    state.credentials = { clientId, clientSecret };
    // The admin signed in through the previous OAuth client: their tokens belong to it.
    if (changed) {
      state.admin = undefined;
      state.adminConfirmed = false;
    }
  }

  admin(state: WizardState): { email: string; domain: string } {
    this.requireStep(state, 3);
    if (!state.admin) throw new BadRequestException('Sign in with Google first: open GET /auth/login');
    return { email: state.admin.claims.email.toLowerCase(), domain: state.admin.domain };
  }

  confirmAdmin(state: WizardState): void {
    this.admin(state);
    state.adminConfirmed = true;
  }

  saveSmtp(state: WizardState, dto: SmtpDto): void {
    this.requireStep(state, 4);
    state.smtp = this.smtpChoice(dto);
    // Registered once it is the password to store; a test email registers its own while it is sent.
    if (state.smtp.enabled) registerSecret(state.smtp.password);
  }

  async sendTestEmail(state: WizardState, dto: SmtpDto): Promise<{ sentTo: string[] }> {
    this.requireStep(state, 4);
    const smtp = this.smtpChoice(dto);
    if (!smtp.enabled)
      throw new BadRequestException('Enable email alerts and fill in the SMTP settings to send a test email');
    const to = smtp.adminEmails.length > 0 ? smtp.adminEmails : [state.admin!.claims.email.toLowerCase()];
    try {
      await this.mail.sendTestEmail(
        {
          host: smtp.host,
          port: smtp.port,
          username: smtp.username,
          password: smtp.password,
          security: smtp.security,
          fromAddress: smtp.fromAddress,
        },
        to.join(', '),
      );
    } catch (error) {
      this.logger.warn(`The wizard's test email failed: ${(error as Error).message}`);
      throw new BadRequestException(`The test email could not be sent: ${(error as Error).message}`);
    }
    return { sentTo: to };
  }

  /** Step 5: generated once and shown once; "new key" replaces it before anything was written. */
  revealKey(state: WizardState): string {
    this.requireStep(state, 5);
    if (state.keyShown) {
      throw new ConflictException(
        'The encryption key was already shown once. If you did not save it, POST /setup/step/5/new-key for a new one.',
      );
    }
    state.key ??= generateKey();
    state.keyShown = true;
    return state.key.toString('base64');
  }

  newKey(state: WizardState): void {
    this.requireStep(state, 5);
    state.key?.fill(0);
    state.key = undefined;
    state.keyShown = false;
  }

  private smtpChoice(dto: SmtpDto): SmtpChoice {
    if (!dto.enabled) return { enabled: false };
    const adminEmails = (dto.adminEmails ?? '')
      .split(/[\s,;]+/)
      .map((e) => e.trim())
      .filter(Boolean);
    const bad = adminEmails.filter((e) => !EMAIL.test(e) || e.length > 254);
    if (bad.length > 0)
      throw new BadRequestException(
        `adminEmails must be email addresses separated by commas; not valid: ${bad.slice(0, 3).join(', ')}`,
      );
    return {
      enabled: true,
      host: dto.smtpHost!,
      port: dto.smtpPort!,
      username: dto.smtpUsername || null,
      password: dto.smtpPassword || null,
      security: dto.smtpSecurity ?? 'starttls',
      fromAddress: dto.fromAddress!,
      adminEmails,
    };
  }
}
