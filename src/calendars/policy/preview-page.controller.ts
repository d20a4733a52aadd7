import { Body, Controller, Get, Param, Post, Query, Req, Res, UseGuards } from '@nestjs/common';
import { FastifyReply, FastifyRequest } from 'fastify';
import { DateTime } from 'luxon';
import { CurrentUser } from '../../auth/current-user.decorator';
import { SessionGuard } from '../../auth/session.guard';
import { User } from '../../database/entities';
import { ClientPolicy } from '../../sync/rules';
import { refusalOf, seeOther } from '../../ui/form-post';
import { PageRenderer } from '../../ui/page-renderer';
import { IdParamPipe } from '../id-param.pipe';
import { ClientPolicyService, PreviewView } from './client-policy.service';
import { formFields, policyFromForm, weekGrid } from './preview-page';

/**
 * "What does this client see?": a week of the client calendar, as it is or under a draft policy, with the
 * policy form beside it. Plain forms: Preview re-draws the week, Save stores the policy and re-plans.
 */
@Controller('app/calendars')
@UseGuards(SessionGuard)
export class PreviewPageController {
  constructor(
    private readonly pages: PageRenderer,
    private readonly policies: ClientPolicyService,
  ) {}

  @Get(':id/preview')
  async page(
    @CurrentUser() user: User,
    @Param('id', IdParamPipe) id: number,
    @Query('from') from: unknown,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<unknown> {
    const range =
      typeof from === 'string' && from
        ? { from, to: DateTime.fromISO(from).plus({ days: 7 }).toISO() ?? undefined }
        : {};
    try {
      const policy = await this.policies.get(user, id);
      return this.render(req, reply, user, id, policy, await this.policies.preview(user, id, range), false);
    } catch (error) {
      return this.refused(req, reply, user, error);
    }
  }

  @Post(':id/preview')
  async draft(
    @CurrentUser() user: User,
    @Param('id', IdParamPipe) id: number,
    @Body() form: Record<string, unknown>,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<unknown> {
    const input = policyFromForm(form ?? {});
    const range =
      typeof form?.from === 'string' && form.from
        ? { from: form.from, to: DateTime.fromISO(form.from).plus({ days: 7 }).toISO() ?? undefined }
        : {};
    try {
      if (form?.intent === 'save') {
        await this.policies.put(user, id, input);
        return seeOther(reply, `/app/calendars/${id}/preview`, 'policy');
      }
      const view = await this.policies.previewDraft(user, id, { ...range, policy: input });
      return this.render(
        req,
        reply,
        user,
        id,
        { ...(await this.policies.get(user, id)), ...(input as Partial<ClientPolicy>) },
        view,
        true,
      );
    } catch (error) {
      const { status, message } = refusalOf(error);
      if (status === 404) return this.refused(req, reply, user, error);
      const current = await this.policies.get(user, id);
      return this.render(
        req,
        reply,
        user,
        id,
        current,
        await this.policies.preview(user, id, range),
        false,
        message,
        status,
      );
    }
  }

  private async render(
    req: FastifyRequest,
    reply: FastifyReply,
    user: User,
    id: number,
    policy: ClientPolicy,
    view: PreviewView,
    draft: boolean,
    error?: string,
    status?: number,
  ): Promise<unknown> {
    const calendar = (await this.policies.calendarName(user, id)) ?? `Calendar ${id}`;
    const zone = policy.workingHours?.timeZone ?? 'UTC';
    const from = DateTime.fromISO(view.from);
    const nav = { prev: from.minus({ days: 7 }).toUTC().toISO(), next: from.plus({ days: 7 }).toUTC().toISO() };
    const data = {
      id,
      calendar,
      draft,
      zone,
      days: weekGrid(view, zone),
      form: formFields(policy),
      from: view.from,
      nav,
      count: view.items.length,
    };
    return this.pages.renderSignedIn(req, reply, user, {
      view: 'app/preview',
      nav: 'dashboard',
      title: `What ${calendar} sees`,
      data,
      error,
      status,
    });
  }

  private refused(req: FastifyRequest, reply: FastifyReply, user: User, error: unknown): Promise<unknown> {
    const { status, message } = refusalOf(error);
    return this.pages.renderSignedIn(req, reply, user, {
      view: 'app/preview',
      nav: 'dashboard',
      title: 'Preview',
      data: { missing: true },
      error: message,
      status,
    });
  }
}
