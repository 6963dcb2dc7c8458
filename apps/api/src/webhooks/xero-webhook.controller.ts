import { Controller, Headers, HttpCode, Post, RawBodyRequest, Req } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { Auth } from '../auth/auth-rule.decorator';
import { XeroWebhookService } from './xero-webhook.service';

@ApiTags('webhooks')
@Controller('webhooks')
export class XeroWebhookController {
  constructor(private readonly webhooks: XeroWebhookService) {}

  @Post('xero') @Auth('xero-signature') @HttpCode(200)
  receive(@Req() req: RawBodyRequest<Request>, @Headers('x-xero-signature') signature: unknown) { this.webhooks.receive(req.rawBody, signature); }
}
