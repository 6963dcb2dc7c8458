import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AppConfig } from '../config/app-config';
import { sha256 } from '../common/crypto.util';
import { APP_CONFIG } from '../ports/tokens';
import { API_DB, AuthService } from './auth.service';
import { newSetupCode, normaliseSetupCode } from './setup-code.util';

/**
 * The first-run setup code: while no admin exists, every start prints one in the service's log,
 * so only someone who can read that log (the person who started the service) can claim the
 * admin account; a page on the network is not claimable by whoever comes first. Stored hashed,
 * every code is consumed by the setup that succeeds.
 */
@Injectable()
export class SetupCodeService implements OnApplicationBootstrap {
  private readonly logger = new Logger('Setup');

  constructor(
    @Inject(API_DB) private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly auth: AuthService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (await this.auth.adminExists()) return;
    const code = this.config.setupCode ?? newSetupCode();
    await this.db.query('INSERT IGNORE INTO api_setup_code (code_hash) VALUES (?)', [sha256(normaliseSetupCode(code))]);
    const given = this.config.setupCode ? ' (SETUP_CODE)' : '';
    // The one secret this service prints on purpose: it is useless once the admin exists.
    const line = `No admin yet. Open ${this.config.publicBaseUrl}/setup and enter the setup code ${code}${given} to create it.`;
    this.logger.warn(line);
    // A log level that hides warnings must not hide the only way in.
    if (!this.config.setupCode && ['error', 'fatal', 'silent'].includes(this.config.logLevel)) process.stderr.write(`${line}\n`);
  }
}
