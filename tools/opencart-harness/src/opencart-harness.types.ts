/** The OpenCart releases the harness installs (archives in ../shared/opencart-src). */
export type OpenCartVersion = '3.0.5.0' | '4.0.2.3' | '4.1.0.3';

/** The releases the harness knows, oldest first. */
export const OPENCART_VERSIONS: readonly OpenCartVersion[] = ['3.0.5.0', '4.0.2.3', '4.1.0.3'];

/** What to start. */
export interface StartOpenCartOptions {
  /** The release to install, e.g. '4.0.2.3'. */
  version: OpenCartVersion;
  /** Table prefix given to OpenCart's installer; default 'shop7_' (never the default 'oc_', so code cannot assume it). */
  prefix?: string;
  /** IANA time zone written to the store's `config_timezone` setting (e.g. 'Pacific/Auckland'); default: the installer's (UTC). */
  timezone?: string;
  /** A word that goes into the database name (letters, digits, _), to tell instances apart in logs. */
  name?: string;
}

/** A line of the cart, as a shopper fills the product page. */
export interface ShopperLine {
  /** `product.product_id`. */
  productId: number;
  /** Quantity typed on the product page. */
  quantity: number;
  /** Option values by `product_option_id`: a `product_option_value_id` (select/radio), a list of them (checkbox) or text (text/date/time). */
  options?: Record<number, string | number | Array<string | number>>;
}

/** The shopper's details typed at guest checkout (one address, used for payment and shipping). */
export interface ShopperCustomer {
  /** First name. */
  firstname: string;
  /** Last name. */
  lastname: string;
  /** E-mail address. */
  email: string;
  /** Telephone. */
  telephone: string;
  /** Company (optional field of the address). */
  company: string;
  /** Address line 1. */
  address1: string;
  /** Address line 2. */
  address2: string;
  /** City. */
  city: string;
  /** Postcode. */
  postcode: string;
  /** `country.country_id` (222 = United Kingdom, where the demo VAT + Eco Tax apply). */
  countryId: number;
  /** `zone.zone_id` (3563 = Greater London). */
  zoneId: number;
}

/** An order placed like a shopper, through the storefront over HTTP. */
export interface PlaceOrderInput {
  /** What goes into the cart. */
  products: ShopperLine[];
  /** Guest details; missing fields get a UK (London) guest with a unique e-mail. */
  customer?: Partial<ShopperCustomer>;
  /** Payment method code: 'cod' (default; 4.x sends 'cod.cod'). */
  paymentMethod?: string;
  /** Shipping method code, e.g. 'flat.flat' (default), 'free.free', 'pickup.pickup' (those must be enabled first). */
  shippingMethod?: string;
  /** Coupon code applied on the cart (the coupon must exist and be enabled). */
  coupon?: string;
  /** Order comment. */
  comment?: string;
  /** 4.x only: register an account at checkout with this password (a customer row with its address); default: guest. */
  registerPassword?: string;
}

/** What the storefront made of an order. */
export interface PlacedOrder {
  /** `order.order_id` OpenCart gave it. */
  orderId: number;
}

/** The admin's session, as OpenCart's admin sees it after login. */
export interface AdminSession {
  /** The `user_token` every admin URL carries. */
  token: string;
  /** The Cookie header value of the logged-in admin session. */
  cookie: string;
}

/** A running OpenCart store: its files, its database, its PHP web server. */
export interface OpenCartInstance {
  /** The installed release. */
  version: OpenCartVersion;
  /** The storefront, e.g. http://127.0.0.1:41234/ (with a trailing slash). */
  baseUrl: string;
  /** The admin, `${baseUrl}admin/`. */
  adminUrl: string;
  /** mysql://root@127.0.0.1:3306/<dbName>, for the store reader. */
  dbUrl: string;
  /** The store's own database (created for this instance, dropped by stop()). */
  dbName: string;
  /** Its table prefix (DB_PREFIX). */
  prefix: string;
  /** The `upload` folder served by php -S (config.php, admin/, catalog/, system/ ...). */
  rootDir: string;
  /** The store's time zone setting (`config_timezone`). */
  timezone: string;
  /** The admin login made by the installer. */
  admin: { username: string; password: string };
  /** Places an order like a shopper: add to cart, guest checkout, shipping, payment, confirm. */
  placeOrder(input: PlaceOrderInput): Promise<PlacedOrder>;
  /** Logs into the admin over HTTP; returns the user_token and session cookie. */
  adminLogin(): Promise<AdminSession>;
  /** Adds an order history entry through OpenCart's own code (the catalog API the admin order page uses). */
  setOrderStatus(orderId: number, statusId: number, comment?: string): Promise<void>;
  /** Runs SQL on the store's database (for test set-up and assertions); rows for a SELECT. */
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Stops php -S, drops the database and removes the instance's files. */
  stop(): Promise<void>;
}
