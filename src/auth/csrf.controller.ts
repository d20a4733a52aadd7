import { Controller, Get, Req, Res } from '@nestjs/common';
import { FastifyReply, FastifyRequest } from 'fastify';
import { CsrfService } from './csrf.service';

@Controller('api')
export class CsrfController {
  constructor(private readonly csrf: CsrfService) {}

  @Get('csrf')
  async token(
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<{ token: string }> {
    reply.header('cache-control', 'no-store');
    return { token: await this.csrf.tokenFor(request, reply) };
  }
}
