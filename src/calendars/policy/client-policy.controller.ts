import { Body, Controller, Get, HttpCode, Param, Post, Put, Query, UseGuards } from '@nestjs/common';
import { CurrentUser } from '../../auth/current-user.decorator';
import { AdminGuard, SessionGuard } from '../../auth/session.guard';
import { User } from '../../database/entities';
import { ClientPolicy } from '../../sync/rules';
import { IdParamPipe } from '../id-param.pipe';
import { ClientPolicyService, PreviewView } from './client-policy.service';

/** What may block a client calendar, and what anyone who opens it sees (now, or under a draft policy). */
@Controller('api/client-calendars')
@UseGuards(SessionGuard)
export class ClientPolicyController {
  constructor(private readonly policies: ClientPolicyService) {}

  @Get(':id/policy')
  get(@CurrentUser() user: User, @Param('id', IdParamPipe) id: number): Promise<ClientPolicy> {
    return this.policies.get(user, id);
  }

  // Bodies are checked field by field by the policy rules, which name the bad field in the 400.
  @Put(':id/policy')
  put(
    @CurrentUser() user: User,
    @Param('id', IdParamPipe) id: number,
    @Body() body: Record<string, unknown>,
  ): Promise<ClientPolicy> {
    return this.policies.put(user, id, body);
  }

  @Get(':id/preview')
  preview(
    @CurrentUser() user: User,
    @Param('id', IdParamPipe) id: number,
    @Query() query: Record<string, unknown>,
  ): Promise<PreviewView> {
    return this.policies.preview(user, id, query);
  }

  @Post(':id/preview')
  @HttpCode(200)
  draft(
    @CurrentUser() user: User,
    @Param('id', IdParamPipe) id: number,
    @Body() body: Record<string, unknown>,
  ): Promise<PreviewView> {
    return this.policies.previewDraft(user, id, body);
  }
}

/** The policy new client calendars start with. */
@Controller('api/admin/client-policy-defaults')
@UseGuards(AdminGuard)
export class ClientPolicyDefaultsController {
  constructor(private readonly policies: ClientPolicyService) {}

  @Get()
  get(): Promise<ClientPolicy> {
    return this.policies.defaults();
  }

  @Put()
  put(@Body() body: Record<string, unknown>): Promise<ClientPolicy> {
    return this.policies.setDefaults(body);
  }
}
