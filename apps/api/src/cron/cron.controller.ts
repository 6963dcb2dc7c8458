import { z } from 'zod';
import { ApiZodResponse } from '../common/api-zod.decorator';

const cronView = z.object({ started: z.boolean(), runId: z.string().nullable(), message: z.string().optional() });
import { Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiQuery, ApiTags } from '@nestjs/swagger';
import { Auth } from '../auth/auth-rule.decorator';
import { CronService } from './cron.service';

@ApiTags('cron')
@Controller('cron')
export class CronController {
  constructor(private readonly cron: CronService) {}

  @Get('sync') @Auth('cron-token') @ApiQuery({ name: 'token', required: true }) @ApiZodResponse(200, cronView)
  get(@Query('token') token: unknown) { return this.cron.sync(token); }

  @Post('sync') @Auth('cron-token') @HttpCode(200) @ApiQuery({ name: 'token', required: true }) @ApiZodResponse(200, cronView)
  post(@Query('token') token: unknown) { return this.cron.sync(token); }
}
