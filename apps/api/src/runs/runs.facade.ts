import { ConflictException, Injectable } from '@nestjs/common';
import { RunService } from './run.service';
import type { StartRunBody } from './run.dto';

/** HTTP meaning of run outcomes: a run already going is a 409 for a person who asked for a new one. */
@Injectable()
export class RunsFacade {
  constructor(private readonly runs: RunService) {}

  async start(body: StartRunBody) {
    const outcome = await this.runs.start({ kind: body.kind, from: body.from, to: body.to, dryRun: body.dryRun }, 'manual');
    if (!outcome.started) throw new ConflictException({ statusCode: 409, message: outcome.reason, runningRunId: outcome.runningRunId });
    return { runId: outcome.run.id, run: outcome.run };
  }

  history(q: { limit: number; beforeId?: string }) { return this.runs.history(q); }
  get(id: string) { return this.runs.get(id); }
  cancel(id: string) { return this.runs.cancel(id); }
  events(id: string) { return this.runs.events(id); }
}
