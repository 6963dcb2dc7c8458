import { ApiZodResponse } from '../common/api-zod.decorator';
import { settingsView } from './settings.views';
import { Body, Controller, Get, Post, Put } from '@nestjs/common';
import { ApiBody, ApiTags } from '@nestjs/swagger';
import { SettingsService } from './settings.service';

@ApiTags('settings')
@Controller('api/settings')
export class SettingsController {
  constructor(private readonly settings: SettingsService) {}

  @Get() @ApiZodResponse(200, settingsView)
  read() { return this.settings.view(); }

  @Put() @ApiBody({ description: 'A partial settings document; secrets sent as "set" keep their value.', schema: { type: 'object', additionalProperties: true } }) @ApiZodResponse(200, settingsView)
  update(@Body() body: unknown) { return this.settings.update(body); }

  @Post('cron-token') @ApiZodResponse(201, settingsView)
  rotateCronToken() { return this.settings.rotateCronToken(); }
}
