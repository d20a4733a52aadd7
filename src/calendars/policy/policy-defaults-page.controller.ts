import { Body, Controller, Get, Post, Req, Res, UseGuards } from '@nestjs/common';
import { FastifyReply, FastifyRequest } from 'fastify';
import { CurrentUser } from '../../auth/current-user.decorator';
import { AdminGuard } from '../../auth/session.guard';
import { User } from '../../database/entities';
import { formPost, seeOther } from '../../ui/form-post';
import { PageRenderer } from '../../ui/page-renderer';
import { ClientPolicyService } from './client-policy.service';
import { formFields, policyFromForm } from './preview-page';

/** The admin's defaults for new client calendars, as a plain form (the same fields as a client's preview page). */
@Controller('admin/client-policy')
@UseGuards(AdminGuard)
export class PolicyDefaultsPageController {
  constructor(
    private readonly pages: PageRenderer,
    private readonly policies: ClientPolicyService,
  ) {}

  @Get()
  async page(@CurrentUser() me: User, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<unknown> {
    return this.render(req, reply, me);
  }

  @Post()
  async save(
    @CurrentUser() me: User,
    @Body() form: Record<string, unknown>,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<unknown> {
    return formPost(
      req,
      reply,
      () => this.policies.setDefaults(policyFromForm(form ?? {})),
      () => seeOther(reply, '/admin/client-policy', 'settings'),
      (message, status) => this.render(req, reply, me, message, status),
    );
  }

  private async render(
    req: FastifyRequest,
    reply: FastifyReply,
    me: User,
    error?: string,
    status?: number,
  ): Promise<unknown> {
    const data = { form: formFields(await this.policies.defaults()) };
    return this.pages.renderSignedIn(req, reply, me, {
      view: 'admin/client-policy',
      nav: 'settings',
      title: 'Rules for new client calendars',
      data,
      error,
      status,
    });
  }
}
