/**
 * Registered customers → Xero contacts (Export Customers). Guests reach Xero through their orders.
 * Keyed by ContactNumber and the shared 'contact' ledger (the order export uses the same keys), so
 * a customer exported here is not created again for their orders, and vice versa.
 */
import { isSyncError } from '../errors';
import { mapCustomerToContact, type ContactPlan } from '../mapping/customer-to-contact.mapper';
import type { ConnectorStore, LedgerStatus } from '../ports/connector-store.port';
import type { OcCustomer, OpenCartReader } from '../ports/opencart.port';
import type { XeroContactDraft, XeroPort } from '../ports/xero.port';
import type { SyncLogger } from './sync-logger.port';
import { emptyCounts, endResult, nullReporter, payloadHash, reasonOf, resolveSettings, throwIfAborted, type UseCaseResult, type UseCaseRun } from './sync-run.model';

export interface ExportCustomersDeps {
  reader: OpenCartReader;
  xero: XeroPort;
  store: ConnectorStore;
  logger: SyncLogger;
}

export interface ExportCustomersRun extends UseCaseRun {
  /** Customers per page (default 100). */
  pageSize?: number;
}

type RecordRow = { entityKey: string; status: LedgerStatus; xeroId?: string | null; xeroNumber?: string | null; payloadHash?: string | null; lastError?: string | null };

export class ExportCustomersUseCase {
  constructor(private readonly deps: ExportCustomersDeps) {}

  async execute(run: ExportCustomersRun): Promise<UseCaseResult> {
    const counts = emptyCounts();
    const reporter = run.reporter ?? nullReporter;
    const { reader, xero, store, logger } = this.deps;
    const dry = Boolean(run.dryRun);
    try {
      const settings = await resolveSettings(store, run);
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
        const rows = new Map((await store.getLedger(run.scope, 'contact', plans.map((p) => p.plan.key))).map((r) => [r.entityKey, r]));
        const toSend: Array<{ customer: OcCustomer; plan: ContactPlan; hash: string; draft: XeroContactDraft; update: boolean }> = [];
        for (const p of plans) {
          const row = rows.get(p.plan.key);
          if (row?.status === 'done' && row.payloadHash === p.hash) continue;
          const update = row?.status === 'done' && Boolean(row.xeroId);
          toSend.push({ ...p, draft: update ? { ...p.plan.draft, ContactID: row!.xeroId! } : p.plan.draft, update });
        }
        if (dry || !toSend.length) {
          for (const s of toSend) reporter.log({ level: 'info', entityType: 'customer', entityId: String(s.customer.customerId), status: 'planned', message: `Customer ${s.customer.customerId} would be ${s.update ? 'updated' : 'created'} as "${s.draft.Name}".` });
        } else {
          await store.reserve(run.scope, 'contact', toSend.map((s) => ({ entityKey: s.plan.key, payloadHash: s.hash, xeroNumber: s.draft.ContactNumber })));
          const results: RecordRow[] = [];
          // A contact reserved by an earlier run that never heard back may exist already.
          const unknown = toSend.filter((s) => rows.get(s.plan.key)?.status === 'pending' && s.draft.ContactNumber);
          if (unknown.length) {
            const found = await xero.findContactsByNumbers(unknown.map((s) => s.draft.ContactNumber!));
            for (const s of unknown) {
              const c = found.find((f) => f.ContactNumber === s.draft.ContactNumber);
              if (c) {
                s.draft = { ...s.draft, ContactID: c.ContactID };
                s.update = true;
                counts.contactsAdopted += 1;
              }
            }
          }
          let answers;
          try {
            answers = await xero.saveContacts(toSend.map((s) => s.draft));
          } catch (e) {
            await store.record(run.scope, 'contact', results);
            throw e;
          }
          answers.forEach((a, i) => {
            const s = toSend[i]!;
            const id = String(s.customer.customerId);
            if (a.ok) {
              if (s.update) counts.contactsUpdated += 1;
              else counts.contactsCreated += 1;
              results.push({ entityKey: s.plan.key, status: 'done', xeroId: a.value.ContactID, xeroNumber: a.value.ContactNumber ?? s.draft.ContactNumber ?? null, payloadHash: s.hash });
              reporter.log({ level: 'info', entityType: 'customer', entityId: id, status: 'exported', message: `Customer ${id} ${s.update ? 'updated' : 'created'} in Xero as "${a.value.Name}".` });
            } else {
              const reason = `Xero refused the contact: ${a.errors.join('; ')}`;
              results.push({ entityKey: s.plan.key, status: 'failed', lastError: reason });
              this.fail(run, counts, reporter, s.customer.customerId, reason);
            }
          });
          await store.record(run.scope, 'contact', results);
        }
        reporter.progress({ runId: run.runId, phase: 'customers', processed: counts.customersSeen });
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
