import { Body, Controller, Get, HttpCode, MessageEvent, Param, Post, Query, Sse } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { map, Observable } from 'rxjs';
import { z } from 'zod';
import { ApiZodBody, ApiZodEventStream, ApiZodQuery, ApiZodResponse } from '../common/api-zod.decorator';
import { ZodPipe } from '../common/zod-body.pipe';
import { runHistoryQuery, startRunBody, type StartRunBody } from './run.dto';
import { runCancelView, runProgressEvent, runStartedView, runView } from './run.views';
import { RunsFacade } from './runs.facade';

@ApiTags('runs')
@Controller('api/runs')
export class RunsController {
  constructor(private readonly runs: RunsFacade) {}

  @Post() @HttpCode(202) @ApiZodBody(startRunBody) @ApiZodResponse(202, runStartedView)
  start(@Body(new ZodPipe(startRunBody)) body: StartRunBody) { return this.runs.start(body); }

  @Get() @ApiZodQuery(runHistoryQuery) @ApiZodResponse(200, z.array(runView))
  history(@Query(new ZodPipe(runHistoryQuery)) q: z.infer<typeof runHistoryQuery>) { return this.runs.history(q); }

  @Get(':id') @ApiZodResponse(200, runView)
  status(@Param('id') id: string) { return this.runs.get(id); }

  @Sse(':id/events') @ApiZodEventStream(runProgressEvent, 'Server-sent events: `progress` (this data) while the run goes, then one `finished` with the run')
  events(@Param('id') id: string): Observable<MessageEvent> { return this.runs.events(id).pipe(map((e) => ({ type: e.type, data: e.data as object }))); }

  @Post(':id/cancel') @HttpCode(202) @ApiZodResponse(202, runCancelView)
  cancel(@Param('id') id: string) { return this.runs.cancel(id); }
}
