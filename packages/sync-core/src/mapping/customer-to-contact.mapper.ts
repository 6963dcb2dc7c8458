/**
 * OpenCart customers (registered or guest) → Xero contacts.
 * Registered customers are keyed by customer_id (ContactNumber C<id>), guests by email
 * (ContactNumber G-<email>). With Make Customer Unique off, customers sharing a formatted name
 * share one contact (the original extension's behaviour), keyed by that name.
 */
import type { OcAddress, OcCustomer, OcOrder } from '../ports/opencart.port';
import type { XeroAddressDraft, XeroContactDraft } from '../ports/xero.port';
import type { Settings } from '../settings/settings.schema';
import { charLength, fitUnique, isValidEmail, squash, truncate } from './text.util';

export interface ContactPlan {
  /** Ledger key: 'customer:7', 'guest:<email lowercased>', or 'name:<name lowercased>' when Make Customer Unique is off. */
  key: string;
  /** Contact to send; ContactNumber set. Its Name is the formatted name, without a suffix. */
  draft: XeroContactDraft;
  /**
   * The name to use instead when draft.Name would clash with another contact in Xero or in the
   * same batch (Make Customer Unique: the formatted name with the ContactNumber appended). Equal
   * to draft.Name when nothing can be appended (Make Customer Unique off, a guest named by email).
   * See resolveContactNames.
   */
  uniqueName?: string;
}

const NAME_MAX = 255;
const NUMBER_MAX = 50;

interface Person {
  customerId: number;
  firstname: string;
  lastname: string;
  email: string;
  telephone: string;
  company: string;
  billing: OcAddress | null;
  delivery: OcAddress | null;
}

/** Apply a Contact Format ('{firstname} {lastname} ({email})' …) and tidy what empty fields leave behind. */
export function formatContactName(format: string, p: Omit<Person, 'billing' | 'delivery'>): string {
  const values: Record<string, string> = {
    firstname: squash(p.firstname),
    lastname: squash(p.lastname),
    company: squash(p.company),
    email: squash(p.email),
    telephone: squash(p.telephone),
    customer_id: p.customerId > 0 ? String(p.customerId) : '',
  };
  const raw = format.replace(/\{([a-z_]+)\}/g, (_, k: string) => values[k] ?? '');
  const tidy = squash(raw.replace(/\(\s*\)|\[\s*\]/g, '')).replace(/^[\s,;:\-–]+|[\s,;:\-–]+$/g, '');
  if (tidy) return tidy;
  // An empty result (e.g. '{company}' for a private buyer) falls back to the person's name, then email.
  return (
    squash(`${values.firstname} ${values.lastname}`) ||
    values.email ||
    (p.customerId > 0 ? `Customer ${p.customerId}` : 'Guest')
  );
}

function address(a: OcAddress | null, type: XeroAddressDraft['AddressType']): XeroAddressDraft | null {
  if (!a) return null;
  const d: XeroAddressDraft = { AddressType: type };
  const set = (k: keyof Omit<XeroAddressDraft, 'AddressType'>, v: string, max: number): void => {
    const s = squash(v);
    if (s) d[k] = truncate(s, max);
  };
  set('AddressLine1', a.address1, 500);
  set('AddressLine2', a.address2, 500);
  set('City', a.city, 255);
  set('Region', a.zone, 255);
  set('PostalCode', a.postcode, 50);
  set('Country', a.country, 50);
  set(
    'AttentionTo',
    squash(`${a.firstname} ${a.lastname}`) + (squash(a.company) ? `, ${squash(a.company)}` : ''),
    255,
  );
  return Object.keys(d).length > 1 ? d : null;
}

function plan(p: Person, settings: Settings): ContactPlan {
  const email = squash(p.email);
  const validEmail = isValidEmail(email);
  const baseName = formatContactName(settings.contactFormat, p);
  let key: string;
  let number: string;
  if (!settings.makeCustomerUnique) {
    key = `name:${baseName.toLowerCase()}`;
    number = fitUnique(`N-${baseName.toLowerCase()}`, NUMBER_MAX);
  } else if (p.customerId > 0) {
    key = `customer:${p.customerId}`;
    number = `C${p.customerId}`;
  } else if (email) {
    const e = email.toLowerCase();
    key = `guest:${e}`;
    number = fitUnique(`G-${e}`, NUMBER_MAX);
  } else {
    // A guest without an email (possible with API-made orders): the name is all we have.
    key = `guest-name:${baseName.toLowerCase()}`;
    number = fitUnique(`GN-${baseName.toLowerCase()}`, NUMBER_MAX);
  }
  // Xero wants contact names unique: with Make Customer Unique the ContactNumber (unique by
  // construction) is appended, so two "John Smith"s become two contacts, never one — but only when
  // the plain name is taken (resolveContactNames decides, against Xero and the batch).
  const name = truncate(baseName, NAME_MAX);
  let uniqueName = name;
  // A guest named by their email is already unique (the email is the guest's key).
  const namedByOwnKey = p.customerId <= 0 && email !== '' && baseName.toLowerCase() === email.toLowerCase();
  if (settings.makeCustomerUnique && !namedByOwnKey) {
    const suffix = ` (${number})`;
    uniqueName = truncate(baseName, NAME_MAX - charLength(suffix)) + suffix;
  }
  const draft: XeroContactDraft = { ContactNumber: number, Name: name, IsCustomer: true };
  if (squash(p.firstname)) draft.FirstName = truncate(squash(p.firstname), 255);
  if (squash(p.lastname)) draft.LastName = truncate(squash(p.lastname), 255);
  if (validEmail) draft.EmailAddress = email;
  const addresses = [address(p.billing, 'POBOX'), address(p.delivery, 'STREET')].filter(
    (a): a is XeroAddressDraft => a !== null,
  );
  if (addresses.length) draft.Addresses = addresses;
  const phone = squash(p.telephone);
  if (phone) draft.Phones = [{ PhoneType: 'DEFAULT', PhoneNumber: truncate(phone, 50) }];
  return { key, draft, uniqueName };
}

/** The contact an order is invoiced to (registered customer or guest). */
export function mapOrderToContact(order: OcOrder, settings: Settings): ContactPlan {
  const billing = order.paymentAddress ?? order.shippingAddress;
  return plan(
    {
      customerId: order.customerId,
      firstname: order.firstname || billing?.firstname || '',
      lastname: order.lastname || billing?.lastname || '',
      email: order.email,
      telephone: order.telephone,
      company: billing?.company ?? '',
      billing,
      delivery: order.shippingAddress,
    },
    settings,
  );
}

/** A registered customer (Export Customers). */
export function mapCustomerToContact(customer: OcCustomer, settings: Settings): ContactPlan {
  const def =
    customer.addresses.find((a) => a.addressId === customer.defaultAddressId) ??
    customer.addresses[0] ??
    null;
  return plan(
    {
      customerId: customer.customerId,
      firstname: customer.firstname,
      lastname: customer.lastname,
      email: customer.email,
      telephone: customer.telephone,
      company: def?.company ?? '',
      billing: def,
      delivery: null,
    },
    settings,
  );
}
