/**
 * Registered customers → Xero contacts (Export Customers). Guests reach Xero through their orders.
 * Keyed by ContactNumber and the shared 'contact' ledger (the order export uses the same keys), so
 * a customer exported here is not created again for their orders, and vice versa.
 */
import { isSyncError } from '../errors';
import { mapCustomerToContact, type ContactPlan } from '../mapping/customer-to-contact.mapper';
import type { LedgerPort } from '../ledger/ledger.port';
import { isUnchanged } from '../ledger/ledger.rules';
import { LedgerSession } from '../ledger/write-once.protocol';
import type { SettingsStorePort } from '../ports/settings-store.port';
import type { OcCustomer, OpenCartReader } from '../ports/opencart.port';
import type { XeroContact, XeroContactDraft, XeroPort } from '../ports/xero.port';
import { contactLookup, resolveContactNames, type ContactItem } from './sync-orders/contacts.step';
import type { SyncLogger } from './sync-logger.port';
import { emptyCounts, endResult, nullReporter, payloadHash, reasonOf, resolveSettings, throwIfAborted, type UseCaseResult, type UseCaseRun } from './sync-run.model';

export interface ExportCustomersDeps {
  reader: OpenCartReader;
  xero: XeroPort;
  store: LedgerPort & SettingsStorePort;
  logger: SyncLogger;
}

export interface ExportCustomersRun extends UseCaseRun {
  /** Customers per page (default 100). */
  pageSize?: number;
}

export class ExportCustomersUseCase {
  constructor(private readonly deps: ExportCustomersDeps) {}

  async execute(run: ExportCustomersRun): Promise<UseCaseResult> {
    const counts = emptyCounts();
    const reporter = run.reporter ?? nullReporter;
    const { reader, xero, store, logger } = this.deps;
    const dry = Boolean(run.dryRun);
    const ledger = run.ledger ?? new LedgerSession(store, run.scope, dry);
    try {
      const settings = await resolveSettings(store, run);
      const total = await reader.countCustomers();
      let afterId: number | undefined;
      for (;;) {
        throwIfAborted(run.signal);
        const page = await reader.listCustomers({ afterId, limit: run.pageSize ?? 100 });
        if (!page.items.length) break;
        counts.customersSeen += page.items.length;

        const plans: Array<{ customer: OcCustomer; plan: ContactPlan; hash: string }> = [];
        for (const customer of page.items) {
          try {
            const plan = mapCustomerToContact(customer, settings);
            plans.push({ customer, plan, hash: payloadHash(plan.draft) });
          } catch (e) {
            if (isSyncError(e) && (e.kind === 'config' || e.kind === 'needs-reconnect')) throw e;
            this.fail(run, counts, reporter, customer.customerId, reasonOf(e));
          }
        }
        const rows = await ledger.rows('contact', plans.map((p) => p.plan.key));
        const toSend: Array<{ customer: OcCustomer; plan: ContactPlan; hash: string; draft: XeroContactDraft; update: boolean }> = [];
        for (const p of plans) {
          const row = rows.get(p.plan.key);
          if (isUnchanged(row, p.hash)) continue;
          const update = row?.status === 'done' && Boolean(row.xeroId);
          toSend.push({ ...p, draft: update ? { ...p.plan.draft, ContactID: row!.xeroId! } : p.plan.draft, update });
        }
        // A dry run goes through the same protocol, which plans instead of writing. Names take the
        // suffix only where they would clash (in Xero, a harmless read in a dry run too, or in this
        // page); the hash stays the plan's.
        if (toSend.length) {
          await resolveContactNames(xero, toSend.map((t) => ({ key: t.plan.key, draft: (t.draft = { ...t.draft }), uniqueName: t.plan.uniqueName })));
          const result = await ledger.writeOnce<ContactItem & { s: (typeof toSend)[number] }, XeroContact>({
            entityType: 'contact',
            items: toSend.map((s) => ({ key: s.plan.key, hash: s.hash, draft: s.draft, number: s.draft.ContactNumber, row: rows.get(s.plan.key), s })),
            // A contact reserved by an earlier run that never heard back may exist already.
            lookup: contactLookup(xero),
            send: (items) => xero.saveContacts(items.map((i) => i.draft)),
            identify: (c, i) => ({ xeroId: c.ContactID, xeroNumber: c.ContactNumber ?? i.draft.ContactNumber ?? null }),
            refused: (_i, errors) => ({ lastError: `Xero refused the contact: ${errors.join('; ')}` }),
            dryValue: (i) => ({ ContactID: i.s.update ? (i.draft.ContactID ?? '') : '', Name: i.draft.Name, ...(i.draft.ContactNumber ? { ContactNumber: i.draft.ContactNumber } : {}) }),
            sendAction: (i) => (i.s.update ? 'update' : 'create'),
          });
          counts.contactsAdopted += result.adopted.length;
          for (const a of result.adopted) {
            const id = String(a.item.s.customer.customerId);
            reporter.log({ level: 'info', entityType: 'customer', entityId: id, status: 'adopted', message: `Customer ${id} was already in Xero (contact ${a.found.xeroNumber ?? a.found.xeroId}); the connector ${dry ? 'would adopt' : 'adopted'} it.` });
          }
          for (const c of result.created) {
            const s = c.item.s;
            const id = String(s.customer.customerId);
            if (s.update) counts.contactsUpdated += 1;
            else counts.contactsCreated += 1;
            reporter.log({ level: 'info', entityType: 'customer', entityId: id, status: dry ? 'planned' : 'exported', message: `Customer ${id} ${dry ? 'would be ' : ''}${s.update ? 'updated' : 'created'} in Xero as "${c.value.Name}".` });
          }
          for (const r of result.refused) this.fail(run, counts, reporter, r.item.s.customer.customerId, r.reason);
        }
        reporter.progress({ runId: run.runId, phase: 'customers', processed: counts.customersSeen, total: Math.max(total, counts.customersSeen) });
        if (page.next === null) break;
        afterId = page.next;
      }
      logger.info('customer export finished', { runId: run.runId, created: counts.contactsCreated, updated: counts.contactsUpdated });
      return endResult(counts);
    } catch (e) {
      const result = endResult(counts, e);
      if (result.status === 'failed') logger.error('customer export stopped', { runId: run.runId, reason: result.error });
      return result;
    }
  }

  private fail(run: UseCaseRun, counts: UseCaseResult['counts'], reporter: NonNullable<UseCaseRun['reporter']>, customerId: number, reason: string): void {
    counts.failures.push({ entityType: 'customer', entityId: String(customerId), reason });
    reporter.log({ level: 'error', entityType: 'customer', entityId: String(customerId), status: 'failed', message: `Customer ${customerId} failed: ${reason}` });
    this.deps.logger.warn('customer failed', { runId: run.runId, customerId, reason });
  }
}
