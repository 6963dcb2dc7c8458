import { ObjectSerializer } from 'xero-node';
import type {
  XeroAccount,
  XeroContact,
  XeroCreditNote,
  XeroCurrency,
  XeroInvoice,
  XeroItem,
  XeroOrganisation,
  XeroPayment,
  XeroStockDocument,
  XeroTaxRate,
  XeroTrackingCategory,
} from '@oc-xero/sync-core';

/**
 * Our drafts use Xero's JSON names (PascalCase); xero-node's models use camelCase names. Its own
 * ObjectSerializer knows the mapping of every field, so we let it do both directions instead of
 * keeping a hand-written copy that would drift from the SDK.
 */
export function toXeroModel<M>(json: unknown, type: string): M {
  return ObjectSerializer.deserialize(json, type) as M;
}

/** A xero-node model back to Xero's JSON names, undefined fields dropped. */
export function fromXeroModel(model: unknown, type: string): Record<string, unknown> {
  return JSON.parse(JSON.stringify(ObjectSerializer.serialize(model, type) ?? {})) as Record<string, unknown>;
}

type Json = Record<string, unknown>;

function pick<T>(json: Json, keys: readonly string[]): T {
  const out: Json = {};
  for (const k of keys) if (json[k] !== undefined && json[k] !== null) out[k] = json[k];
  return out as T;
}

const num = (v: unknown): number => (typeof v === 'number' ? v : Number(v ?? 0));

export const contactOf = (m: unknown): XeroContact => pick(fromXeroModel(m, 'Contact'), ['ContactID', 'ContactNumber', 'Name', 'EmailAddress', 'ContactStatus']);

export const itemOf = (m: unknown): XeroItem => pick(fromXeroModel(m, 'Item'), ['ItemID', 'Code', 'Name', 'IsTrackedAsInventory', 'QuantityOnHand']);

export function invoiceOf(m: unknown): XeroInvoice {
  const j = fromXeroModel(m, 'Invoice');
  const inv = pick<XeroInvoice>(j, ['InvoiceID', 'InvoiceNumber', 'Status', 'CurrencyCode']);
  inv.SubTotal = num(j.SubTotal);
  inv.TotalTax = num(j.TotalTax);
  inv.Total = num(j.Total);
  inv.AmountDue = num(j.AmountDue);
  inv.AmountPaid = num(j.AmountPaid);
  if (j.AmountCredited !== undefined && j.AmountCredited !== null) inv.AmountCredited = num(j.AmountCredited);
  const contact = j.Contact as Json | undefined;
  if (contact?.ContactID) inv.Contact = { ContactID: String(contact.ContactID), ...(contact.Name ? { Name: String(contact.Name) } : {}) };
  if (Array.isArray(j.Payments)) inv.Payments = (j.Payments as Json[]).map((p) => ({ PaymentID: String(p.PaymentID), Amount: num(p.Amount) }));
  if (Array.isArray(j.CreditNotes)) inv.CreditNotes = (j.CreditNotes as Json[]).map((c) => pick(c, ['CreditNoteID', 'CreditNoteNumber', 'Total', 'AppliedAmount']));
  return inv;
}

export function paymentOf(m: unknown): XeroPayment {
  const j = fromXeroModel(m, 'Payment');
  const p = pick<XeroPayment>(j, ['PaymentID', 'Status', 'IsReconciled']);
  p.Amount = num(j.Amount);
  const invoiceId = (j.Invoice as Json | undefined)?.InvoiceID;
  if (invoiceId) p.InvoiceID = String(invoiceId);
  const creditNoteId = (j.CreditNote as Json | undefined)?.CreditNoteID;
  if (creditNoteId) p.CreditNoteID = String(creditNoteId);
  return p;
}

export function creditNoteOf(m: unknown): XeroCreditNote {
  const j = fromXeroModel(m, 'CreditNote');
  const c = pick<XeroCreditNote>(j, ['CreditNoteID', 'CreditNoteNumber', 'Status']);
  c.Total = num(j.Total);
  if (j.RemainingCredit !== undefined) c.RemainingCredit = num(j.RemainingCredit);
  if (Array.isArray(j.Payments)) c.Payments = (j.Payments as Json[]).map((p) => ({ PaymentID: String(p.PaymentID), Amount: num(p.Amount) }));
  return c;
}

export const organisationOf = (m: unknown): XeroOrganisation =>
  pick(fromXeroModel(m, 'Organisation'), ['OrganisationID', 'Name', 'BaseCurrency', 'CountryCode', 'Version']);

export const accountOf = (m: unknown): XeroAccount =>
  pick(fromXeroModel(m, 'Account'), ['AccountID', 'Code', 'Name', 'Type', 'Status', 'TaxType', 'EnablePaymentsToAccount', 'CurrencyCode']);

export function taxRateOf(m: unknown): XeroTaxRate {
  const j = fromXeroModel(m, 'TaxRate');
  const t = pick<XeroTaxRate>(j, ['Name', 'TaxType', 'Status', 'CanApplyToRevenue']);
  t.EffectiveRate = num(j.EffectiveRate);
  return t;
}

export const currencyOf = (m: unknown): XeroCurrency => pick(fromXeroModel(m, 'Currency'), ['Code', 'Description']);

export function trackingCategoryOf(m: unknown): XeroTrackingCategory {
  const j = fromXeroModel(m, 'TrackingCategory');
  const t = pick<XeroTrackingCategory>(j, ['TrackingCategoryID', 'Name', 'Status']);
  t.Options = ((j.Options as Json[] | undefined) ?? []).map((o) => pick(o, ['TrackingOptionID', 'Name', 'Status']));
  return t;
}

/** A bill (Invoice ACCPAY) or supplier credit note (CreditNote ACCPAYCREDIT), its item lines only. */
export function stockDocumentOf(m: unknown, model: 'Invoice' | 'CreditNote'): XeroStockDocument {
  const j = fromXeroModel(m, model);
  const lines = ((j.LineItems as Json[] | undefined) ?? [])
    .filter((l) => typeof l.ItemCode === 'string' && l.ItemCode !== '')
    .map((l) => ({ itemCode: String(l.ItemCode), quantity: num(l.Quantity) }));
  return {
    id: String(model === 'Invoice' ? j.InvoiceID : j.CreditNoteID),
    number: String((model === 'Invoice' ? j.InvoiceNumber : j.CreditNoteNumber) ?? ''),
    type: model === 'Invoice' ? 'ACCPAY' : 'ACCPAYCREDIT',
    status: String(j.Status ?? ''),
    lines,
  };
}
