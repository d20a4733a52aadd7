import { Controller, Get, Header, Query, Req, Res, UseGuards } from '@nestjs/common';
import { FastifyReply, FastifyRequest } from 'fastify';
import { CsrfService } from '../auth/csrf.service';
import { PageRenderer } from '../ui/page-renderer';
import { CurrentUser } from '../auth/current-user.decorator';
import { SessionGuard } from '../auth/session.guard';
import { User } from '../database/entities';
import { CONNECT_PAGE_SCRIPT } from './connect-page.script';
import { ConnectPagesService } from './connect-pages.service';
import { IdParamPipe } from './id-param.pipe';

/** `/app/connect` (choose a calendar of a just-connected account) and the IT approval sheet. */
@Controller('app')
@UseGuards(SessionGuard)
export class ConnectPagesController {
  constructor(private readonly pages: ConnectPagesService, private readonly csrf: CsrfService, private readonly renderer: PageRenderer) {}

  @Get('connect')
  async pick(@CurrentUser() user: User, @Query('account', IdParamPipe) account: number, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const data = await this.pages.pick(user, account);
    // The site layout (nonce, CSRF, no-store); `csrf` stays for connect.js, which reads it from the picker.
    await this.renderer.render(request, reply, 'connect/pick', { ...data, title: 'Choose a calendar', signedIn: true, isClient: data.account.type === 'client', csrf: this.csrf.tokenFor(request, reply) });
  }

  @Get('connect.js')
  @Header('content-type', 'text/javascript; charset=utf-8')
  script(): string {
    return CONNECT_PAGE_SCRIPT;
  }

  @Get('it-approval')
  async itApproval(@Res() reply: FastifyReply): Promise<void> {
    await reply.view('connect/it-approval', await this.pages.itApproval());
  }
}
