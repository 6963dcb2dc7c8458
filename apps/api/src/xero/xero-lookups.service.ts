import { BadRequestException, Inject, Injectable } from '@nestjs/common';
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

  /**
   * The browser comes back here from Xero: it is sent on to the SPA's connection page, with
   * `?error=<why>` when the merchant declined or the token exchange failed. A state we did not
   * issue is a plain 400: nothing of ours is shown to a forged request.
   */
  async callback(originalUrl: string, query: Record<string, string>, res: Response) {
    const page = `${this.config.publicBaseUrl}${CONNECTION_PAGE}`;
    if (typeof query.error === 'string') {
      await this.connection.declineConsent(query.state);
      return res.redirect(302, `${page}?error=${encodeURIComponent(query.error_description || query.error)}`);
    }
    let tenantName: string | null;
    try {
      ({ tenantName } = await this.connection.callback(originalUrl, query));
    } catch (e) {
      if (e instanceof BadRequestException) throw e;
      const why = e instanceof Error ? e.message : String(e);
      return res.redirect(302, `${page}?error=${encodeURIComponent(why)}`);
    }
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
