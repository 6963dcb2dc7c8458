import { randomUUID } from 'node:crypto';
import {
  ApiContext,
  ApiResult,
  boolParam,
  checkLength,
  elementsOf,
  ElementValidationError,
  envelope,
  listQuery,
  notFound,
  runBatch,
  str,
  unitdpOf,
} from './accounting.common';
import { activeContactNamed, contactSummary, findContact, saveContact } from './contacts.service';
import { computeInvoiceTotals, roundMoney } from './invoice-totals.calculator';
import { IndexedMap } from './indexed.map';
import { Json } from './organisation.seed';
import { OrganisationStore, sameId } from './organisation.store';
import { isoDateTimeString, msDate, parseXeroDate, startOfUtcDay } from './xero-date.util';

// Invoices and credit notes share Xero's document rules: numbering, status transitions, line
// arithmetic, currency and tracked inventory. A DocumentKind says which of the two we handle.

export interface DocumentKind {
  key: 'Invoices' | 'CreditNotes';
  label: string;
  idField: 'InvoiceID' | 'CreditNoteID';
  numberField: 'InvoiceNumber' | 'CreditNoteNumber';
  types: string[];
  /** The sales type: its numbers are unique and generated when missing. */
  salesType: string;
  prefix: string;
  /** +1 when an authorised document of this type adds stock, -1 when it removes it. */
  stockSign: Record<string, number>;
  store(org: OrganisationStore): IndexedMap<Json>;
}

export const INVOICES: DocumentKind = {
  key: 'Invoices',
  label: 'Invoice',
  idField: 'InvoiceID',
  numberField: 'InvoiceNumber',
  types: ['ACCREC', 'ACCPAY'],
  salesType: 'ACCREC',
  prefix: 'INV-',
  stockSign: { ACCREC: -1, ACCPAY: 1 },
  store: (org) => org.invoices,
};

export const CREDIT_NOTES: DocumentKind = {
  key: 'CreditNotes',
  label: 'Credit Note',
  idField: 'CreditNoteID',
  numberField: 'CreditNoteNumber',
  types: ['ACCRECCREDIT', 'ACCPAYCREDIT'],
  salesType: 'ACCRECCREDIT',
  prefix: 'CN-',
  stockSign: { ACCRECCREDIT: 1, ACCPAYCREDIT: -1 },
  store: (org) => org.creditNotes,
};

const TRANSITIONS: Record<string, string[]> = {
  DRAFT: ['DRAFT', 'SUBMITTED', 'AUTHORISED', 'DELETED'],
  SUBMITTED: ['DRAFT', 'SUBMITTED', 'AUTHORISED', 'DELETED'],
  AUTHORISED: ['AUTHORISED', 'VOIDED'],
};
const STOCK_ACTIVE = new Set(['AUTHORISED', 'PAID']);

export interface DocumentWriteOptions {
  upsert: boolean;
  pathId?: string;
  unitdp: number;
  allowBackorders: boolean;
}

export function findDocument(
  org: OrganisationStore,
  kind: DocumentKind,
  idOrNumber: string,
): Json | undefined {
  const store = kind.store(org);
  const byId = store.byId(idOrNumber);
  if (byId && sameId(byId[kind.idField], idOrNumber)) return byId;
  return store
    .lookup('number', idOrNumber)
    .find(
      (d) =>
        d.Type === kind.salesType &&
        String(d[kind.numberField] ?? '').toLowerCase() === idOrNumber.toLowerCase(),
    );
}

function numberTaken(
  org: OrganisationStore,
  kind: DocumentKind,
  number: string,
  exceptId?: unknown,
): boolean {
  // Voided and deleted documents keep their numbers: Xero never lets a number be reused.
  return kind
    .store(org)
    .lookup('number', number)
    .some(
      (d) =>
        d.Type === kind.salesType &&
        String(d[kind.numberField]).toLowerCase() === number.toLowerCase() &&
        !sameId(d[kind.idField], exceptId),
    );
}

function nextNumber(org: OrganisationStore, kind: DocumentKind): string {
  for (;;) {
    const seq = kind === INVOICES ? ++org.invoiceSequence : ++org.creditNoteSequence;
    const candidate = `${kind.prefix}${String(seq).padStart(4, '0')}`;
    if (!numberTaken(org, kind, candidate)) return candidate;
  }
}

function stockEffect(org: OrganisationStore, kind: DocumentKind, doc: Json | undefined): Map<string, number> {
  const effect = new Map<string, number>();
  if (!doc || !STOCK_ACTIVE.has(String(doc.Status))) return effect;
  const sign = kind.stockSign[String(doc.Type)] ?? 0;
  for (const line of (doc.LineItems as Json[] | undefined) ?? []) {
    const item = org.itemByCode(line.ItemCode);
    if (!item || !item.IsTrackedAsInventory) continue;
    const code = String(item.Code);
    effect.set(code, (effect.get(code) ?? 0) + sign * Number(line.Quantity ?? 0));
  }
  return effect;
}

const PURCHASE_TYPES = new Set(['ACCPAY', 'ACCPAYCREDIT']);

/**
 * What a purchase document adds to the items' cost pools (ex-tax line amounts): bills add, supplier
 * credit notes take away. Sales documents take cost away at the average cost instead (applyStock).
 */
function costEffect(org: OrganisationStore, kind: DocumentKind, doc: Json | undefined): Map<string, number> {
  const effect = new Map<string, number>();
  if (!doc || !STOCK_ACTIVE.has(String(doc.Status)) || !PURCHASE_TYPES.has(String(doc.Type))) return effect;
  const sign = kind.stockSign[String(doc.Type)] ?? 0;
  const inclusive = doc.LineAmountTypes === 'Inclusive';
  for (const line of (doc.LineItems as Json[] | undefined) ?? []) {
    const item = org.itemByCode(line.ItemCode);
    if (!item || !item.IsTrackedAsInventory) continue;
    const code = String(item.Code);
    const value = Number(line.LineAmount ?? 0) - (inclusive ? Number(line.TaxAmount ?? 0) : 0);
    effect.set(code, roundMoney((effect.get(code) ?? 0) + sign * value));
  }
  return effect;
}

function stockDelta(before: Map<string, number>, after: Map<string, number>): Map<string, number> {
  const delta = new Map<string, number>();
  for (const code of new Set([...before.keys(), ...after.keys()])) {
    const d = (after.get(code) ?? 0) - (before.get(code) ?? 0);
    if (d !== 0) delta.set(code, d);
  }
  return delta;
}

function applyStock(
  org: OrganisationStore,
  delta: Map<string, number>,
  now: Date,
  cost: Map<string, number> = new Map(),
): void {
  for (const [code, d] of delta) {
    const item = org.itemByCode(code);
    if (!item) continue;
    const before = Number(item.QuantityOnHand ?? 0);
    const averageCost = before > 0 ? Number(item.TotalCostPool ?? 0) / before : 0;
    item.QuantityOnHand = roundMoney(before + d, 4);
    const c = cost.get(code);
    if (c !== undefined) item.TotalCostPool = roundMoney(Math.max(0, Number(item.TotalCostPool ?? 0) + c), 2);
    else if (d < 0)
      item.TotalCostPool = roundMoney(Math.max(0, Number(item.TotalCostPool ?? 0) + d * averageCost), 2);
    item.UpdatedDateUTC = msDate(now);
  }
}

/** Recomputes what is owed after payments, allocations or edits; AUTHORISED ↔ PAID follows it. */
export function settle(kind: DocumentKind, doc: Json, now: Date): void {
  const paid = ((doc.Payments as Json[]) ?? []).reduce((s, p) => s + Number(p.Amount ?? 0), 0);
  const allocated = ((doc.Allocations as Json[] | undefined) ?? []).reduce(
    (s, a) => s + Number(a.Amount ?? 0),
    0,
  );
  if (kind === INVOICES) {
    const credited = ((doc.CreditNotes as Json[]) ?? []).reduce(
      (s, c) => s + Number(c.AppliedAmount ?? 0),
      0,
    );
    doc.AmountPaid = roundMoney(paid);
    doc.AmountCredited = roundMoney(credited);
    doc.AmountDue = roundMoney(Number(doc.Total) - paid - credited);
  } else {
    doc.AppliedAmount = roundMoney(paid + allocated);
    doc.RemainingCredit = roundMoney(Number(doc.Total) - paid - allocated);
  }
  const outstanding = kind === INVOICES ? Number(doc.AmountDue) : Number(doc.RemainingCredit);
  if (doc.Status === 'AUTHORISED' && outstanding === 0) {
    doc.Status = 'PAID';
    doc.FullyPaidOnDate = msDate(startOfUtcDay(now));
  } else if (doc.Status === 'PAID' && outstanding !== 0) {
    doc.Status = 'AUTHORISED';
    delete doc.FullyPaidOnDate;
  }
}

function hasMoneyApplied(kind: DocumentKind, doc: Json): boolean {
  if (kind === INVOICES) return Number(doc.AmountPaid ?? 0) !== 0 || Number(doc.AmountCredited ?? 0) !== 0;
  return Number(doc.AppliedAmount ?? 0) !== 0;
}

function resolveContact(
  org: OrganisationStore,
  input: unknown,
  errors: string[],
): { contact?: Json; create?: Json } {
  const c = (input && typeof input === 'object' ? input : {}) as Json;
  const id = str(c.ContactID);
  const number = str(c.ContactNumber);
  const name = str(c.Name);
  if (!id && !number && !name) {
    errors.push(
      'The Contact must contain at least 1 of the following elements to identify the contact: Name, ContactID, ContactNumber',
    );
    return {};
  }
  let contact = id ? org.contacts.byId(id) : undefined;
  if (contact && !sameId(contact.ContactID, id)) contact = undefined;
  if (id && !contact) {
    errors.push(`The contact with ContactID ${id} could not be found.`);
    return {};
  }
  if (!contact && number) contact = findContact(org, number);
  if (!contact && name) contact = activeContactNamed(org, name);
  if (!contact) {
    // Xero creates a contact named on a document when none matches.
    if (!name) {
      errors.push(`The contact with ContactNumber ${number} could not be found; send a Name to create it.`);
      return {};
    }
    return { create: c };
  }
  if (contact.ContactStatus === 'ARCHIVED')
    errors.push(
      `The contact ${String(contact.Name)} is archived; documents cannot be raised for an archived contact.`,
    );
  return { contact };
}

function buildLines(
  org: OrganisationStore,
  kind: DocumentKind,
  type: string,
  status: string,
  lines: Json[],
  unitdp: number,
  errors: string[],
): Json[] {
  const sales = type === 'ACCREC' || type === 'ACCRECCREDIT';
  return lines.map((input, i) => {
    const n = i + 1;
    const item =
      input.ItemCode !== undefined && input.ItemCode !== null && input.ItemCode !== ''
        ? org.itemByCode(str(input.ItemCode))
        : undefined;
    if (input.ItemCode && !item) errors.push(`Item code '${String(input.ItemCode)}' is not valid.`);
    const details = (item ? (sales ? item.SalesDetails : item.PurchaseDetails) : undefined) as
      Json | undefined;
    const description =
      str(input.Description) ??
      (item
        ? (str(sales ? item.Description : (item.PurchaseDescription ?? item.Description)) ?? str(item.Name))
        : undefined);
    if (!description || description.trim() === '')
      errors.push('The description field is mandatory for each line item.');
    checkLength(errors, `The Description of line ${n}`, description, 4000);
    let accountCode = str(input.AccountCode) ?? str(details?.AccountCode);
    if (!accountCode && item?.IsTrackedAsInventory)
      accountCode = sales
        ? str(item.SalesDetails && (item.SalesDetails as Json).AccountCode)
        : str(item.InventoryAssetAccountCode);
    let account: Json | undefined;
    if (accountCode) {
      account = org.accountByCode(accountCode);
      if (!account) errors.push(`Account code '${accountCode}' is not a valid code for this document.`);
      else if (account.Status !== 'ACTIVE')
        errors.push(
          `Account code '${accountCode}' has been archived, or has been deleted. Each line item must reference a valid account.`,
        );
      else if (account.Type === 'BANK')
        errors.push(`Account code '${accountCode}' is a bank account and cannot be used on a line item.`);
    } else if (status !== 'DRAFT') {
      errors.push(
        `Line ${n}: an AccountCode (or an ItemCode with a default account) is required unless the ${kind.label.toLowerCase()} is a DRAFT.`,
      );
    }
    const taxType = str(input.TaxType) ?? str(details?.TaxType) ?? str(account?.TaxType) ?? 'NONE';
    if (!org.taxRate(taxType))
      errors.push(
        `The TaxType code '${taxType}' does not exist or cannot be used for this type of transaction.`,
      );
    const quantity = input.Quantity === undefined || input.Quantity === null ? 1 : Number(input.Quantity);
    if (!Number.isFinite(quantity)) errors.push(`Line ${n}: Quantity must be a number.`);
    const rawUnit = input.UnitAmount ?? details?.UnitPrice ?? 0;
    const unit = Number(rawUnit);
    if (!Number.isFinite(unit)) errors.push(`Line ${n}: UnitAmount must be a number.`);
    const discount =
      input.DiscountRate === undefined || input.DiscountRate === null
        ? undefined
        : Number(input.DiscountRate);
    if (discount !== undefined && (!Number.isFinite(discount) || discount < 0 || discount > 100))
      errors.push(`Line ${n}: DiscountRate must be between 0 and 100.`);
    const tracking = ((input.Tracking as Json[] | undefined) ?? []).map((t) => {
      const category = org.trackingCategories.find(
        (c) =>
          sameId(c.TrackingCategoryID, t.TrackingCategoryID) ||
          String(c.Name).toLowerCase() === String(t.Name ?? '').toLowerCase(),
      );
      const option = ((category?.Options as Json[] | undefined) ?? []).find(
        (o) =>
          sameId(o.TrackingOptionID, t.TrackingOptionID) ||
          String(o.Name).toLowerCase() === String(t.Option ?? '').toLowerCase(),
      );
      if (!category || !option) {
        errors.push(
          `Tracking category '${String(t.Name ?? t.TrackingCategoryID)}' with option '${String(t.Option ?? t.TrackingOptionID)}' does not exist.`,
        );
        return t;
      }
      return {
        Name: category.Name,
        Option: option.Name,
        TrackingCategoryID: category.TrackingCategoryID,
        TrackingOptionID: option.TrackingOptionID,
      };
    });
    const line: Json = {
      LineItemID: str(input.LineItemID) ?? randomUUID(),
      Description: description ?? '',
      UnitAmount: roundMoney(Number.isFinite(unit) ? unit : 0, unitdp),
      TaxType: taxType,
      Quantity: roundMoney(Number.isFinite(quantity) ? quantity : 0, 4),
      Tracking: tracking,
    };
    if (accountCode) line.AccountCode = accountCode;
    if (account) line.AccountID = account.AccountID;
    if (item) {
      line.ItemCode = item.Code;
      line.Item = { ItemID: item.ItemID, Code: item.Code, Name: item.Name };
    }
    if (discount !== undefined) line.DiscountRate = discount;
    if (input.TaxAmount !== undefined && input.TaxAmount !== null) line.TaxAmount = Number(input.TaxAmount);
    return line;
  });
}

/** Creates or updates one invoice / credit note under Xero's rules; throws ElementValidationError. */
export function saveDocument(
  ctx: ApiContext,
  kind: DocumentKind,
  input: Json,
  options: DocumentWriteOptions,
): Json {
  const org = ctx.org;
  const now = ctx.now;
  const store = kind.store(org);
  const errors: string[] = [];
  let existing: Json | undefined;
  const id = options.pathId ?? str(input[kind.idField]);
  const number = str(input[kind.numberField]);
  if (id) {
    existing = findDocument(org, kind, id);
    if (!existing)
      throw new ElementValidationError([
        'The document with the supplied id was not found for this endpoint.',
      ]);
  } else if (number && (input.Type ?? kind.salesType) === kind.salesType) {
    const match = findDocument(org, kind, number);
    if (match && options.upsert) existing = match;
    else if (match) throw new ElementValidationError([`${kind.label} # must be unique.`]);
  }

  if (existing) {
    const current = String(existing.Status);
    const next = str(input.Status) ?? current;
    if (current === 'VOIDED' || current === 'DELETED')
      throw new ElementValidationError([`${kind.label} not of valid status for modification`]);
    if (current === 'PAID' || (current === 'AUTHORISED' && hasMoneyApplied(kind, existing))) {
      throw new ElementValidationError([
        'This document cannot be edited as it has a payment or credit note allocated to it.',
      ]);
    }
    if (!(TRANSITIONS[current] ?? []).includes(next)) {
      throw new ElementValidationError([
        current === 'AUTHORISED' && next === 'DELETED'
          ? `An AUTHORISED ${kind.label.toLowerCase()} cannot be deleted: void it (Status VOIDED) instead.`
          : `An ${kind.label.toLowerCase()} with status ${current} cannot be changed to status ${next}.`,
      ]);
    }
    if (next === 'DELETED' || next === 'VOIDED') {
      applyStock(
        org,
        stockDelta(stockEffect(org, kind, existing), new Map()),
        now,
        stockDelta(costEffect(org, kind, existing), new Map()),
      );
      existing.Status = next;
      existing.UpdatedDateUTC = msDate(now);
      if (kind === INVOICES) existing.AmountDue = 0;
      else existing.RemainingCredit = 0;
      return existing;
    }
  }

  const type = str(input.Type) ?? str(existing?.Type);
  if (!type || !kind.types.includes(type))
    errors.push(`${kind.label} Type must be one of ${kind.types.join(', ')}.`);
  if (existing && type !== existing.Type)
    errors.push(`The Type of an existing ${kind.label.toLowerCase()} cannot be changed.`);
  const status = str(input.Status) ?? str(existing?.Status) ?? 'DRAFT';
  if (!existing && !['DRAFT', 'SUBMITTED', 'AUTHORISED'].includes(status)) {
    errors.push(
      `A new ${kind.label.toLowerCase()} must have status DRAFT, SUBMITTED or AUTHORISED, not ${status}.`,
    );
  }
  const contactRef =
    input.Contact !== undefined
      ? resolveContact(org, input.Contact, errors)
      : existing
        ? { contact: findContact(org, String((existing.Contact as Json).ContactID)) }
        : resolveContact(org, undefined, errors);
  const dateInput = input.Date ?? input.DateString;
  const date =
    dateInput !== undefined
      ? parseXeroDate(dateInput)
      : existing
        ? parseXeroDate(existing.Date)
        : startOfUtcDay(now);
  if (!date) errors.push(`Date '${String(dateInput)}' is not a valid date.`);
  const dueInput = input.DueDate ?? input.DueDateString;
  const dueDate =
    dueInput !== undefined
      ? parseXeroDate(dueInput)
      : existing?.DueDate
        ? parseXeroDate(existing.DueDate)
        : undefined;
  if (dueInput !== undefined && dueInput !== null && !dueDate)
    errors.push(`DueDate '${String(dueInput)}' is not a valid date.`);
  const lineAmountTypes = str(input.LineAmountTypes) ?? str(existing?.LineAmountTypes) ?? 'Exclusive';
  if (!['Exclusive', 'Inclusive', 'NoTax'].includes(lineAmountTypes))
    errors.push(`LineAmountTypes must be Exclusive, Inclusive or NoTax, not ${lineAmountTypes}.`);
  const currency = str(input.CurrencyCode) ?? str(existing?.CurrencyCode) ?? org.baseCurrency;
  if (!org.currencies.some((c) => c.Code === currency))
    errors.push(`The currency ${currency} has not been added to this organisation.`);
  let rate =
    input.CurrencyRate !== undefined && input.CurrencyRate !== null
      ? Number(input.CurrencyRate)
      : existing && currency === existing.CurrencyCode
        ? Number(existing.CurrencyRate)
        : undefined;
  if (currency === org.baseCurrency) rate = 1;
  else if (rate === undefined) rate = org.dailyRates[currency] ?? 1;
  if (!Number.isFinite(rate) || rate <= 0) errors.push('CurrencyRate must be a number greater than zero.');
  const reference = input.Reference !== undefined ? input.Reference : existing?.Reference;
  checkLength(errors, 'Reference', reference, 255);
  let docNumber = number ?? str(existing?.[kind.numberField]);
  if (type === kind.salesType) {
    checkLength(errors, `${kind.label} Number`, docNumber, 255);
    if (docNumber && numberTaken(org, kind, docNumber, existing?.[kind.idField]))
      errors.push(`${kind.label} # must be unique.`);
  }
  // Kept lines are recomputed (their stored TaxAmount is not a caller's adjustment).
  const lineInputs =
    (input.LineItems as Json[] | undefined) ??
    ((existing?.LineItems as Json[] | undefined) ?? []).map(
      ({ TaxAmount: _tax, LineAmount: _amount, ...line }) => line,
    );
  if (!Array.isArray(lineInputs)) errors.push('LineItems must be an array.');
  const lines = Array.isArray(lineInputs)
    ? buildLines(org, kind, type ?? kind.salesType, status, lineInputs, options.unitdp, errors)
    : [];
  if (errors.length) throw new ElementValidationError(errors);

  let totals;
  try {
    totals = computeInvoiceTotals(
      { LineAmountTypes: lineAmountTypes, LineItems: lines as never },
      org.taxRates.map((t) => ({ TaxType: String(t.TaxType), EffectiveRate: Number(t.EffectiveRate) })),
      { unitdp: options.unitdp },
    );
  } catch (e) {
    throw new ElementValidationError([(e as Error).message]);
  }
  // A Total sent by the caller is ignored: Xero's own sum of the rounded lines wins.
  if (totals.Total < 0)
    throw new ElementValidationError([`The total of a ${kind.label.toLowerCase()} cannot be negative.`]);
  lines.forEach((line, i) => {
    line.LineAmount = totals.lines[i].LineAmount;
    line.TaxAmount = totals.lines[i].TaxAmount;
  });

  const draft: Json = { Type: type, Status: status, LineItems: lines, LineAmountTypes: lineAmountTypes };
  const delta = stockDelta(stockEffect(org, kind, existing), stockEffect(org, kind, draft));
  if (!options.allowBackorders) {
    for (const [code, d] of delta) {
      const onHand = Number(org.itemByCode(code)?.QuantityOnHand ?? 0);
      if (d < 0 && onHand + d < 0) {
        errors.push(
          `The quantity on hand for item '${code}' would fall below zero (on hand ${onHand}, this ${kind.label.toLowerCase()} needs ${-d}). Send allowBackorders=true to allow it.`,
        );
      }
    }
    if (errors.length) throw new ElementValidationError(errors);
  }

  const contact = contactRef.create
    ? saveContact(org, now, contactRef.create, { upsert: false })
    : (contactRef.contact as Json);
  if (type === kind.salesType && !docNumber) docNumber = nextNumber(org, kind);
  applyStock(org, delta, now, stockDelta(costEffect(org, kind, existing), costEffect(org, kind, draft)));
  if (type === 'ACCREC' && status === 'AUTHORISED' && !contact.IsCustomer) contact.IsCustomer = true;
  if (type === 'ACCPAY' && status === 'AUTHORISED' && !contact.IsSupplier) contact.IsSupplier = true;

  const doc: Json = {
    Type: type,
    [kind.idField]: existing?.[kind.idField] ?? randomUUID(),
    ...(docNumber !== undefined ? { [kind.numberField]: docNumber } : {}),
    ...(reference !== undefined ? { Reference: reference } : {}),
    Payments: existing?.Payments ?? [],
    ...(kind === INVOICES
      ? { CreditNotes: existing?.CreditNotes ?? [], Prepayments: [], Overpayments: [], IsDiscounted: false }
      : { Allocations: existing?.Allocations ?? [] }),
    CurrencyRate: rate,
    HasAttachments: false,
    HasErrors: false,
    Contact: contactSummary(contact),
    DateString: isoDateTimeString(date as Date),
    Date: msDate(date as Date),
    ...(dueDate ? { DueDateString: isoDateTimeString(dueDate), DueDate: msDate(dueDate) } : {}),
    Status: status,
    LineAmountTypes: lineAmountTypes,
    LineItems: lines,
    SubTotal: totals.SubTotal,
    TotalTax: totals.TotalTax,
    Total: totals.Total,
    UpdatedDateUTC: msDate(now),
    CurrencyCode: currency,
    SentToContact: false,
  };
  settle(kind, doc, now);
  store.set(String(doc[kind.idField]), doc);
  return doc;
}

/**
 * A document as Xero answers it: the contact as it is now (a renamed contact shows its new name),
 * and without unitdp=4 the unit prices at 2 dp, whatever was stored.
 */
export function presentDocument(org: OrganisationStore, doc: Json, unitdp: number): Json {
  const contact = org.contacts.get(String((doc.Contact as Json | undefined)?.ContactID));
  const out: Json = contact ? { ...doc, Contact: contactSummary(contact) } : { ...doc };
  if (unitdp === 4) return out;
  return {
    ...out,
    LineItems: ((doc.LineItems as Json[]) ?? []).map((l) => ({
      ...l,
      UnitAmount: roundMoney(Number(l.UnitAmount), 2),
    })),
  };
}

export function getDocuments(ctx: ApiContext, kind: DocumentKind, id?: string): ApiResult {
  const unitdp = unitdpOf(ctx);
  if (id) {
    const doc = findDocument(ctx.org, kind, id);
    return doc
      ? { status: 200, body: envelope(ctx, kind.key, [presentDocument(ctx.org, doc, unitdp)]) }
      : notFound();
  }
  const listFilters: Record<string, string> =
    kind === INVOICES
      ? { InvoiceNumbers: 'InvoiceNumber', ContactIDs: 'Contact.ContactID', Statuses: 'Status' }
      : { CreditNoteNumbers: 'CreditNoteNumber', ContactIDs: 'Contact.ContactID', Statuses: 'Status' };
  const all = [...kind.store(ctx.org).values()];
  const { items, pagination } = listQuery(ctx, all, { idField: kind.idField, paged: true, listFilters });
  const shaped = items.map((d) => {
    const out = presentDocument(ctx.org, d, unitdp);
    // Xero leaves line items out of un-paged list answers; with `page` they are included.
    if (ctx.query.page !== undefined) return out;
    const { LineItems: _omitted, ...summary } = out;
    return summary;
  });
  return { status: 200, body: envelope(ctx, kind.key, shaped, pagination ? { pagination } : {}) };
}

export function writeDocuments(
  ctx: ApiContext,
  kind: DocumentKind,
  method: 'PUT' | 'POST',
  pathId?: string,
): ApiResult {
  const options: DocumentWriteOptions = {
    upsert: method === 'POST',
    pathId,
    unitdp: unitdpOf(ctx),
    allowBackorders: boolParam(ctx.query.allowBackorders),
  };
  return runBatch(ctx, kind.key, elementsOf(ctx.body, kind.key), (element) =>
    presentDocument(ctx.org, saveDocument(ctx, kind, element, options), options.unitdp),
  );
}

/** PUT /CreditNotes/{id}/Allocations: apply credit to invoices of the same contact. */
export function allocateCreditNote(ctx: ApiContext, creditNoteId: string): ApiResult {
  const creditNote = findDocument(ctx.org, CREDIT_NOTES, creditNoteId);
  if (!creditNote) return notFound();
  return runBatch(ctx, 'Allocations', elementsOf(ctx.body, 'Allocations'), (element) => {
    const errors: string[] = [];
    if (creditNote.Status !== 'AUTHORISED')
      errors.push(
        `Only an AUTHORISED credit note can be allocated; this one is ${String(creditNote.Status)}.`,
      );
    const invoiceRef = (element.Invoice ?? {}) as Json;
    const invoice = findDocument(
      ctx.org,
      INVOICES,
      str(invoiceRef.InvoiceID) ?? str(invoiceRef.InvoiceNumber) ?? '',
    );
    const amount = roundMoney(Number(element.Amount));
    if (!invoice) errors.push('The invoice to allocate to could not be found.');
    if (!Number.isFinite(amount) || amount <= 0)
      errors.push('The allocation Amount must be greater than zero.');
    if (invoice) {
      if (invoice.Status !== 'AUTHORISED')
        errors.push(
          `Credit can only be allocated to an AUTHORISED invoice; this one is ${String(invoice.Status)}.`,
        );
      if (!sameId((invoice.Contact as Json).ContactID, (creditNote.Contact as Json).ContactID))
        errors.push('The credit note and the invoice must belong to the same contact.');
      if (invoice.CurrencyCode !== creditNote.CurrencyCode)
        errors.push('The credit note and the invoice must be in the same currency.');
      if (amount > Number(invoice.AmountDue))
        errors.push(
          `The allocation amount ${amount} exceeds the amount due on the invoice (${String(invoice.AmountDue)}).`,
        );
    }
    if (amount > Number(creditNote.RemainingCredit))
      errors.push(
        `The allocation amount ${amount} exceeds the remaining credit (${String(creditNote.RemainingCredit)}).`,
      );
    if (errors.length || !invoice) throw new ElementValidationError(errors);
    const date = parseXeroDate(element.Date) ?? startOfUtcDay(ctx.now);
    const allocation: Json = {
      AllocationID: randomUUID(),
      Amount: amount,
      Date: msDate(date),
      IsDeleted: false,
    };
    (creditNote.Allocations as Json[]).push({
      ...allocation,
      Invoice: { InvoiceID: invoice.InvoiceID, InvoiceNumber: invoice.InvoiceNumber },
    });
    (invoice.CreditNotes as Json[]).push({
      CreditNoteID: creditNote.CreditNoteID,
      CreditNoteNumber: creditNote.CreditNoteNumber,
      AppliedAmount: amount,
      Total: creditNote.Total,
      DateString: isoDateTimeString(date),
      Date: msDate(date),
    });
    settle(CREDIT_NOTES, creditNote, ctx.now);
    settle(INVOICES, invoice, ctx.now);
    creditNote.UpdatedDateUTC = msDate(ctx.now);
    invoice.UpdatedDateUTC = msDate(ctx.now);
    return {
      ...allocation,
      Invoice: {
        InvoiceID: invoice.InvoiceID,
        InvoiceNumber: invoice.InvoiceNumber,
        AmountDue: invoice.AmountDue,
        Status: invoice.Status,
      },
      CreditNote: {
        CreditNoteID: creditNote.CreditNoteID,
        CreditNoteNumber: creditNote.CreditNoteNumber,
        RemainingCredit: creditNote.RemainingCredit,
        Status: creditNote.Status,
      },
    };
  });
}
