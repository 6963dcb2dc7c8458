/**
 * Contacts step: the contact of every invoice about to be created, written once through the
 * ledger ('customer:7' / 'guest:<email>', shared with Export Customers).
 */
import type { ContactPlan } from '../../mapping/customer-to-contact.mapper';
import { isDone } from '../../ledger/ledger.rules';
import { isDryId, type FoundInXero, type OnceItem } from '../../ledger/write-once.protocol';
import type { XeroContactDraft, XeroPort } from '../../ports/xero.port';
import { payloadHash } from '../sync-run.model';
import type { OrderRun } from './sync-orders.model';

/** A contact to write once. */
export type ContactItem = OnceItem<XeroContactDraft>;

const lower = (s: string | undefined): string => (s ?? '').trim().toLowerCase();

/**
 * Adoption of contacts, shared by every caller that writes contacts: before creating a contact
 * this ledger has not seen done, look Xero up by ContactNumber (ours: the OpenCart customer key),
 * then by email for the rest (guests, and contacts the old extension made without our number).
 * Xero may hold them from a lost connector database, the old extension or a second connector;
 * creating them again would fail on the unique name or make a twin.
 */
export function contactLookup(xero: XeroPort) {
  return {
    candidates: (i: ContactItem) => !isDone(i.row),
    find: async (items: ContactItem[]) => {
      const out = new Map<string, FoundInXero>();
      // Our own lost answer holds our payload; anything else may not (see FoundInXero.payloadHash).
      const hashOf = (i: ContactItem) => (i.row?.status === 'pending' ? i.hash : null);
      const numbered = items.filter((i) => i.draft.ContactNumber);
      if (numbered.length) {
        const found = await xero.findContactsByNumbers(numbered.map((i) => i.draft.ContactNumber!));
        for (const i of numbered) {
          const c = found.find((f) => lower(f.ContactNumber) === lower(i.draft.ContactNumber));
          if (c) out.set(i.key, { xeroId: c.ContactID, xeroNumber: c.ContactNumber ?? null, payloadHash: hashOf(i) });
        }
      }
      const byEmail = items.filter((i) => !out.has(i.key) && i.draft.EmailAddress);
      if (byEmail.length) {
        const found = await xero.findContactsByEmails(byEmail.map((i) => i.draft.EmailAddress!));
        for (const i of byEmail) {
          const c = found.find((f) => lower(f.EmailAddress) === lower(i.draft.EmailAddress));
          if (c) out.set(i.key, { xeroId: c.ContactID, xeroNumber: c.ContactNumber ?? null, payloadHash: hashOf(i) });
        }
      }
      return out;
    },
  };
}

/** Contacts by ledger key → ContactID ('' in a dry run for new ones) or the reason Xero refused. */
export async function ensureContacts(state: OrderRun, plans: ContactPlan[]): Promise<Map<string, { contactId?: string; error?: string }>> {
  const { xero } = state.deps;
  const out = new Map<string, { contactId?: string; error?: string }>();
  const distinct = [...new Map(plans.map((p) => [p.key, p])).values()];
  if (!distinct.length) return out;
  const rows = await state.ledger.rows('contact', distinct.map((p) => p.key));
  const missing: ContactPlan[] = [];
  for (const p of distinct) {
    const row = rows.get(p.key);
    // A dry run's placeholder id is no ContactID: the invoice then names the contact.
    if (isDone(row)) out.set(p.key, { contactId: isDryId(row.xeroId) ? '' : row.xeroId });
    else missing.push(p);
  }
  if (!missing.length) return out;
  const result = await state.ledger.writeOnce({
    entityType: 'contact',
    items: missing.map((p): ContactItem => ({ key: p.key, hash: payloadHash(p.draft), draft: p.draft, number: p.draft.ContactNumber, row: rows.get(p.key) })),
    lookup: contactLookup(xero),
    send: (items) => xero.saveContacts(items.map((i) => i.draft)),
    identify: (c, i) => ({ xeroId: c.ContactID, xeroNumber: c.ContactNumber ?? i.draft.ContactNumber ?? null }),
    refused: (_i, errors) => ({ lastError: errors.join('; ') }),
    // A dry run has no ContactID for a new contact: the invoice names it instead (see invoices.step).
    dryValue: (i) => ({ ContactID: '', Name: i.draft.Name }),
  });
  for (const a of result.adopted) out.set(a.item.key, { contactId: a.found.xeroId });
  for (const c of result.created) out.set(c.item.key, { contactId: c.value.ContactID });
  for (const r of result.refused) out.set(r.item.key, { error: r.reason });
  state.counts.contactsAdopted += result.adopted.length;
  state.counts.contactsCreated += result.created.length;
  return out;
}
