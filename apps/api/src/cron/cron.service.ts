import { Injectable, UnauthorizedException } from '@nestjs/common';
import { constantTimeEquals } from '../common/crypto.util';
import { RunService } from '../runs/run.service';
import { SettingsService } from '../settings/settings.service';

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
    const outcome = await this.runs.start({ kind: 'all', dryRun: false }, 'cron');
    return outcome.started
      ? { started: true, runId: outcome.run.id }
      : { started: false, runId: outcome.runningRunId, message: outcome.reason };
  }
}
