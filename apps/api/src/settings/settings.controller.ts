import { Body, Controller, Get, Post, Put } from '@nestjs/common';
import { ApiBody, ApiTags } from '@nestjs/swagger';
import { SettingsService } from './settings.service';

@ApiTags('settings')
@Controller('api/settings')
export class SettingsController {
  constructor(private readonly settings: SettingsService) {}

  @Get()
  read() { return this.settings.view(); }

  @Put() @ApiBody({ description: 'A partial settings document; secrets sent as "set" keep their value.', schema: { type: 'object' } })
  update(@Body() body: unknown) { return this.settings.update(body); }

  @Post('cron-token')
  rotateCronToken() { return this.settings.rotateCronToken(); }
}
