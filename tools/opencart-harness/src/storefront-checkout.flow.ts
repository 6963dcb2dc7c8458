import { FormFields, HttpSession, parseOpenCartJson } from './http-session.client';
import { OpenCartVersion, PlaceOrderInput, ShopperCustomer, ShopperLine } from './opencart-harness.types';

/** The guest the harness types when the test gives none: a London address, so the demo VAT + Eco Tax apply. */
export function defaultCustomer(n: number): ShopperCustomer {
  return {
    firstname: 'Ada',
    lastname: `Shopper${n}`,
    email: `shopper${n}.${Date.now()}@example.com`,
    telephone: '02070000000',
    company: '',
    address1: '1 High Street',
    address2: '',
    city: 'London',
    postcode: 'SW1A 1AA',
    countryId: 222,
    zoneId: 3563,
  };
}

function optionFields(line: ShopperLine): FormFields {
  const out: FormFields = [];
  for (const [id, value] of Object.entries(line.options ?? {})) {
    if (Array.isArray(value)) for (const v of value) out.push([`option[${id}][]`, String(v)]);
    else out.push([`option[${id}]`, String(value)]);
  }
  return out;
}

function failIfError(json: Record<string, unknown>, step: string): void {
  if (json.error) throw new Error(`OpenCart checkout step ${step} refused: ${JSON.stringify(json.error)}`);
  if (typeof json.redirect === 'string' && /checkout\/cart|account\/login/.test(json.redirect)) {
    throw new Error(`OpenCart checkout step ${step} sent the shopper back to ${json.redirect}`);
  }
}

/**
 * 3.0.x: the classic six-step checkout, each step the AJAX call its page makes
 * (catalog/view/theme/default/template/checkout/*.twig).
 */
async function checkout3(
  base: string,
  web: HttpSession,
  input: PlaceOrderInput,
  c: ShopperCustomer,
  needsShipping: boolean,
): Promise<void> {
  if (input.registerPassword)
    throw new Error(
      'placeOrder: registerPassword is supported on 4.x only (3.x registers on checkout/register)',
    );
  const url = (route: string): string => `${base}index.php?route=${route}`;
  for (const line of input.products) {
    const json = parseOpenCartJson(
      await web.post(url('checkout/cart/add'), [
        ['product_id', String(line.productId)],
        ['quantity', String(line.quantity)],
        ...optionFields(line),
      ]),
      'cart/add',
    );
    failIfError(json, `cart/add ${line.productId}`);
  }
  if (input.coupon) {
    // On success 3.x answers with a redirect to the cart page (to redraw it): only an error is a refusal.
    const json = parseOpenCartJson(
      await web.post(url('extension/total/coupon/coupon'), [['coupon', input.coupon]]),
      'coupon',
    );
    if (json.error) throw new Error(`OpenCart coupon ${input.coupon} refused: ${JSON.stringify(json.error)}`);
  }
  await web.get(url('checkout/checkout'));
  await web.get(url('checkout/guest'));
  const guest: FormFields = [
    ['customer_group_id', '1'],
    ['firstname', c.firstname],
    ['lastname', c.lastname],
    ['email', c.email],
    ['telephone', c.telephone],
    ['company', c.company],
    ['address_1', c.address1],
    ['address_2', c.address2],
    ['city', c.city],
    ['postcode', c.postcode],
    ['country_id', String(c.countryId)],
    ['zone_id', String(c.zoneId)],
    ['shipping_address', '1'],
  ];
  failIfError(
    parseOpenCartJson(await web.post(url('checkout/guest/save'), guest), 'guest/save'),
    'guest/save',
  );
  if (needsShipping) {
    await web.get(url('checkout/shipping_method'));
    failIfError(
      parseOpenCartJson(
        await web.post(url('checkout/shipping_method/save'), [
          ['shipping_method', input.shippingMethod ?? 'flat.flat'],
          ['comment', input.comment ?? ''],
        ]),
        'shipping_method/save',
      ),
      'shipping_method/save',
    );
  }
  await web.get(url('checkout/payment_method'));
  failIfError(
    parseOpenCartJson(
      await web.post(url('checkout/payment_method/save'), [
        ['payment_method', input.paymentMethod ?? 'cod'],
        ['comment', input.comment ?? ''],
        ['agree', '1'],
      ]),
      'payment_method/save',
    ),
    'payment_method/save',
  );
  // The confirm page writes the order (model checkout/order addOrder); the payment's confirm adds its first history.
  const confirm = await web.get(url('checkout/confirm'));
  if (confirm.status >= 400) throw new Error(`OpenCart checkout/confirm: HTTP ${confirm.status}`);
  const code = (input.paymentMethod ?? 'cod').split('.')[0];
  const paid = await web.get(url(`extension/payment/${code}/confirm`));
  const json = paid.text.includes('{') ? parseOpenCartJson(paid, `payment ${code} confirm`) : {};
  failIfError(json, `payment ${code} confirm`);
}

/** 4.0.x / 4.1.x: the one-page checkout, each call as catalog/view/template/checkout/*.twig makes it. */
async function checkout4(
  base: string,
  web: HttpSession,
  input: PlaceOrderInput,
  c: ShopperCustomer,
  version: OpenCartVersion,
  needsShipping: boolean,
): Promise<void> {
  const url = (route: string): string => `${base}index.php?route=${route}&language=en-gb`;
  for (const line of input.products) {
    const json = parseOpenCartJson(
      await web.post(url('checkout/cart.add'), [
        ['product_id', String(line.productId)],
        ['quantity', String(line.quantity)],
        ...optionFields(line),
      ]),
      'cart.add',
    );
    failIfError(json, `cart.add ${line.productId}`);
  }
  if (input.coupon) {
    const route = version.startsWith('4.0')
      ? 'extension/opencart/total/coupon.save'
      : 'extension/opencart/checkout/coupon.save';
    failIfError(
      parseOpenCartJson(await web.post(url(route), [['coupon', input.coupon]]), 'coupon.save'),
      'coupon.save',
    );
  }
  await web.get(url('checkout/checkout'));
  const address = (p: string): FormFields => [
    [`${p}_firstname`, c.firstname],
    [`${p}_lastname`, c.lastname],
    [`${p}_company`, c.company],
    [`${p}_address_1`, c.address1],
    [`${p}_address_2`, c.address2],
    [`${p}_city`, c.city],
    [`${p}_postcode`, c.postcode],
    [`${p}_country_id`, String(c.countryId)],
    [`${p}_zone_id`, String(c.zoneId)],
  ];
  const register: FormFields = [
    ['account', input.registerPassword ? '1' : '0'],
    ['password', input.registerPassword ?? ''],
    ['customer_group_id', '1'],
    ['firstname', c.firstname],
    ['lastname', c.lastname],
    ['email', c.email],
    ['telephone', c.telephone],
    ...address('payment'),
    // address_match=0: the shipping_* fields are the shipping address (with 1, 4.1 copies the payment address, which it does not ask for by default).
    ['address_match', '0'],
    ...address('shipping'),
    ['agree', '1'],
  ];
  failIfError(
    parseOpenCartJson(await web.post(url('checkout/register.save'), register), 'register.save'),
    'register.save',
  );
  if (needsShipping) {
    const shipping = input.shippingMethod ?? 'flat.flat';
    failIfError(
      parseOpenCartJson(await web.get(url('checkout/shipping_method.quote')), 'shipping_method.quote'),
      'shipping_method.quote',
    );
    failIfError(
      parseOpenCartJson(
        await web.post(url('checkout/shipping_method.save'), [['shipping_method', shipping]]),
        'shipping_method.save',
      ),
      'shipping_method.save',
    );
  }
  failIfError(
    parseOpenCartJson(await web.get(url('checkout/payment_method.getMethods')), 'payment_method.getMethods'),
    'payment_method.getMethods',
  );
  const payment = input.paymentMethod ?? 'cod';
  const paymentCode = payment.includes('.') ? payment : `${payment}.${payment}`;
  failIfError(
    parseOpenCartJson(
      await web.post(url('checkout/payment_method.save'), [['payment_method', paymentCode]]),
      'payment_method.save',
    ),
    'payment_method.save',
  );
  if (input.comment) await web.post(url('checkout/payment_method.comment'), [['comment', input.comment]]);
  await web.post(url('checkout/payment_method.agree'), [['agree', '1']]);
  // confirm.confirm renders the confirm block and writes the order (addOrder / editOrder).
  const confirm = await web.get(url('checkout/confirm.confirm'));
  if (confirm.status >= 400)
    throw new Error(
      `OpenCart checkout/confirm.confirm: HTTP ${confirm.status}: ${confirm.text.slice(0, 300)}`,
    );
  const code = paymentCode.split('.')[0];
  failIfError(
    parseOpenCartJson(
      await web.post(url(`extension/opencart/payment/${code}.confirm`), []),
      `${code}.confirm`,
    ),
    `${code}.confirm`,
  );
}

/**
 * Places one order through the storefront as a new guest shopper (a fresh cookie jar).
 * `needsShipping`: some product in the cart has product.shipping = 1; the checkout page then shows
 * the shipping-method step (without it, OpenCart has no shipping address and skips that step).
 */
export async function checkoutAsGuest(
  version: OpenCartVersion,
  baseUrl: string,
  input: PlaceOrderInput,
  customer: ShopperCustomer,
  needsShipping: boolean,
): Promise<void> {
  const web = new HttpSession();
  if (version.startsWith('3.')) await checkout3(baseUrl, web, input, customer, needsShipping);
  else await checkout4(baseUrl, web, input, customer, version, needsShipping);
}
