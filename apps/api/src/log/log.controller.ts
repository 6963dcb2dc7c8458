import { logView } from './log.views';
import { Controller, Get, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { ApiZodQuery, ApiZodResponse } from '../common/api-zod.decorator';
import { ZodPipe } from '../common/zod-body.pipe';
import { logQuery } from './log.dto';
import { LogService } from './log.service';

@ApiTags('log')
@Controller('api/log')
export class LogController {
  constructor(private readonly log: LogService) {}

  @Get() @ApiZodQuery(logQuery) @ApiZodResponse(200, logView)
  list(@Query(new ZodPipe(logQuery)) q: z.infer<typeof logQuery>) { return this.log.list(q); }
}
