import { ConflictException } from '@nestjs/common';
import type { StartOutcome } from './run.service';

type NotStarted = Extract<StartOutcome, { started: false }>;

/** The 409 a person (or a cron line) gets when a run did not start: the reason, and the setting's key when a setting forbids it. */
export function runConflict(outcome: NotStarted): ConflictException {
  return new ConflictException({
    statusCode: 409,
    message: outcome.reason,
    runningRunId: outcome.runningRunId,
    ...(outcome.code ? { code: outcome.code, setting: outcome.setting } : {}),
  });
}
