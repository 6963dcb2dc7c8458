import { Inject, Injectable } from '@nestjs/common';
import type { Response } from 'express';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../ports/tokens';
import { XeroConnectionService } from './xero-connection.service';

/** The SPA's connection page (history-mode route), told how the consent ended. */
export const CONNECTION_PAGE = '/settings/connection';
export const connectionPageAfterConsent = (tenantName: string | null): string =>
  tenantName ? `${CONNECTION_PAGE}?connected=${encodeURIComponent(tenantName)}` : `${CONNECTION_PAGE}?choose-organisation=1`;

/** The admin's pickers, and the HTTP side of the OAuth dance. */
@Injectable()
export class XeroLookupsService {
  constructor(
    private readonly connection: XeroConnectionService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async connect(redirect: string | undefined, res: Response) {
    const url = await this.connection.consentUrl();
    if (redirect === 'false') res.json({ url });
    else res.redirect(302, url);
  }

  async callback(originalUrl: string, query: Record<string, string>, res: Response) {
    const { tenantName } = await this.connection.callback(originalUrl, query);
    res.redirect(302, `${this.config.publicBaseUrl}${connectionPageAfterConsent(tenantName)}`);
  }

  async accounts() {
    return (await this.connection.gateway()).listAccounts();
  }

  async taxRates() {
    return (await this.connection.gateway()).listTaxRates();
  }

  async trackingCategories() {
    return (await this.connection.gateway()).listTrackingCategories();
  }
}
