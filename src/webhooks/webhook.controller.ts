import {
  Controller,
  ForbiddenException,
  Headers,
  HttpCode,
  NotFoundException,
  BadRequestException,
  Post,
} from '@nestjs/common';
import { Throttle } from '@nestjs/throttler';
import { THROTTLE_LIMITS, WEBHOOK_THROTTLER } from '../http/throttling.module';
import { MetricsService } from '../metrics/metrics.service';
import { WebhookService } from './webhook.service';

/** Google push notifications: no body, everything in X-Goog-* headers. Answered at once; never a 5xx for bad input. */
@Controller('api/webhooks')
export class WebhookController {
  constructor(
    private readonly webhooks: WebhookService,
    private readonly metrics: MetricsService,
  ) {}

  @Post('google-calendar')
  @HttpCode(200)
  // Reachable by anyone: the stricter per-IP limit (the global ThrottlingModule scopes it to this path).
  @Throttle({ [WEBHOOK_THROTTLER]: THROTTLE_LIMITS[WEBHOOK_THROTTLER] })
  async notify(@Headers() headers: Record<string, string | string[] | undefined>): Promise<{ ok: true }> {
    const one = (name: string) => {
      const v = headers[name];
      return Array.isArray(v) ? v[0] : v;
    };
    const outcome = await this.webhooks.receive({
      channelId: one('x-goog-channel-id'),
      token: one('x-goog-channel-token'),
      resourceState: one('x-goog-resource-state'),
      resourceId: one('x-goog-resource-id'),
    });
    this.metrics.webhookReceived(outcome);
    if (outcome === 'bad_request')
      throw new BadRequestException('Missing or invalid X-Goog-Channel-ID / X-Goog-Resource-State');
    if (outcome === 'unknown_channel') throw new NotFoundException('Unknown channel');
    if (outcome === 'bad_token') throw new ForbiddenException('Invalid channel token');
    return { ok: true };
  }
}
