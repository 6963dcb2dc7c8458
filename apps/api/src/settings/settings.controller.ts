import { ApiZodBody, ApiZodQuery, ApiZodResponse } from '../common/api-zod.decorator';
import { contactPreviewQuery, contactPreviewView, settingsFields, settingsFieldsView, settingsPatchBody, settingsView } from './settings.views';
import { Body, Controller, Get, Post, Put, Query } from '@nestjs/common';
import { z } from 'zod';
import { ZodPipe } from '../common/zod-body.pipe';
import { ApiTags } from '@nestjs/swagger';
import { SettingsFitService } from './settings-fit.service';
import { SettingsService } from './settings.service';

@ApiTags('settings')
@Controller('api/settings')
export class SettingsController {
  constructor(
    private readonly settings: SettingsService,
    private readonly fit: SettingsFitService,
  ) {}

  @Get() @ApiZodResponse(200, settingsView)
  read() { return this.settings.view(); }

  @Put() @ApiZodBody(settingsPatchBody) @ApiZodResponse(200, settingsView)
  update(@Body() body: unknown) { return this.settings.update(body, (next, before) => this.fit.check(next, before)); }

  @Get('fields') @ApiZodResponse(200, settingsFieldsView)
  fields() { return settingsFields(); }

  @Get('contact-name-preview') @ApiZodQuery(contactPreviewQuery) @ApiZodResponse(200, contactPreviewView)
  contactNamePreview(@Query(new ZodPipe(contactPreviewQuery)) q: z.infer<typeof contactPreviewQuery>) { return this.settings.contactNamePreview(q.contactFormat); }

  @Post('cron-token') @ApiZodResponse(201, settingsView)
  rotateCronToken() { return this.settings.rotateCronToken(); }
}
