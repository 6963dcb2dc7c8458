import { Body, Controller, Get, HttpCode, MessageEvent, Param, Post, Query, Sse } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { map, Observable } from 'rxjs';
import { z } from 'zod';
import { ApiZodBody, ApiZodQuery } from '../common/api-zod.decorator';
import { ZodPipe } from '../common/zod-body.pipe';
import { runHistoryQuery, startRunBody, type StartRunBody } from './run.dto';
import { RunsFacade } from './runs.facade';

@ApiTags('runs')
@Controller('api/runs')
export class RunsController {
  constructor(private readonly runs: RunsFacade) {}

  @Post() @HttpCode(202) @ApiZodBody(startRunBody)
  start(@Body(new ZodPipe(startRunBody)) body: StartRunBody) { return this.runs.start(body); }

  @Get() @ApiZodQuery(runHistoryQuery)
  history(@Query(new ZodPipe(runHistoryQuery)) q: z.infer<typeof runHistoryQuery>) { return this.runs.history(q); }

  @Get(':id')
  status(@Param('id') id: string) { return this.runs.get(id); }

  @Sse(':id/events')
  events(@Param('id') id: string): Observable<MessageEvent> { return this.runs.events(id).pipe(map((e) => ({ type: e.type, data: e.data as object }))); }

  @Post(':id/cancel') @HttpCode(202)
  cancel(@Param('id') id: string) { return this.runs.cancel(id); }
}
