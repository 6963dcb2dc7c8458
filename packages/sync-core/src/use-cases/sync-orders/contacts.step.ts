/**
 * Contacts step: the contact of every invoice about to be created, written once through the
 * ledger ('customer:7' / 'guest:<email>', shared with Export Customers).
 */
import type { ContactPlan } from '../../mapping/customer-to-contact.mapper';
import { isDone } from '../../ledger/ledger.rules';
import { isDryId, type FoundInXero, type OnceItem } from '../../ledger/write-once.protocol';
import type { XeroContact, XeroContactDraft, XeroPort } from '../../ports/xero.port';
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

/** A contact about to be sent, with the name to fall back on when its own is taken. */
export interface NamedContact {
  /** Ledger key (two items with one key are one contact). */
  key: string;
  /** The draft to send; its Name is set to the resolved name. */
  draft: XeroContactDraft;
  /** See ContactPlan.uniqueName. */
  uniqueName?: string;
}

/**
 * Make Customer Unique, as the merchant reads it: a contact keeps its formatted name ("John
 * Smith") and takes the suffix ("John Smith (C7)") only when that name would clash — an active
 * Xero contact of that name that is not this customer's (other ContactNumber and ContactID), or
 * an earlier contact of the same batch. One lookup per batch (findContactsByNames). Sets each
 * draft's Name in place.
 */
export async function resolveContactNames(xero: XeroPort | null, items: NamedContact[]): Promise<void> {
  const choosable = items.filter((i) => i.uniqueName && i.uniqueName !== i.draft.Name);
  if (!choosable.length) return;
  const names = [...new Set(choosable.map((i) => i.draft.Name))];
  // null: within the batch only (a dry run, which calls Xero for nothing).
  const inXero = names.length && xero ? await xero.findContactsByNames(names) : [];
  const taken = new Map<string, XeroContact[]>();
  for (const c of inXero) {
    if (c.ContactStatus && c.ContactStatus !== 'ACTIVE') continue;
    taken.set(lower(c.Name), [...(taken.get(lower(c.Name)) ?? []), c]);
  }
  // Names this batch already gives, to the contact (key) that has it.
  const given = new Map<string, string>();
  for (const i of items) if (!i.uniqueName || i.uniqueName === i.draft.Name) given.set(lower(i.draft.Name), i.key);
  for (const i of items) {
    if (!i.uniqueName || i.uniqueName === i.draft.Name) continue;
    const name = lower(i.draft.Name);
    const mine = (c: XeroContact) =>
      (i.draft.ContactID !== undefined && c.ContactID === i.draft.ContactID) ||
      (Boolean(c.ContactNumber) && lower(c.ContactNumber) === lower(i.draft.ContactNumber));
    const clashInXero = (taken.get(name) ?? []).some((c) => !mine(c));
    const holder = given.get(name);
    const clashInBatch = holder !== undefined && holder !== i.key;
    if (clashInXero || clashInBatch) i.draft.Name = i.uniqueName;
    given.set(lower(i.draft.Name), i.key);
  }
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
  // The hash is of the plan (the name before resolution), so a resolved suffix does not make the contact look changed next run.
  const items = missing.map((p): ContactItem => ({ key: p.key, hash: payloadHash(p.draft), draft: { ...p.draft }, number: p.draft.ContactNumber, row: rows.get(p.key) }));
  // Reading Xero's names is harmless, so a dry run resolves them too and plans the names the real run gives.
  await resolveContactNames(xero, items.map((it, n) => ({ key: it.key, draft: it.draft, uniqueName: missing[n]!.uniqueName })));
  const result = await state.ledger.writeOnce({
    entityType: 'contact',
    items,
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
