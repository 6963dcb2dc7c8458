import { randomUUID } from 'node:crypto';
import {
  ApiContext,
  ApiResult,
  checkLength,
  elementsOf,
  ElementValidationError,
  envelope,
  listQuery,
  notFound,
  runBatch,
  str,
} from './accounting.common';
import { Json } from './organisation.seed';
import { OrganisationStore, sameId } from './organisation.store';
import { msDate } from './xero-date.util';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const WRITABLE = [
  'Name',
  'ContactNumber',
  'AccountNumber',
  'ContactStatus',
  'FirstName',
  'LastName',
  'CompanyNumber',
  'EmailAddress',
  'BankAccountDetails',
  'TaxNumber',
  'AccountsReceivableTaxType',
  'AccountsPayableTaxType',
  'Addresses',
  'Phones',
  'IsSupplier',
  'IsCustomer',
  'DefaultCurrency',
  'ContactPersons',
  'Website',
];

export function findContact(org: OrganisationStore, idOrNumber: string): Json | undefined {
  const byId = org.contacts.byId(idOrNumber);
  if (byId && sameId(byId.ContactID, idOrNumber)) return byId;
  return contactByNumber(org, idOrNumber);
}

export function contactByNumber(org: OrganisationStore, number: string): Json | undefined {
  return org.contacts
    .lookup('number', number)
    .find(
      (c) => c.ContactNumber !== undefined && String(c.ContactNumber).toLowerCase() === number.toLowerCase(),
    );
}

/** The active contact with this name (Xero compares names trimmed, ignoring case). */
export function activeContactNamed(
  org: OrganisationStore,
  name: string,
  exceptId?: unknown,
): Json | undefined {
  const wanted = name.trim().toLowerCase();
  return org.contacts
    .lookup('name', name)
    .find(
      (c) =>
        c.ContactStatus === 'ACTIVE' &&
        String(c.Name).trim().toLowerCase() === wanted &&
        !sameId(c.ContactID, exceptId),
    );
}

function activeNameTaken(org: OrganisationStore, name: string, exceptId?: unknown): boolean {
  return activeContactNamed(org, name, exceptId) !== undefined;
}

const ADDRESS_LIMITS: Record<string, number> = {
  AddressLine1: 500,
  AddressLine2: 500,
  AddressLine3: 500,
  AddressLine4: 500,
  City: 255,
  Region: 255,
  PostalCode: 50,
  Country: 50,
  AttentionTo: 255,
};
const PHONE_LIMITS: Record<string, number> = { PhoneNumber: 50, PhoneAreaCode: 10, PhoneCountryCode: 20 };

function checkNested(errors: string[], label: string, list: unknown, limits: Record<string, number>): void {
  if (!Array.isArray(list)) return;
  list.forEach((entry: Json, i) => {
    for (const [field, max] of Object.entries(limits))
      checkLength(errors, `${label} ${i + 1} ${field}`, entry?.[field], max);
  });
}

/** Creates or updates one contact under Xero's rules; throws ElementValidationError. */
export function saveContact(
  org: OrganisationStore,
  now: Date,
  input: Json,
  options: { upsert: boolean; pathId?: string },
): Json {
  let existing: Json | undefined;
  const id = options.pathId ?? str(input.ContactID);
  if (id) {
    existing = findContact(org, id);
    if (!existing)
      throw new ElementValidationError(['The contact with the supplied ContactID could not be found.']);
  } else if (options.upsert && str(input.ContactNumber)) {
    existing = contactByNumber(org, String(input.ContactNumber));
  }
  const merged: Json = { ...(existing ?? {}) };
  for (const key of WRITABLE) if (input[key] !== undefined) merged[key] = input[key];
  const errors: string[] = [];
  const name = str(merged.Name);
  if (!name || name.trim() === '') errors.push('The contact name must be specified.');
  checkLength(errors, 'The Contact Name', merged.Name, 255);
  checkLength(errors, 'The Contact Number', merged.ContactNumber, 50);
  checkLength(errors, 'The Account Number', merged.AccountNumber, 50);
  checkLength(errors, 'The First Name', merged.FirstName, 255);
  checkLength(errors, 'The Last Name', merged.LastName, 255);
  checkLength(errors, 'The Email Address', merged.EmailAddress, 255);
  checkNested(errors, 'Address', merged.Addresses, ADDRESS_LIMITS);
  checkNested(errors, 'Phone', merged.Phones, PHONE_LIMITS);
  const email = str(merged.EmailAddress);
  if (email && !EMAIL.test(email)) errors.push('Email address must be valid.');
  const status = str(merged.ContactStatus) ?? 'ACTIVE';
  if (!['ACTIVE', 'ARCHIVED'].includes(status))
    errors.push(`ContactStatus "${status}" is not valid: use ACTIVE or ARCHIVED.`);
  if (name && status === 'ACTIVE' && activeNameTaken(org, name, existing?.ContactID)) {
    errors.push(
      `The contact name ${name} is already assigned to another contact. The contact name must be unique across all active contacts.`,
    );
  }
  if (errors.length) throw new ElementValidationError(errors);
  const contact: Json = {
    ContactID: existing?.ContactID ?? randomUUID(),
    ContactStatus: status,
    Name: name,
    Addresses: [],
    Phones: [],
    ContactGroups: [],
    ContactPersons: [],
    IsSupplier: false,
    IsCustomer: false,
    HasAttachments: false,
    HasValidationErrors: false,
    ...merged,
    UpdatedDateUTC: msDate(now),
  };
  contact.ContactStatus = status;
  org.contacts.set(String(contact.ContactID), contact);
  return contact;
}

/** The summary of a contact Xero embeds in documents. */
export function contactSummary(c: Json): Json {
  const out: Json = {
    ContactID: c.ContactID,
    Name: c.Name,
    ContactStatus: c.ContactStatus,
    HasValidationErrors: false,
  };
  if (c.ContactNumber !== undefined) out.ContactNumber = c.ContactNumber;
  if (c.EmailAddress !== undefined) out.EmailAddress = c.EmailAddress;
  return out;
}

export function getContacts(ctx: ApiContext, id?: string): ApiResult {
  if (id) {
    const c = findContact(ctx.org, id);
    return c ? { status: 200, body: envelope(ctx, 'Contacts', [c]) } : notFound();
  }
  let all = [...ctx.org.contacts.values()];
  if (ctx.query.includeArchived?.toLowerCase() !== 'true' && !ctx.query.IDs)
    all = all.filter((c) => c.ContactStatus !== 'ARCHIVED');
  const term = ctx.query.searchTerm?.toLowerCase();
  if (term) {
    all = all.filter((c) =>
      ['Name', 'FirstName', 'LastName', 'ContactNumber', 'EmailAddress', 'CompanyNumber'].some((f) =>
        String(c[f] ?? '')
          .toLowerCase()
          .includes(term),
      ),
    );
  }
  const { items, pagination } = listQuery(ctx, all, { idField: 'ContactID', paged: true });
  const shaped =
    ctx.query.summaryOnly?.toLowerCase() === 'true'
      ? items.map((c) => ({ ...contactSummary(c), UpdatedDateUTC: c.UpdatedDateUTC }))
      : items;
  return { status: 200, body: envelope(ctx, 'Contacts', shaped, pagination ? { pagination } : {}) };
}

export function writeContacts(ctx: ApiContext, method: 'PUT' | 'POST', pathId?: string): ApiResult {
  const elements = elementsOf(ctx.body, 'Contacts');
  return runBatch(ctx, 'Contacts', elements, (element) =>
    saveContact(ctx.org, ctx.now, element, { upsert: method === 'POST', pathId }),
  );
}
