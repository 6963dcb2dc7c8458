import { Injectable, UnauthorizedException } from '@nestjs/common';
import { constantTimeEquals } from '../common/crypto.util';
import { runConflict } from '../runs/run-refusal';
import { RunService } from '../runs/run.service';
import { SettingsService } from '../settings/settings.service';

/**
 * Cron-started runs start at most once per this interval (any instance): a leaked or misconfigured
 * cron URL fired hundreds of times must not start run after run and draw Xero's 429s.
 */
export const CRON_MIN_INTERVAL_MS = 60_000;

/** The cron URL: a token in the query string (all a crontab line can carry), compared in constant time. */
@Injectable()
export class CronService {
  constructor(
    private readonly settings: SettingsService,
    private readonly runs: RunService,
  ) {}

  async sync(token: unknown) {
    const { cronToken } = await this.settings.runtime();
    // One message for missing, wrong and disabled, so the answer tells an attacker nothing.
    if (typeof token !== 'string' || !cronToken || !constantTimeEquals(token, cronToken)) {
      throw new UnauthorizedException('Missing or wrong cron token: copy the cron line from the settings page again.');
    }
    const outcome = await this.runs.start({ kind: 'all', dryRun: false }, 'cron', { minIntervalMs: CRON_MIN_INTERVAL_MS });
    // Switched off is not "try again later": a 409 a cron daemon (curl -f) reports as a failure.
    if (!outcome.started && outcome.code) throw runConflict(outcome);
    return outcome.started
      ? { started: true, runId: outcome.run.id }
      : { started: false, reason: outcome.reason, runId: outcome.runningRunId, message: outcome.reason };
  }
}
