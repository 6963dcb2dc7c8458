import { Inject, Injectable } from '@nestjs/common';
import {
  accountFitErrors,
  changedAccountFields,
  changedStatusFields,
  statusFitErrors,
  type OpenCartReader,
  type Settings,
} from '@oc-xero/sync-core';
import type { FieldError } from '../ports/settings-codec.port';
import { OPENCART_READER } from '../ports/tokens';
import { XeroConnectionService } from '../xero/xero-connection.service';

/** What a save is told beyond "valid": fields that do not fit, and checks that could not be made. */
export interface SettingsFit {
  errors: FieldError[];
  notices: string[];
}

const reasonOf = (e: unknown): string => {
  const r = (e as { response?: { message?: unknown } })?.response?.message;
  return typeof r === 'string' ? r : e instanceof Error ? e.message : String(e);
};

/**
 * Settings held against the organisation's chart of accounts (Xero) and the store's order statuses
 * (OpenCart) when saved; the rules are sync-core's (settings/organisation-fit.rules.ts). Only what
 * the save changes is checked. When Xero (or the store) cannot be asked, the save goes through with
 * a notice that says what was not checked — never a silent pass.
 */
@Injectable()
export class SettingsFitService {
  constructor(
    private readonly xero: XeroConnectionService,
    @Inject(OPENCART_READER) private readonly reader: OpenCartReader,
  ) {}

  async check(next: Record<string, unknown>, before: Record<string, unknown>): Promise<SettingsFit> {
    const n = next as unknown as Settings;
    const b = before as unknown as Settings;
    const errors: FieldError[] = [];
    const notices: string[] = [];
    const statusFields = changedStatusFields(n, b);
    if (statusFields.length) {
      try {
        errors.push(...statusFitErrors(statusFields, await this.reader.listOrderStatuses()));
      } catch (e) {
        notices.push(`Order statuses (${statusFields.map((f) => f.path).join(', ')}) were saved without checking them against the store: ${reasonOf(e)}`);
      }
    }
    const accountFields = changedAccountFields(n, b);
    if (accountFields.length) {
      try {
        const gateway = await this.xero.gateway();
        const [organisation, chart] = await Promise.all([gateway.getOrganisation(), gateway.listAccounts()]);
        errors.push(...accountFitErrors(accountFields, chart, organisation.Name));
      } catch (e) {
        notices.push(
          `Account codes (${accountFields.map((f) => f.path).join(', ')}) were saved without checking them against Xero's chart of accounts: ${reasonOf(e)}. Save again once Xero is reachable to have them checked; a run that meets a code Xero refuses stops and names it.`,
        );
      }
    }
    return { errors, notices };
  }
}
