/**
 * The OpenCart tables the connector reads, written by us in OpenCart's own column names and types
 * for 3.0.x and 4.x. Only the tables we use are here; test/schema-drift.medium.spec.ts compares
 * every column with a real OpenCart dump so this file cannot drift silently.
 *
 * One spec serves both versions. A column line is `name type [flags]`:
 *   type   `t` for both versions or `t3|t4` when 4.x changed it;
 *   `3`/`4` the column exists only in that version;
 *   `AI`   auto-increment (NOT NULL, first primary-key column);
 *   `nn`   NOT NULL in 4.x too (composite primary-key parts);
 *   `null` nullable in 3.x too;
 *   `d=V`  default V (both versions; `d3=`/`d4=` for one).
 * 3.x declares almost everything NOT NULL; 4.x made almost everything `DEFAULT NULL`: mirror that,
 * because OpenCart's own inserts rely on it.
 */
import type { OpenCartVersion } from '../sample-store.types';

export interface ColumnSpec {
  name: string;
  type: string;
}

interface TableSpec {
  name: string;
  only?: OpenCartVersion;
  primaryKey: string[];
  keys?: string[];
  lines: string;
}

const TABLES: TableSpec[] = [
  {
    name: 'address',
    primaryKey: ['address_id'],
    keys: ['customer_id'],
    lines: `
address_id int(11) AI
customer_id int(11)
firstname varchar(32)
lastname varchar(32)
company varchar(40)|varchar(60)
address_1 varchar(128)
address_2 varchar(128)
city varchar(128)
postcode varchar(10)
country_id int(11) d=0
zone_id int(11) d=0
custom_field text
default tinyint(1) 4 d=0`,
  },
  {
    name: 'country',
    primaryKey: ['country_id'],
    lines: `
country_id int(11) AI
name varchar(128) 3
iso_code_2 varchar(2)
iso_code_3 varchar(3)
address_format text 3
address_format_id int(11) 4 d=0
postcode_required tinyint(1)
status tinyint(1) d=1`,
  },
  {
    name: 'country_description',
    only: '4',
    primaryKey: ['country_id', 'language_id'],
    keys: ['name'],
    lines: `
country_id int(11) nn
language_id int(11) nn
name varchar(255)`,
  },
  {
    name: 'zone',
    primaryKey: ['zone_id'],
    lines: `
zone_id int(11) AI
country_id int(11)
name varchar(128) 3
code varchar(32)
status tinyint(1) d=1`,
  },
  {
    name: 'zone_description',
    only: '4',
    primaryKey: ['zone_id', 'language_id'],
    keys: ['name'],
    lines: `
zone_id int(11) nn
language_id int(11) nn
name varchar(255)`,
  },
  {
    name: 'geo_zone',
    primaryKey: ['geo_zone_id'],
    lines: `
geo_zone_id int(11) AI
name varchar(32)
description varchar(255)
date_added datetime 3
date_modified datetime 3`,
  },
  {
    name: 'zone_to_geo_zone',
    primaryKey: ['zone_to_geo_zone_id'],
    lines: `
zone_to_geo_zone_id int(11) AI
country_id int(11)
zone_id int(11) d=0
geo_zone_id int(11)
date_added datetime 3
date_modified datetime 3`,
  },
  {
    name: 'tax_class',
    primaryKey: ['tax_class_id'],
    lines: `
tax_class_id int(11) AI
title varchar(32)
description varchar(255)
date_added datetime 3
date_modified datetime 3`,
  },
  {
    name: 'tax_rate',
    primaryKey: ['tax_rate_id'],
    lines: `
tax_rate_id int(11) AI
geo_zone_id int(11) d=0
name varchar(32)
rate decimal(15,4) d=0.0000
type char(1)
date_added datetime 3
date_modified datetime 3`,
  },
  {
    name: 'tax_rule',
    primaryKey: ['tax_rule_id'],
    lines: `
tax_rule_id int(11) AI
tax_class_id int(11)
tax_rate_id int(11)
based varchar(10)
priority int(5) d=1`,
  },
  {
    name: 'tax_rate_to_customer_group',
    primaryKey: ['tax_rate_id', 'customer_group_id'],
    lines: `
tax_rate_id int(11) nn
customer_group_id int(11) nn`,
  },
  {
    name: 'language',
    primaryKey: ['language_id'],
    keys: ['name'],
    lines: `
language_id int(11) AI
name varchar(32)
code varchar(5)
locale varchar(255)
image varchar(64) 3
directory varchar(32) 3
extension varchar(255) 4
sort_order int(3) d=0
status tinyint(1) d4=0`,
  },
  {
    name: 'currency',
    primaryKey: ['currency_id'],
    lines: `
currency_id int(11) AI
title varchar(32)
code varchar(3)
symbol_left varchar(12)
symbol_right varchar(12)
decimal_place char(1)|int(1) d4=2
value double(15,8)
status tinyint(1) d4=0
date_modified datetime`,
  },
  {
    name: 'setting',
    primaryKey: ['setting_id'],
    lines: `
setting_id int(11) AI
store_id int(11) d=0
code varchar(128)
key varchar(128)
value text
serialized tinyint(1) d4=0`,
  },
  {
    name: 'store',
    primaryKey: ['store_id'],
    lines: `
store_id int(11) AI
name varchar(64)
url varchar(255)
ssl varchar(255) 3`,
  },
  {
    name: 'extension',
    primaryKey: ['extension_id'],
    lines: `
extension_id int(11) AI
extension varchar(255) 4
type varchar(32)
code varchar(32)|varchar(128)`,
  },
  {
    name: 'customer_group',
    primaryKey: ['customer_group_id'],
    lines: `
customer_group_id int(11) AI
approval int(1) d4=0
sort_order int(3) d4=0`,
  },
  {
    name: 'customer_group_description',
    primaryKey: ['customer_group_id', 'language_id'],
    lines: `
customer_group_id int(11) nn
language_id int(11) nn
name varchar(32)
description text`,
  },
  {
    name: 'customer',
    primaryKey: ['customer_id'],
    keys: ['email'],
    lines: `
customer_id int(11) AI
customer_group_id int(11) d4=0
store_id int(11) d=0
language_id int(11) d4=0
firstname varchar(32)
lastname varchar(32)
email varchar(96)
telephone varchar(32)
fax varchar(32) 3
password varchar(40)|varchar(255)
salt varchar(9) 3
cart text 3 null
wishlist text 3 null
custom_field text
newsletter tinyint(1) d=0
address_id int(11) 3 d=0
ip varchar(40)
status tinyint(1) d4=0
safe tinyint(1) d4=0
commenter tinyint(1) 4 d=0
token text
code varchar(40)
date_added datetime`,
  },
  {
    name: 'customer_transaction',
    primaryKey: ['customer_transaction_id'],
    lines: `
customer_transaction_id int(11) AI
customer_id int(11)
order_id int(11) d4=0
description text
amount decimal(15,4)
date_added datetime`,
  },
  {
    name: 'customer_reward',
    primaryKey: ['customer_reward_id'],
    lines: `
customer_reward_id int(11) AI
customer_id int(11) d=0
order_id int(11) d=0
description text
points int(8) d=0
date_added datetime`,
  },
  {
    name: 'product',
    primaryKey: ['product_id'],
    lines: `
product_id int(11) AI
master_id int(11) 4 d=0
model varchar(64)
sku varchar(64)
upc varchar(12)
ean varchar(14)
jan varchar(13)
isbn varchar(17)
mpn varchar(64)
location varchar(128)
variant text 4 d=''
override text 4 d=''
quantity int(4) d=0
stock_status_id int(11) d4=0
image varchar(255) null
manufacturer_id int(11) d4=0
shipping tinyint(1) d=1
price decimal(15,4) d=0.0000
points int(8) d=0
tax_class_id int(11) d4=0
date_available date d3='0000-00-00'
weight decimal(15,8) d=0.00000000
weight_class_id int(11) d=0
length decimal(15,8) d=0.00000000
width decimal(15,8) d=0.00000000
height decimal(15,8) d=0.00000000
length_class_id int(11) d=0
subtract tinyint(1) d=1
minimum int(11) d=1
rating int(1) 4 d=0
sort_order int(11) d=0
status tinyint(1) d=0
viewed int(5) 3 d=0
date_added datetime
date_modified datetime`,
  },
  {
    name: 'product_description',
    primaryKey: ['product_id', 'language_id'],
    // MyISAM keys are limited to 1000 bytes, hence OpenCart 3's prefix index.
    keys: ['name(250)@3', 'name@4'],
    lines: `
product_id int(11) nn
language_id int(11) nn
name varchar(255)
description text
tag text
meta_title varchar(255)
meta_description varchar(255)
meta_keyword varchar(255)`,
  },
  {
    name: 'option',
    primaryKey: ['option_id'],
    lines: `
option_id int(11) AI
type varchar(32)
validation varchar(255) 4
sort_order int(3) d4=0`,
  },
  {
    name: 'option_description',
    primaryKey: ['option_id', 'language_id'],
    lines: `
option_id int(11) nn
language_id int(11) nn
name varchar(128)`,
  },
  {
    name: 'option_value',
    primaryKey: ['option_value_id'],
    lines: `
option_value_id int(11) AI
option_id int(11)
image varchar(255)
sort_order int(3) d4=0`,
  },
  {
    name: 'option_value_description',
    primaryKey: ['option_value_id', 'language_id'],
    lines: `
option_value_id int(11) nn
language_id int(11) nn
option_id int(11)
name varchar(128)`,
  },
  {
    name: 'product_option',
    primaryKey: ['product_option_id'],
    lines: `
product_option_id int(11) AI
product_id int(11)
option_id int(11)
value text
required tinyint(1) d4=0`,
  },
  {
    name: 'product_option_value',
    primaryKey: ['product_option_value_id'],
    lines: `
product_option_value_id int(11) AI
product_option_id int(11)
product_id int(11)
option_id int(11)
option_value_id int(11) d4=0
quantity int(3) d4=0
subtract tinyint(1) d4=0
price decimal(15,4)
price_prefix varchar(1)
points int(8) d4=0
points_prefix varchar(1)
weight decimal(15,8)
weight_prefix varchar(1)`,
  },
  {
    name: 'coupon',
    primaryKey: ['coupon_id'],
    lines: `
coupon_id int(11) AI
name varchar(128)
code varchar(20)
type char(1)
discount decimal(15,4)
logged tinyint(1) d4=0
shipping tinyint(1) d4=0
total decimal(15,4)
date_start date d3='0000-00-00'
date_end date d3='0000-00-00'
uses_total int(11) d4=0
uses_customer varchar(11)|int(11) d4=0
status tinyint(1) d4=0
date_added datetime`,
  },
  {
    name: 'voucher',
    only: '3',
    primaryKey: ['voucher_id'],
    lines: `
voucher_id int(11) AI
order_id int(11)
code varchar(10)
from_name varchar(64)
from_email varchar(96)
to_name varchar(64)
to_email varchar(96)
voucher_theme_id int(11)
message text
amount decimal(15,4)
status tinyint(1)
date_added datetime`,
  },
  {
    name: 'voucher_history',
    only: '3',
    primaryKey: ['voucher_history_id'],
    lines: `
voucher_history_id int(11) AI
voucher_id int(11)
order_id int(11)
amount decimal(15,4)
date_added datetime`,
  },
  {
    name: 'order_status',
    primaryKey: ['order_status_id', 'language_id'],
    lines: `
order_status_id int(11) AI
language_id int(11) nn
name varchar(32)`,
  },
  {
    name: 'order',
    primaryKey: ['order_id'],
    keys: ['email@4'],
    lines: `
order_id int(11) AI
subscription_id int(11) 4 d=0
invoice_no int(11) d=0
invoice_prefix varchar(26)
transaction_id varchar(100) 4
store_id int(11) d=0
store_name varchar(64)
store_url varchar(255)
customer_id int(11) d=0
customer_group_id int(11) d=0
firstname varchar(32)
lastname varchar(32)
email varchar(96)
telephone varchar(32)
fax varchar(32) 3
custom_field text
payment_address_id int(11) 4 d=0
payment_firstname varchar(32)
payment_lastname varchar(32)
payment_company varchar(60)
payment_address_1 varchar(128)
payment_address_2 varchar(128)
payment_city varchar(128)
payment_postcode varchar(10)
payment_country varchar(128)
payment_country_id int(11) d4=0
payment_zone varchar(128)
payment_zone_id int(11) d4=0
payment_address_format text
payment_custom_field text
payment_method varchar(128)|text
payment_code varchar(128) 3
shipping_address_id int(11) 4
shipping_firstname varchar(32)
shipping_lastname varchar(32)
shipping_company varchar(60)
shipping_address_1 varchar(128)
shipping_address_2 varchar(128)
shipping_city varchar(128)
shipping_postcode varchar(10)
shipping_country varchar(128)
shipping_country_id int(11) d4=0
shipping_zone varchar(128)
shipping_zone_id int(11) d4=0
shipping_address_format text
shipping_custom_field text
shipping_method varchar(128)|text
shipping_code varchar(128) 3
comment text
total decimal(15,4) d=0.0000
order_status_id int(11) d=0
affiliate_id int(11) d4=0
commission decimal(15,4)
marketing_id int(11) d4=0
tracking varchar(64)
language_id int(11)
language_code varchar(5) 4
currency_id int(11)
currency_code varchar(3)
currency_value decimal(15,8) d=1.00000000
ip varchar(40)
forwarded_ip varchar(40)
user_agent varchar(255)
accept_language varchar(255)
date_added datetime
date_modified datetime`,
  },
  {
    name: 'order_product',
    primaryKey: ['order_product_id'],
    keys: ['order_id'],
    lines: `
order_product_id int(11) AI
order_id int(11)
product_id int(11)
master_id int(11) 4 d=0
name varchar(255)
model varchar(64)
quantity int(4) d4=1
price decimal(15,4) d=0.0000
total decimal(15,4) d=0.0000
tax decimal(15,4) d=0.0000
reward int(8) d4=0`,
  },
  {
    name: 'order_option',
    primaryKey: ['order_option_id'],
    lines: `
order_option_id int(11) AI
order_id int(11)
order_product_id int(11)
product_option_id int(11)
product_option_value_id int(11) d=0
name varchar(255)
value text
type varchar(32)`,
  },
  {
    name: 'order_total',
    primaryKey: ['order_total_id'],
    keys: ['order_id'],
    lines: `
order_total_id int(10) AI
order_id int(11)
extension varchar(255) 4
code varchar(32)
title varchar(255)
value decimal(15,4) d=0.0000
sort_order int(3) d4=0`,
  },
  {
    name: 'order_voucher',
    only: '3',
    primaryKey: ['order_voucher_id'],
    lines: `
order_voucher_id int(11) AI
order_id int(11)
voucher_id int(11)
description varchar(255)
code varchar(10)
from_name varchar(64)
from_email varchar(96)
to_name varchar(64)
to_email varchar(96)
voucher_theme_id int(11)
message text
amount decimal(15,4)`,
  },
  {
    name: 'order_history',
    primaryKey: ['order_history_id'],
    lines: `
order_history_id int(11) AI
order_id int(11)
order_status_id int(11) d4=0
notify tinyint(1) d=0
comment text
date_added datetime`,
  },
  {
    name: 'return',
    primaryKey: ['return_id'],
    lines: `
return_id int(11) AI
order_id int(11) d4=0
product_id int(11) d4=0
customer_id int(11) d4=0
firstname varchar(32)
lastname varchar(32)
email varchar(96)
telephone varchar(32)
product varchar(255)
model varchar(64)
quantity int(4) d4=0
opened tinyint(1) d4=0
return_reason_id int(11) d4=0
return_action_id int(11) d4=0
return_status_id int(11) d4=0
comment text null
date_ordered date d3='0000-00-00'
date_added datetime
date_modified datetime`,
  },
  {
    name: 'return_status',
    primaryKey: ['return_status_id', 'language_id'],
    lines: `
return_status_id int(11) AI
language_id int(11) nn d=0
name varchar(32)`,
  },
  {
    name: 'return_action',
    primaryKey: ['return_action_id', 'language_id'],
    lines: `
return_action_id int(11) AI
language_id int(11) nn d=0
name varchar(64)`,
  },
  {
    name: 'return_reason',
    primaryKey: ['return_reason_id', 'language_id'],
    lines: `
return_reason_id int(11) AI
language_id int(11) nn d=0
name varchar(128)`,
  },
];

/** A column as the builder creates it. */
export interface ColumnLayout extends ColumnSpec {
  autoIncrement: boolean;
  notNull: boolean;
  /** SQL default literal, undefined when none. */
  defaultValue: string | undefined;
}

type ParsedColumn = ColumnLayout;

function parseColumns(spec: TableSpec, version: OpenCartVersion): ParsedColumn[] {
  const columns: ParsedColumn[] = [];
  for (const raw of spec.lines.split('\n')) {
    const line = raw.trim();
    if (!line) continue;
    const [name, typeSpec, ...flags] = line.split(/\s+/);
    if (flags.includes(version === '3' ? '4' : '3')) continue;
    const [type3, type4] = typeSpec.split('|');
    const type = version === '4' ? (type4 ?? type3) : type3;
    const autoIncrement = flags.includes('AI');
    const flagValue = (prefix: string): string | undefined =>
      flags.find((f) => f.startsWith(prefix))?.slice(prefix.length);
    const defaultValue = flagValue(`d${version}=`) ?? flagValue('d=');
    const notNull = autoIncrement || flags.includes('nn') || (version === '3' && !flags.includes('null'));
    columns.push({ name, type, autoIncrement, notNull, defaultValue });
  }
  return columns;
}

function tablesFor(version: OpenCartVersion): TableSpec[] {
  return TABLES.filter((t) => !t.only || t.only === version);
}

/** Base names (without prefix) of every table the builder creates for a version. */
export function tableNames(version: OpenCartVersion): string[] {
  return tablesFor(version).map((t) => t.name);
}

/** Column names and MySQL column types of one table, as information_schema.COLUMN_TYPE shows them. */
export function tableColumns(version: OpenCartVersion, table: string): ColumnSpec[] {
  const spec = tablesFor(version).find((t) => t.name === table);
  if (!spec) throw new Error(`The ${version}.x sample schema has no table "${table}"`);
  return parseColumns(spec, version).map(({ name, type }) => ({ name, type }));
}

/** Full column layout of one table (what the writer needs to fill NOT NULL columns). */
export function tableLayout(version: OpenCartVersion, table: string): ColumnLayout[] {
  const spec = tablesFor(version).find((t) => t.name === table);
  if (!spec) throw new Error(`The ${version}.x sample schema has no table "${table}"`);
  return parseColumns(spec, version);
}

const quote = (identifier: string): string => `\`${identifier.replace(/`/g, '``')}\``;

/** CREATE TABLE statements for a version and table prefix (3.x: MyISAM, 4.x: InnoDB, as OpenCart installs them). */
export function createTableStatements(version: OpenCartVersion, prefix: string): string[] {
  const engine = version === '3' ? 'MyISAM' : 'InnoDB';
  return tablesFor(version).map((spec) => {
    const columns = parseColumns(spec, version).map((c) => {
      let sql = `${quote(c.name)} ${c.type}`;
      if (c.notNull) sql += ' NOT NULL';
      if (c.autoIncrement) sql += ' AUTO_INCREMENT';
      else if (c.defaultValue !== undefined) sql += ` DEFAULT ${c.defaultValue}`;
      else if (!c.notNull) sql += ' DEFAULT NULL';
      return sql;
    });
    const keys = (spec.keys ?? [])
      .map((k) => k.split('@'))
      .filter(([, only]) => !only || only === version)
      .map(([key]) => {
        const [, column, length] = /^(\w+)(?:\((\d+)\))?$/.exec(key) ?? [];
        return `KEY ${quote(column)} (${quote(column)}${length ? `(${length})` : ''})`;
      });
    const body = [...columns, `PRIMARY KEY (${spec.primaryKey.map(quote).join(',')})`, ...keys];
    return (
      `CREATE TABLE ${quote(prefix + spec.name)} (\n  ${body.join(',\n  ')}\n)` +
      ` ENGINE=${engine} DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`
    );
  });
}
