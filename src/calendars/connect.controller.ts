import { Controller, Get, Query, Req, Res, UseGuards } from '@nestjs/common';
import { FastifyReply, FastifyRequest } from 'fastify';
import { CurrentUser } from '../auth/current-user.decorator';
import { SessionGuard, sessionOf } from '../auth/session.guard';
import { User } from '../database/entities';
import { ConnectFlowService, FlowOutcome } from './connect-flow.service';

/** The connect flows (docs/api.md, "Auth") for client and personal accounts (signed in). */
@Controller('auth')
@UseGuards(SessionGuard)
export class ConnectController {
  constructor(private readonly flow: ConnectFlowService) {}

  @Get('connect-client')
  async connectClient(
    @CurrentUser() user: User,
    @Query('account') account: unknown,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await answer(
      reply,
      await this.flow.start(user, sessionIdOf(request), 'client', typeof account === 'string' ? account : undefined),
    );
  }

  @Get('connect-client/callback')
  async clientCallback(
    @CurrentUser() user: User,
    @Query() query: Record<string, unknown>,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await answer(reply, await this.flow.callback(user, sessionIdOf(request), 'client', query));
  }

  @Get('connect-personal')
  async connectPersonal(
    @CurrentUser() user: User,
    @Query('account') account: unknown,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await answer(
      reply,
      await this.flow.start(user, sessionIdOf(request), 'personal', typeof account === 'string' ? account : undefined),
    );
  }

  @Get('connect-personal/callback')
  async personalCallback(
    @CurrentUser() user: User,
    @Query() query: Record<string, unknown>,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await answer(reply, await this.flow.callback(user, sessionIdOf(request), 'personal', query));
  }
}

/** The SessionGuard ran first, so there is a session; its id binds the flow to this browser's sign-in. */
function sessionIdOf(request: FastifyRequest): string {
  return sessionOf(request)?.sessionId ?? '';
}

/** A redirect, or a readable page (also as JSON for scripts that ask for it). */
export async function answer(reply: FastifyReply, outcome: FlowOutcome): Promise<void> {
  reply.header('cache-control', 'no-store');
  if (outcome.kind === 'redirect') {
    await reply.redirect(outcome.url, 302);
    return;
  }
  const { status, title, message, details, itApproval } = outcome;
  const wantsJson = /application\/json/.test(String(reply.request.headers.accept ?? ''));
  if (wantsJson) {
    await reply
      .code(status)
      .send(
        status >= 400
          ? { error: message, details }
          : { title, message, details, itApprovalUrl: itApproval ? '/app/it-approval' : undefined },
      );
    return;
  }
  await reply.code(status).view('connect/message', { title, message, details, itApproval });
}
