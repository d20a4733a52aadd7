import { BadRequestException, HttpException, Injectable, NotFoundException } from '@nestjs/common';
import { FastifyReply, FastifyRequest } from 'fastify';
import { SmtpSecurity } from '../alerts/smtp-settings';
import { User } from '../database/entities';
import { toResponse } from '../http/api-exception.filter';
import { validateBody } from '../http/validation.pipe';
import { escapeHtml } from '../ui/form-post';
import { AdminSettingsService } from './admin-settings.service';
import { AdminSystemService } from './admin-system.service';
import { AdminUsersService } from './admin-users.service';
import { SettingsDto, TestEmailDto } from './admin.dto';

/** The settings form as posted: every value a string (or two, for checkboxes with a hidden "false"). */
export type SettingsForm = Record<string, string | string[] | undefined>;

const last = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v[v.length - 1] : v);

/** Form posts of the admin pages, turned into the same service calls as the admin API. */
@Injectable()
export class AdminFormsService {
  constructor(
    private readonly users: AdminUsersService,
    private readonly system: AdminSystemService,
    private readonly settings: AdminSettingsService,
  ) {}

  async pause(op: string, me: User): Promise<void> {
    if (op !== 'pause' && op !== 'resume') throw new NotFoundException('Not found');
    await this.system.setPaused(op === 'pause', me);
  }

  async cleanup(me: User): Promise<void> {
    await this.system.cleanup(me);
  }

  async userAction(id: number, action: string, posted: Record<string, unknown> | undefined, me: User): Promise<void> {
    // A post without a body (no fields, no content type) arrives as undefined: same as an empty form.
    const body = posted ?? {};
    if (action === 'sync') await this.users.syncUser(id, me);
    else if (action === 'force-reauth') await this.users.forceReauth(id, me);
    else if (action === 'admin') await this.users.setAdmin(id, last(body.isAdmin as string | string[]) === 'true', me);
    else if (action === 'remove') {
      const user = await this.users.requireUser(id);
      // The confirmation: the admin types the user's email, so the wrong row is not removed by a slip.
      if (
        String(body.confirmEmail ?? '')
          .trim()
          .toLowerCase() !== user.email
      )
        throw new BadRequestException(`Type ${user.email} to confirm the removal`);
      await this.users.remove(id, me);
    } else throw new NotFoundException('Not found');
  }

  doneCode(action: string, posted: Record<string, unknown> | undefined): string {
    const body = posted ?? {};
    if (action === 'admin') return last(body.isAdmin as string | string[]) === 'true' ? 'promoted' : 'demoted';
    return ({ sync: 'queued', 'force-reauth': 'reauth', remove: 'removed' } as Record<string, string>)[action] ?? '';
  }

  async disconnect(id: number, calId: number, me: User): Promise<void> {
    await this.users.disconnectCalendar(id, calId, me);
  }

  async saveSettings(form: SettingsForm, me: User): Promise<void> {
    await this.settings.update(await validateBody(SettingsDto, toDto(form)), me);
  }

  /** A test email with the SMTP settings as filled in (not saved); returns where it went. */
  async testEmail(form: SettingsForm | undefined, me: User): Promise<string> {
    const { sentTo } = await this.settings.testEmail(
      await validateBody(TestEmailDto, { ...toDto(form), to: textOf(form?.to) || undefined }),
      me,
    );
    return sentTo;
  }

  /** For htmx, which swaps the answer in under the button, success or not (the plain form redirects instead). */
  async testEmailFragment(form: SettingsForm, me: User, reply: FastifyReply): Promise<void> {
    try {
      const sentTo = await this.testEmail(form, me);
      await reply
        .type('text/html')
        .send(
          `<p class="alert alert-ok" role="status" data-testid="test-email-result">Test email sent to ${escapeHtml(sentTo)}.</p>`,
        );
    } catch (error) {
      if (!(error instanceof HttpException)) throw error;
      await reply
        .code(error.getStatus())
        .type('text/html')
        .send(
          `<p class="alert alert-error" role="alert" data-testid="test-email-result">${escapeHtml(toResponse(error).body.error)}</p>`,
        );
    }
  }

  async factoryReset(
    body: Record<string, unknown> | undefined,
    me: User,
    request: FastifyRequest,
    reply: FastifyReply,
  ): Promise<void> {
    await this.system.factoryReset(last(body?.confirm as string | string[]), me, request, reply);
  }
}

/** A posted field as trimmed text; a JSON post may send numbers, objects or arrays of anything instead. */
function textOf(value: unknown): string | undefined {
  const v = Array.isArray(value) ? value[value.length - 1] : value;
  return typeof v === 'string' ? v.trim() : undefined;
}

/**
 * The form's text as the API's typed body, validated afterwards by the same DTO as the API. Empty fields keep
 * stored values (secrets are never shown, so they come back empty).
 */
function toDto(posted: SettingsForm | undefined): SettingsDto {
  const form = posted ?? {};
  const text = (k: string) => textOf(form[k]);
  const dto: SettingsDto = {};
  if (text('googleClientId')) dto.googleClientId = text('googleClientId');
  if (text('googleClientSecret')) dto.googleClientSecret = text('googleClientSecret');
  if (form.alertsEnabled !== undefined) dto.alertsEnabled = last(form.alertsEnabled) === 'true';
  for (const k of ['smtpHost', 'smtpUsername', 'smtpFromAddress', 'alertEmails'] as const)
    if (form[k] !== undefined) dto[k] = text(k) ?? '';
  if (text('smtpPassword')) dto.smtpPassword = text('smtpPassword');
  if (text('smtpPort')) dto.smtpPort = Number(text('smtpPort'));
  if (text('smtpSecurity')) dto.smtpSecurity = text('smtpSecurity') as SmtpSecurity;
  return dto;
}
