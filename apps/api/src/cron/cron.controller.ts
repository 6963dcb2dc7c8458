import { Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiQuery, ApiTags } from '@nestjs/swagger';
import { Auth } from '../auth/auth-rule.decorator';
import { CronService } from './cron.service';

@ApiTags('cron')
@Controller('cron')
export class CronController {
  constructor(private readonly cron: CronService) {}

  @Get('sync') @Auth('cron-token') @ApiQuery({ name: 'token', required: true })
  get(@Query('token') token: unknown) { return this.cron.sync(token); }

  @Post('sync') @Auth('cron-token') @HttpCode(200) @ApiQuery({ name: 'token', required: true })
  post(@Query('token') token: unknown) { return this.cron.sync(token); }
}
