import { Controller, Get, Headers, Inject, NotFoundException, Res, UnauthorizedException } from '@nestjs/common';
import { FastifyReply } from 'fastify';
import { createHash, timingSafeEqual } from 'node:crypto';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { MetricsService } from './metrics.service';

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/** Prometheus text for a scraper holding METRICS_TOKEN; an instance without one does not have the route at all. */
@Controller('metrics')
export class MetricsController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly metrics: MetricsService,
  ) {}

  @Get()
  async scrape(@Headers('authorization') authorization: string | undefined, @Res() reply: FastifyReply): Promise<void> {
    const expected = this.config.metricsToken;
    if (!expected) throw new NotFoundException('Not found');
    const given = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')?.[1] ?? '';
    // Hashes of equal length, compared in constant time: the answer's timing says nothing about the token.
    if (!timingSafeEqual(digest(given), digest(expected))) {
      reply.header('www-authenticate', 'Bearer realm="metrics"');
      throw new UnauthorizedException('A valid metrics token is required');
    }
    const text = await this.metrics.scrape();
    reply
      .code(200)
      .header('content-type', this.metrics.registry.contentType)
      .header('cache-control', 'no-store')
      .send(text);
  }
}
