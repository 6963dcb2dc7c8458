import { z } from 'zod';
import { ApiZodResponse } from '../common/api-zod.decorator';
import { Controller, Get, Inject } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { Auth } from '../auth/auth-rule.decorator';
import { API_DB } from '../auth/auth.service';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(@Inject(API_DB) private readonly db: DataSource) {}

  /** Liveness + the connector database; says nothing else (it is public). */
  @Get() @Auth('public') @ApiZodResponse(200, z.object({ status: z.literal('ok') }))
  async health() { await this.db.query('SELECT 1'); return { status: 'ok' }; }
}
