import { randomUUID } from 'node:crypto';
import {
  ApiContext,
  ApiResult,
  elementsOf,
  ElementValidationError,
  envelope,
  listQuery,
  notFound,
  runBatch,
  str,
} from './accounting.common';
import { CREDIT_NOTES, DocumentKind, findDocument, INVOICES, settle } from './documents.service';
import { roundMoney } from './invoice-totals.calculator';
import { Json } from './organisation.seed';
import { sameId } from './organisation.store';
import { msDate, parseXeroDate, startOfUtcDay } from './xero-date.util';

const PAYMENT_TYPES: Record<string, string> = {
  ACCREC: 'ACCRECPAYMENT',
  ACCPAY: 'ACCPAYPAYMENT',
  ACCRECCREDIT: 'ARCREDITPAYMENT',
  ACCPAYCREDIT: 'APCREDITPAYMENT',
};

function findPayment(ctx: ApiContext, id: string): Json | undefined {
  const p = ctx.org.payments.byId(id);
  return p && sameId(p.PaymentID, id) ? p : undefined;
}

function targetOf(
  ctx: ApiContext,
  input: Json,
): { kind: DocumentKind; doc?: Json; ref?: string } | undefined {
  const invoice = input.Invoice as Json | undefined;
  const creditNote = input.CreditNote as Json | undefined;
  if (invoice) {
    const ref = str(invoice.InvoiceID) ?? str(invoice.InvoiceNumber);
    return { kind: INVOICES, ref, doc: ref ? findDocument(ctx.org, INVOICES, ref) : undefined };
  }
  if (creditNote) {
    const ref = str(creditNote.CreditNoteID) ?? str(creditNote.CreditNoteNumber);
    return { kind: CREDIT_NOTES, ref, doc: ref ? findDocument(ctx.org, CREDIT_NOTES, ref) : undefined };
  }
  const number = str(input.InvoiceNumber);
  if (number) return { kind: INVOICES, ref: number, doc: findDocument(ctx.org, INVOICES, number) };
  return undefined;
}

function createPayment(ctx: ApiContext, input: Json): Json {
  const errors: string[] = [];
  const target = targetOf(ctx, input);
  if (!target)
    throw new ElementValidationError([
      'A payment must reference an Invoice (InvoiceID or InvoiceNumber) or a CreditNote.',
    ]);
  const { kind, doc } = target;
  if (!doc) errors.push(`${kind.label} ${target.ref ?? ''} could not be found.`.replace('  ', ' '));
  const accountRef = (input.Account ?? {}) as Json;
  const account = accountRef.AccountID
    ? ctx.org.accountById(accountRef.AccountID)
    : ctx.org.accountByCode(accountRef.Code ?? input.Code);
  if (!account)
    errors.push('The account for the payment could not be found: send Account.AccountID or Account.Code.');
  else if (account.Status !== 'ACTIVE')
    errors.push(`Account ${String(account.Code)} is archived and cannot take payments.`);
  else if (account.Type !== 'BANK' && account.EnablePaymentsToAccount !== true) {
    errors.push(
      `Account ${String(account.Code)} is not a bank account and does not have "Enable payments to this account" set, so it cannot take payments.`,
    );
  }
  const amount = roundMoney(Number(input.Amount));
  if (!Number.isFinite(amount) || amount <= 0) errors.push('The payment Amount must be greater than zero.');
  if (doc) {
    if (doc.Status !== 'AUTHORISED')
      errors.push(
        `Payments can only be made against Authorised documents; this ${kind.label.toLowerCase()} is ${String(doc.Status)}.`,
      );
    const outstanding = Number(kind === INVOICES ? doc.AmountDue : doc.RemainingCredit);
    if (amount > outstanding)
      errors.push(`Payment amount exceeds the amount outstanding on this document (${outstanding}).`);
  }
  const dateInput = input.Date;
  const date = dateInput !== undefined ? parseXeroDate(dateInput) : startOfUtcDay(ctx.now);
  if (!date) errors.push(`Date '${String(dateInput)}' is not a valid date.`);
  if (errors.length || !doc || !account || !date) throw new ElementValidationError(errors);
  const rate = input.CurrencyRate !== undefined ? Number(input.CurrencyRate) : Number(doc.CurrencyRate ?? 1);
  const payment: Json = {
    PaymentID: randomUUID(),
    Date: msDate(date),
    BankAmount: amount,
    Amount: amount,
    ...(input.Reference !== undefined ? { Reference: input.Reference } : {}),
    CurrencyRate: rate,
    PaymentType: PAYMENT_TYPES[String(doc.Type)],
    Status: 'AUTHORISED',
    UpdatedDateUTC: msDate(ctx.now),
    HasAccount: true,
    IsReconciled: input.IsReconciled === true,
    Account: { AccountID: account.AccountID, Code: account.Code, Name: account.Name },
    HasValidationErrors: false,
  };
  if (kind === INVOICES) {
    payment.Invoice = {
      InvoiceID: doc.InvoiceID,
      InvoiceNumber: doc.InvoiceNumber,
      Type: doc.Type,
      Contact: doc.Contact,
      CurrencyCode: doc.CurrencyCode,
    };
  } else {
    payment.CreditNote = {
      CreditNoteID: doc.CreditNoteID,
      CreditNoteNumber: doc.CreditNoteNumber,
      Type: doc.Type,
      Contact: doc.Contact,
      CurrencyCode: doc.CurrencyCode,
    };
  }
  ctx.org.payments.set(String(payment.PaymentID), payment);
  (doc.Payments as Json[]).push({
    PaymentID: payment.PaymentID,
    Date: payment.Date,
    Amount: amount,
    CurrencyRate: rate,
    HasAccount: true,
    HasValidationErrors: false,
    ...(payment.Reference !== undefined ? { Reference: payment.Reference } : {}),
  });
  settle(kind, doc, ctx.now);
  doc.UpdatedDateUTC = msDate(ctx.now);
  return payment;
}

/** Xero deletes a payment through POST /Payments/{id} with Status DELETED; the document owes the money again. */
function deletePayment(ctx: ApiContext, payment: Json, input: Json): Json {
  if (str(input.Status) !== 'DELETED')
    throw new ElementValidationError(['A payment can only be changed by setting its Status to DELETED.']);
  if (payment.Status === 'DELETED')
    throw new ElementValidationError(['This payment has already been deleted.']);
  // Xero keeps the cash trail: a payment matched to a bank statement line stays until it is
  // unreconciled in Xero's bank reconciliation.
  if (payment.IsReconciled === true)
    throw new ElementValidationError([
      'This payment has been reconciled and cannot be deleted; unreconcile it in Xero first.',
    ]);
  const kind = payment.Invoice ? INVOICES : CREDIT_NOTES;
  const ref = payment.Invoice
    ? String((payment.Invoice as Json).InvoiceID)
    : String((payment.CreditNote as Json).CreditNoteID);
  const doc = findDocument(ctx.org, kind, ref);
  payment.Status = 'DELETED';
  payment.UpdatedDateUTC = msDate(ctx.now);
  if (doc) {
    doc.Payments = (doc.Payments as Json[]).filter((p) => !sameId(p.PaymentID, payment.PaymentID));
    settle(kind, doc, ctx.now);
    doc.UpdatedDateUTC = msDate(ctx.now);
  }
  return payment;
}

export function getPayments(ctx: ApiContext, id?: string): ApiResult {
  if (id) {
    const p = findPayment(ctx, id);
    return p ? { status: 200, body: envelope(ctx, 'Payments', [p]) } : notFound();
  }
  const { items, pagination } = listQuery(ctx, [...ctx.org.payments.values()], {
    idField: 'PaymentID',
    paged: true,
  });
  return { status: 200, body: envelope(ctx, 'Payments', items, pagination ? { pagination } : {}) };
}

export function writePayments(ctx: ApiContext, pathId?: string): ApiResult {
  if (pathId) {
    const payment = findPayment(ctx, pathId);
    if (!payment) return notFound();
    return runBatch(ctx, 'Payments', elementsOf(ctx.body, 'Payments'), (element) =>
      deletePayment(ctx, payment, element),
    );
  }
  return runBatch(ctx, 'Payments', elementsOf(ctx.body, 'Payments'), (element) => {
    const existing = str(element.PaymentID) ? findPayment(ctx, String(element.PaymentID)) : undefined;
    if (element.PaymentID && !existing)
      throw new ElementValidationError(['The payment with the supplied PaymentID could not be found.']);
    return existing ? deletePayment(ctx, existing, element) : createPayment(ctx, element);
  });
}
