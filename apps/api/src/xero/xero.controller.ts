import { accountView, connectUrlView, disconnectView, taxRateView, tenantView, trackingCategoryView, xeroStatusView } from './xero.views';
import { Body, Controller, Delete, Get, Put, Query, Req, Res } from '@nestjs/common';
import { ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { z } from 'zod';
import { Auth, BridgeAllowed } from '../auth/auth-rule.decorator';
import { ApiZodBody, ApiZodResponse } from '../common/api-zod.decorator';
import { ZodPipe } from '../common/zod-body.pipe';
import { XeroConnectionService } from './xero-connection.service';
import { XeroLookupsService } from './xero-lookups.service';

const tenantBody = z.object({ tenantId: z.string().trim().min(1, 'choose an organisation').max(64) });

@ApiTags('xero')
@Controller('api/xero')
export class XeroController {
  constructor(
    private readonly connection: XeroConnectionService,
    private readonly lookups: XeroLookupsService,
  ) {}

  @Get('connect') @ApiQuery({ name: 'redirect', required: false, description: 'false = answer { url } instead of redirecting' }) @ApiZodResponse(200, connectUrlView) @ApiResponse({ status: 302, description: 'to the Xero consent page' })
  connect(@Query('redirect') redirect: string | undefined, @Res() res: Response) { return this.lookups.connect(redirect, res); }

  @Get('callback') @Auth('oauth-state') @ApiResponse({ status: 302, description: 'to the SPA: /settings/connection?connected=<organisation> or /settings/connection?choose-organisation=1' })
  callback(@Req() req: Request, @Query() query: Record<string, string>, @Res() res: Response) { return this.lookups.callback(req.originalUrl, query, res); }

  @Get('tenants') @ApiZodResponse(200, z.array(tenantView))
  tenants() { return this.connection.tenants(); }

  @Put('tenant') @ApiZodBody(tenantBody) @ApiZodResponse(200, tenantView)
  selectTenant(@Body(new ZodPipe(tenantBody)) b: z.infer<typeof tenantBody>) { return this.connection.selectTenant(b.tenantId); }

  @Get('status') @BridgeAllowed() @ApiZodResponse(200, xeroStatusView)
  status() { return this.connection.status(); }

  @Delete('connection') @ApiZodResponse(200, disconnectView)
  disconnect() { return this.connection.disconnect(); }

  @Get('accounts') @BridgeAllowed() @ApiZodResponse(200, z.array(accountView))
  accounts() { return this.lookups.accounts(); }

  @Get('tax-rates') @ApiZodResponse(200, z.array(taxRateView))
  taxRates() { return this.lookups.taxRates(); }

  @Get('tracking-categories') @ApiZodResponse(200, z.array(trackingCategoryView))
  trackingCategories() { return this.lookups.trackingCategories(); }
}
