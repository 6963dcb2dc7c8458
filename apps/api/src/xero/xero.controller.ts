import { Body, Controller, Delete, Get, Put, Query, Req, Res } from '@nestjs/common';
import { ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { z } from 'zod';
import { Auth } from '../auth/auth-rule.decorator';
import { ApiZodBody } from '../common/api-zod.decorator';
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

  @Get('connect') @ApiQuery({ name: 'redirect', required: false, description: 'false = answer { url } instead of redirecting' })
  connect(@Query('redirect') redirect: string | undefined, @Res() res: Response) { return this.lookups.connect(redirect, res); }

  @Get('callback') @Auth('oauth-state')
  callback(@Req() req: Request, @Query() query: Record<string, string>, @Res() res: Response) { return this.lookups.callback(req.originalUrl, query, res); }

  @Get('tenants')
  tenants() { return this.connection.tenants(); }

  @Put('tenant') @ApiZodBody(tenantBody)
  selectTenant(@Body(new ZodPipe(tenantBody)) b: z.infer<typeof tenantBody>) { return this.connection.selectTenant(b.tenantId); }

  @Get('status')
  status() { return this.connection.status(); }

  @Delete('connection')
  disconnect() { return this.connection.disconnect(); }

  @Get('accounts')
  accounts() { return this.lookups.accounts(); }

  @Get('tax-rates')
  taxRates() { return this.lookups.taxRates(); }

  @Get('tracking-categories')
  trackingCategories() { return this.lookups.trackingCategories(); }
}
