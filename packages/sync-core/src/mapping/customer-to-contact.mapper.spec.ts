import { formatContactName, mapCustomerToContact, mapOrderToContact } from './customer-to-contact.mapper';
import { defaultSettings, Settings } from '../settings/settings.schema';
import { order } from '../../test/mapping/support/order.builder';
import type { OcAddress, OcCustomer } from '../ports/opencart.port';

const settings = (s: Partial<Settings> = {}): Settings => ({ ...defaultSettings(), ...s });
const address = (a: Partial<OcAddress> = {}): OcAddress => ({
  firstname: 'John',
  lastname: 'Smith',
  company: 'Smith & Sons',
  address1: '1 High St',
  address2: '',
  city: 'London',
  postcode: 'SW1A 1AA',
  country: 'United Kingdom',
  countryIsoCode2: 'GB',
  zone: 'Greater London',
  zoneCode: 'LND',
  ...a,
});

describe('customer → contact', () => {
  it('keeps two different "John Smith" customers apart: own keys, own ContactNumbers, unique names', () => {
    const a = mapOrderToContact(order({ customerId: 2, email: 'john.smith.uk@example.co.uk' }), settings());
    const b = mapOrderToContact(order({ customerId: 3, email: 'j.smith.us@example.com' }), settings());
    expect(a.key).toBe('customer:2');
    expect(b.key).toBe('customer:3');
    expect(a.draft.ContactNumber).toBe('C2');
    // The plain name, with the suffixed one to fall back on when it clashes (resolveContactNames).
    expect(a.draft.Name).toBe('John Smith');
    expect(a.uniqueName).toBe('John Smith (C2)');
    expect(b.uniqueName).toBe('John Smith (C3)');
  });

  it('keys guests by lowercased email; one email under two names stays one contact', () => {
    const a = mapOrderToContact(
      order({ customerId: 0, email: 'Guest@Example.com', firstname: 'Ann' }),
      settings(),
    );
    const b = mapOrderToContact(
      order({ customerId: 0, email: 'guest@example.com', firstname: 'Anne' }),
      settings(),
    );
    expect(a.key).toBe('guest:guest@example.com');
    expect(b.key).toBe(a.key);
    expect(a.draft.ContactNumber).toBe(b.draft.ContactNumber);
    expect(a.draft.ContactNumber).toBe('G-guest@example.com');
  });

  it("merges customers by name when Make Customer Unique is off (the extension's behaviour)", () => {
    const a = mapOrderToContact(order({ customerId: 2 }), settings({ makeCustomerUnique: false }));
    const b = mapOrderToContact(
      order({ customerId: 0, email: 'other@example.com' }),
      settings({ makeCustomerUnique: false }),
    );
    expect(a.key).toBe('name:john smith');
    expect(b.key).toBe(a.key);
    expect(a.draft.Name).toBe('John Smith');
  });

  it('applies the Contact Format, falling back when a placeholder is empty', () => {
    const p = {
      customerId: 7,
      firstname: 'John',
      lastname: 'Smith',
      company: '',
      email: 'j@x.io',
      telephone: '',
    };
    expect(formatContactName('{firstname} {lastname} ({email})', p)).toBe('John Smith (j@x.io)');
    expect(formatContactName('{lastname}, {firstname}', p)).toBe('Smith, John');
    expect(formatContactName('{company}', p)).toBe('John Smith');
    expect(formatContactName('{company}', { ...p, company: 'Smith & Sons' })).toBe('Smith & Sons');
    expect(formatContactName('{company} - {firstname} {lastname}', p)).toBe('John Smith');
    expect(formatContactName('{firstname} {lastname}', { ...p, firstname: '', lastname: '' })).toBe('j@x.io');
  });

  it("keeps Xero's limits: Name ≤255 with the unique suffix kept, ContactNumber ≤50 and still unique", () => {
    const long = 'Ä'.repeat(300);
    const c = mapOrderToContact(order({ firstname: long, lastname: '' }), settings());
    expect(Array.from(c.draft.Name).length).toBe(255);
    expect(Array.from(c.uniqueName!).length).toBe(255);
    expect(c.uniqueName!.endsWith(' (C7)')).toBe(true);
    const e1 = `${'a'.repeat(60)}1@example.com`;
    const e2 = `${'a'.repeat(60)}2@example.com`;
    const g1 = mapOrderToContact(order({ customerId: 0, email: e1 }), settings()).draft.ContactNumber!;
    const g2 = mapOrderToContact(order({ customerId: 0, email: e2 }), settings()).draft.ContactNumber!;
    expect(g1.length).toBeLessThanOrEqual(50);
    expect(g1).not.toBe(g2);
  });

  it('leaves an invalid email off the contact rather than having Xero refuse it', () => {
    const c = mapOrderToContact(order({ email: 'not-an-email' }), settings());
    expect(c.draft.EmailAddress).toBeUndefined();
    expect(mapOrderToContact(order(), settings()).draft.EmailAddress).toBe('john@example.com');
  });

  it('carries billing (POBOX) and delivery (STREET) addresses and the phone; 4.1 orders with only a shipping address still bill somewhere', () => {
    const c = mapOrderToContact(
      order({ paymentAddress: address(), shippingAddress: address({ address1: '2 Low Rd', company: '' }) }),
      settings(),
    );
    expect(c.draft.Addresses).toEqual([
      {
        AddressType: 'POBOX',
        AddressLine1: '1 High St',
        City: 'London',
        Region: 'Greater London',
        PostalCode: 'SW1A 1AA',
        Country: 'United Kingdom',
        AttentionTo: 'John Smith, Smith & Sons',
      },
      {
        AddressType: 'STREET',
        AddressLine1: '2 Low Rd',
        City: 'London',
        Region: 'Greater London',
        PostalCode: 'SW1A 1AA',
        Country: 'United Kingdom',
        AttentionTo: 'John Smith',
      },
    ]);
    expect(c.draft.Phones).toEqual([{ PhoneType: 'DEFAULT', PhoneNumber: '0123' }]);
    const shipOnly = mapOrderToContact(
      order({ paymentAddress: null, shippingAddress: address() }),
      settings(),
    );
    expect(shipOnly.draft.Addresses?.map((a) => a.AddressType)).toEqual(['POBOX', 'STREET']);
  });

  it('maps a registered customer with the default address, to the same key and number as their orders', () => {
    const customer: OcCustomer = {
      customerId: 7,
      customerGroupId: 1,
      storeId: 0,
      firstname: 'John',
      lastname: 'Smith',
      email: 'john@example.com',
      telephone: '0123',
      status: true,
      dateAdded: '2024-01-01 00:00:00',
      defaultAddressId: 2,
      addresses: [
        { ...address({ city: 'Leeds' }), addressId: 1 },
        { ...address(), addressId: 2 },
      ],
    };
    const c = mapCustomerToContact(customer, settings({ contactFormat: '{company}' }));
    const fromOrder = mapOrderToContact(order(), settings({ contactFormat: '{company}' }));
    expect(c.key).toBe(fromOrder.key);
    expect(c.draft.ContactNumber).toBe(fromOrder.draft.ContactNumber);
    expect(c.draft.Name).toBe('Smith & Sons');
    expect(c.uniqueName).toBe('Smith & Sons (C7)');
    expect(c.draft.Addresses?.[0]?.City).toBe('London');
  });
});
