/**
 * A shopper's checkout over HTTP with a cookie jar (guest, one product, flat shipping, cash on
 * delivery), the requests the storefront's own pages make. Used only until the shared harness
 * (tools/opencart-harness, placeOrder()) is merged; answers the new order's id.
 */
type Jar = Map<string, string>;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- OpenCart's JSON answers differ per route and release
type Json = any;

async function send(
  jar: Jar,
  url: string,
  form?: Record<string, string | number>,
): Promise<{ status: number; text: string; json: Json }> {
  const r = await fetch(url, {
    method: form ? 'POST' : 'GET',
    redirect: 'manual',
    headers: {
      cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; '),
      'x-requested-with': 'XMLHttpRequest',
      ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
    },
    body: form
      ? new URLSearchParams(Object.entries(form).map(([k, v]): [string, string] => [k, String(v)])).toString()
      : undefined,
  });
  for (const c of r.headers.getSetCookie()) {
    const [pair] = c.split(';');
    const i = pair.indexOf('=');
    jar.set(pair.slice(0, i), pair.slice(i + 1));
  }
  const text = await r.text();
  let json: Json = null;
  try {
    json = JSON.parse(text);
  } catch {
    // a page, not JSON
  }
  return { status: r.status, text, json };
}

const shopper = {
  firstname: 'Ada',
  lastname: 'Lovelace',
  email: 'ada.e2e@example.com',
  telephone: '0123456789',
  address_1: '1 Analytical Row',
  city: 'London',
  postcode: 'N1 1AA',
  country_id: 222,
  zone_id: 3563,
};

function must(what: string, r: { json: Json; text: string }): Json {
  if (!r.json || r.json.error)
    throw new Error(`${what}: ${r.json ? JSON.stringify(r.json.error) : r.text.slice(0, 300)}`);
  return r.json;
}

async function orderIdFromDb(
  query: (sql: string) => Promise<Array<{ id: string }>>,
  prefix: string,
  email: string,
): Promise<number> {
  const rows = await query(
    `SELECT MAX(order_id) AS id FROM \`${prefix}order\` WHERE email = '${email}' AND order_status_id > 0`,
  );
  return Number(rows[0].id);
}

/** OpenCart 4.0.2.x / 4.1.x one-page checkout. */
export async function placeOrder4(
  baseUrl: string,
  query: (sql: string) => Promise<Array<{ id: string }>>,
  prefix: string,
  productId = 40,
): Promise<number> {
  const jar: Jar = new Map();
  const u = (route: string) => `${baseUrl.replace(/\/?$/, '/')}index.php?route=${route}&language=en-gb`;
  await send(jar, u('common/home'));
  must('cart.add', await send(jar, u('checkout/cart.add'), { product_id: productId, quantity: 1 }));
  await send(jar, u('checkout/checkout'));
  must(
    'register.save',
    await send(jar, u('checkout/register.save'), {
      account: 0,
      customer_group_id: 1,
      firstname: shopper.firstname,
      lastname: shopper.lastname,
      email: shopper.email,
      telephone: shopper.telephone,
      payment_firstname: shopper.firstname,
      payment_lastname: shopper.lastname,
      payment_address_1: shopper.address_1,
      payment_city: shopper.city,
      payment_postcode: shopper.postcode,
      payment_country_id: shopper.country_id,
      payment_zone_id: shopper.zone_id,
      address_match: 0,
      shipping_firstname: shopper.firstname,
      shipping_lastname: shopper.lastname,
      shipping_address_1: shopper.address_1,
      shipping_city: shopper.city,
      shipping_postcode: shopper.postcode,
      shipping_country_id: shopper.country_id,
      shipping_zone_id: shopper.zone_id,
      agree: 1,
    }),
  );
  const quote = must('shipping_method.quote', await send(jar, u('checkout/shipping_method.quote')));
  const ship = Object.values(
    quote.shipping_methods as Record<string, { quote: Record<string, { code: string }> }>,
  )[0];
  must(
    'shipping_method.save',
    await send(jar, u('checkout/shipping_method.save'), {
      shipping_method: Object.values(ship.quote)[0].code,
    }),
  );
  must('payment_method.getMethods', await send(jar, u('checkout/payment_method.getMethods')));
  must(
    'payment_method.save',
    await send(jar, u('checkout/payment_method.save'), { payment_method: 'cod.cod' }),
  );
  await send(jar, u('checkout/payment_method.agree'), { agree: 1 });
  const confirm = await send(jar, u('checkout/confirm.confirm'));
  if (confirm.status !== 200) throw new Error(`confirm answered ${confirm.status}`);
  must('cod.confirm', await send(jar, u('extension/opencart/payment/cod.confirm')));
  return orderIdFromDb(query, prefix, shopper.email);
}

/** OpenCart 3.0.x checkout (guest). */
export async function placeOrder3(
  baseUrl: string,
  query: (sql: string) => Promise<Array<{ id: string }>>,
  prefix: string,
  productId = 40,
): Promise<number> {
  const jar: Jar = new Map();
  const u = (route: string) => `${baseUrl.replace(/\/?$/, '/')}index.php?route=${route}`;
  await send(jar, u('common/home'));
  must('cart/add', await send(jar, u('checkout/cart/add'), { product_id: productId, quantity: 1 }));
  await send(jar, u('checkout/checkout'));
  await send(jar, u('checkout/guest'));
  const g = await send(jar, u('checkout/guest/save'), {
    customer_group_id: 1,
    firstname: shopper.firstname,
    lastname: shopper.lastname,
    email: shopper.email,
    telephone: shopper.telephone,
    address_1: shopper.address_1,
    city: shopper.city,
    postcode: shopper.postcode,
    country_id: shopper.country_id,
    zone_id: shopper.zone_id,
    shipping_address: 1,
  });
  if (g.json && g.json.error) throw new Error(`guest/save: ${JSON.stringify(g.json.error)}`);
  await send(jar, u('checkout/shipping_method'));
  const s = await send(jar, u('checkout/shipping_method/save'), {
    shipping_method: 'flat.flat',
    comment: '',
  });
  if (s.json && s.json.error) throw new Error(`shipping_method/save: ${JSON.stringify(s.json.error)}`);
  await send(jar, u('checkout/payment_method'));
  const p = await send(jar, u('checkout/payment_method/save'), {
    payment_method: 'cod',
    comment: '',
    agree: 1,
  });
  if (p.json && p.json.error) throw new Error(`payment_method/save: ${JSON.stringify(p.json.error)}`);
  const c = await send(jar, u('checkout/confirm'));
  if (c.status !== 200) throw new Error(`confirm answered ${c.status}`);
  const cod = await send(jar, u('extension/payment/cod/confirm'));
  if (cod.json && cod.json.error) throw new Error(`cod/confirm: ${JSON.stringify(cod.json.error)}`);
  return orderIdFromDb(query, prefix, shopper.email);
}
