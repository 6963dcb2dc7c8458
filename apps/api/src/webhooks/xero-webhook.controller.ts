import { Controller, Headers, HttpCode, Post, RawBodyRequest, Req } from '@nestjs/common';
import { ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { Auth } from '../auth/auth-rule.decorator';
import { XeroWebhookService } from './xero-webhook.service';

@ApiTags('webhooks')
@Controller('webhooks')
export class XeroWebhookController {
  constructor(private readonly webhooks: XeroWebhookService) {}

  @Post('xero') @Auth('xero-signature') @HttpCode(200) @ApiResponse({ status: 200, description: 'accepted (no body)' }) @ApiResponse({ status: 401, description: 'bad signature' })
  receive(@Req() req: RawBodyRequest<Request>, @Headers('x-xero-signature') signature: unknown) { this.webhooks.receive(req.rawBody, signature); }
}
