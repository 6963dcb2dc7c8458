import { addressFrom, escapeForOpenCart, methodFrom, text } from './opencart-row.util';

describe('methodFrom', () => {
  test('3.x: text name + code column', () => {
    expect(methodFrom('Cheque / Money Order', 'cheque')).toEqual({
      method: { code: 'cheque', name: 'Cheque / Money Order' },
      problem: null,
    });
    expect(methodFrom('', '')).toEqual({ method: null, problem: null });
  });

  test('4.x: JSON in either key order, escaped slashes and unicode', () => {
    expect(methodFrom('{"name":"Cheque \\/ Money Order","code":"cheque.cheque"}', undefined).method).toEqual({
      code: 'cheque.cheque',
      name: 'Cheque / Money Order',
    });
    expect(
      methodFrom(
        '{"code":"flat.flat","name":"Flat Shipping Rate","cost":"5.00","tax_class_id":"9","text":"3.92\\u20ac"}',
        undefined,
      ).method,
    ).toEqual({
      code: 'flat.flat',
      name: 'Flat Shipping Rate',
    });
  });

  test('4.x: empty, null and empty-array columns mean no method', () => {
    for (const v of ['', null, undefined, '[]', '{}', 'null'])
      expect(methodFrom(v, undefined)).toEqual({ method: null, problem: null });
  });

  test('broken JSON keeps the text as a name and reports the problem instead of dropping it', () => {
    const r = methodFrom('{"name":"Cash On Deliv', undefined);
    expect(r.method).toEqual({ code: '', name: '{"name":"Cash On Deliv' });
    expect(r.problem).toMatch(/^method column is not valid JSON/);
    expect(methodFrom('{"cost":5}', undefined)).toEqual({
      method: null,
      problem: 'method JSON has neither code nor name: {"cost":5}',
    });
  });

  test('a plain-text name without a code column (4.0.0-era data) is kept', () => {
    expect(methodFrom('Bank Transfer', undefined)).toEqual({
      method: { code: '', name: 'Bank Transfer' },
      problem: null,
    });
  });
});

describe('addressFrom', () => {
  const columns = (p: string, v: Partial<Record<string, string>>) =>
    Object.fromEntries(Object.entries(v).map(([k, x]) => [`${p}${k}`, x]));

  test('an order without a payment address (4.1 storefront) gives null, NULL columns included', () => {
    expect(
      addressFrom(
        columns('payment_', { firstname: '', lastname: '', address_1: '', city: '', country: '' }),
        'payment_',
      ),
    ).toBeNull();
    expect(addressFrom({ payment_firstname: null, payment_country: null }, 'payment_')).toBeNull();
  });

  test('decodes the escaped text of a real address', () => {
    expect(
      addressFrom(
        columns('shipping_', {
          firstname: 'John',
          lastname: 'Smith',
          company: 'Smith &amp; Sons',
          address_1: '1 High St',
          city: 'London',
          country: 'United Kingdom',
          iso_code_2: 'GB',
          zone_code: 'LDN',
        }),
        'shipping_',
      ),
    ).toEqual({
      firstname: 'John',
      lastname: 'Smith',
      company: 'Smith & Sons',
      address1: '1 High St',
      address2: '',
      city: 'London',
      postcode: '',
      country: 'United Kingdom',
      countryIsoCode2: 'GB',
      zone: '',
      zoneCode: 'LDN',
    });
  });
});

test('text decodes once; escapeForOpenCart is its inverse for what htmlspecialchars escapes', () => {
  expect(text('Apple Cinema 30&quot;')).toBe('Apple Cinema 30"');
  expect(text('&amp;amp;')).toBe('&amp;');
  expect(text(null)).toBe('');
  const s = 'Paid in Xero: "A & B" <INV-1>';
  expect(escapeForOpenCart(s)).toBe('Paid in Xero: &quot;A &amp; B&quot; &lt;INV-1&gt;');
  expect(text(escapeForOpenCart(s))).toBe(s);
});
