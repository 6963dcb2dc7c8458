import { ApiContext, ApiResult, notFound } from './accounting.common';
import { getContacts, writeContacts } from './contacts.service';
import {
  allocateCreditNote,
  CREDIT_NOTES,
  getDocuments,
  INVOICES,
  writeDocuments,
} from './documents.service';
import { getItems, writeItems } from './items.service';
import { getPayments, writePayments } from './payments.service';
import {
  getAccounts,
  getCurrencies,
  getOrganisation,
  getTaxRates,
  getTrackingCategories,
  putCurrencies,
} from './settings.service';

// The accounting endpoints the sandbox models, under /api.xro/2.0. Xero's paths are
// case-insensitive, so resources are matched ignoring case and counted in Xero's own spelling.

export const RESOURCES = [
  'Organisation',
  'Accounts',
  'TaxRates',
  'Currencies',
  'TrackingCategories',
  'Contacts',
  'Items',
  'Invoices',
  'Payments',
  'CreditNotes',
] as const;
export type Resource = (typeof RESOURCES)[number];

export function canonicalResource(segment: string | undefined): Resource | undefined {
  return RESOURCES.find((r) => r.toLowerCase() === (segment ?? '').toLowerCase());
}

/** Any one of these scopes lets the call through (legacy broad scopes or the granular ones). */
export function acceptedScopes(resource: Resource, method: string): string[] {
  const read = method === 'GET';
  const family = (names: string[]) => names.flatMap((n) => (read ? [n, `${n}.read`] : [n]));
  switch (resource) {
    case 'Contacts':
      return family(['accounting.contacts']);
    case 'Invoices':
    case 'CreditNotes':
      return family(['accounting.transactions', 'accounting.invoices']);
    case 'Payments':
      return family(['accounting.transactions', 'accounting.payments']);
    default:
      return family(['accounting.settings']);
  }
}

/** "PUT /api.xro/2.0/CreditNotes/{id}/Allocations" style key for counters. */
export function counterPath(segments: string[]): string {
  const resource = canonicalResource(segments[0]) ?? segments[0];
  const rest = segments.slice(1).map((s, i) => (i === 0 ? '{id}' : s));
  return ['/api.xro/2.0', resource, ...rest].filter(Boolean).join('/');
}

export function dispatch(ctx: ApiContext, method: string, segments: string[]): ApiResult {
  const resource = canonicalResource(segments[0]);
  const id = segments[1] ? decodeURIComponent(segments[1]) : undefined;
  const sub = segments[2]?.toLowerCase();
  if (!resource || segments.length > 3 || (sub && !(resource === 'CreditNotes' && sub === 'allocations')))
    return notFound();
  const write = method === 'PUT' || method === 'POST';
  switch (resource) {
    case 'Organisation':
      return method === 'GET' && !id ? getOrganisation(ctx) : notFound();
    case 'Accounts':
      return method === 'GET' ? getAccounts(ctx, id) : notFound();
    case 'TaxRates':
      return method === 'GET' && !id ? getTaxRates(ctx) : notFound();
    case 'Currencies':
      return method === 'GET' && !id
        ? getCurrencies(ctx)
        : method === 'PUT' && !id
          ? putCurrencies(ctx)
          : notFound();
    case 'TrackingCategories':
      return method === 'GET' ? getTrackingCategories(ctx, id) : notFound();
    case 'Contacts':
      if (method === 'GET') return getContacts(ctx, id);
      return write && (!id || method === 'POST')
        ? writeContacts(ctx, method as 'PUT' | 'POST', id)
        : notFound();
    case 'Items':
      if (method === 'GET') return getItems(ctx, id);
      return write && (!id || method === 'POST') ? writeItems(ctx, method as 'PUT' | 'POST', id) : notFound();
    case 'Invoices':
      if (method === 'GET') return getDocuments(ctx, INVOICES, id);
      return write && (!id || method === 'POST')
        ? writeDocuments(ctx, INVOICES, method as 'PUT' | 'POST', id)
        : notFound();
    case 'CreditNotes':
      if (sub === 'allocations') return method === 'PUT' && id ? allocateCreditNote(ctx, id) : notFound();
      if (method === 'GET') return getDocuments(ctx, CREDIT_NOTES, id);
      return write && (!id || method === 'POST')
        ? writeDocuments(ctx, CREDIT_NOTES, method as 'PUT' | 'POST', id)
        : notFound();
    case 'Payments':
      if (method === 'GET') return getPayments(ctx, id);
      if (method === 'PUT' && !id) return writePayments(ctx);
      return method === 'POST' ? writePayments(ctx, id) : notFound();
  }
}
