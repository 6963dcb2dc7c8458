/**
 * The sample store's fixed reference data, written for this project (not taken from OpenCart's
 * demo). Raw text here is what a merchant typed; the generator stores it HTML-escaped as OpenCart does.
 */

export const LANGUAGE_ID = 1;

export interface CountryDef {
  countryId: number;
  name: string;
  iso2: string;
  iso3: string;
  zones: Array<{ zoneId: number; name: string; code: string }>;
}

// OpenCart's own ids for these countries and zones, so addresses look like a real install's.
export const COUNTRIES: CountryDef[] = [
  {
    countryId: 222,
    name: 'United Kingdom',
    iso2: 'GB',
    iso3: 'GBR',
    zones: [
      { zoneId: 3563, name: 'Greater London', code: 'GLO' },
      { zoneId: 3564, name: 'Greater Manchester', code: 'GMN' },
      { zoneId: 3609, name: 'Edinburgh', code: 'EDH' },
      { zoneId: 3589, name: 'Bristol', code: 'BST' },
    ],
  },
  {
    countryId: 223,
    name: 'United States',
    iso2: 'US',
    iso3: 'USA',
    zones: [
      { zoneId: 3624, name: 'California', code: 'CA' },
      { zoneId: 3655, name: 'New York', code: 'NY' },
      { zoneId: 3669, name: 'Texas', code: 'TX' },
    ],
  },
  { countryId: 81, name: 'Germany', iso2: 'DE', iso3: 'DEU', zones: [{ zoneId: 1256, name: 'Berlin', code: 'BER' }, { zoneId: 1255, name: 'Bayern', code: 'BAY' }] },
  { countryId: 74, name: 'France', iso2: 'FR', iso3: 'FRA', zones: [{ zoneId: 1124, name: 'Paris', code: '75' }] },
  { countryId: 103, name: 'Ireland', iso2: 'IE', iso3: 'IRL', zones: [{ zoneId: 1588, name: 'Dublin', code: 'DU' }] },
  { countryId: 107, name: 'Japan', iso2: 'JP', iso3: 'JPN', zones: [{ zoneId: 1643, name: '東京都', code: 'TY' }] },
  { countryId: 153, name: 'New Zealand', iso2: 'NZ', iso3: 'NZL', zones: [{ zoneId: 2334, name: 'Auckland', code: 'AUK' }] },
];

export const STORE_PLACE = { countryId: 222, zoneId: 3563 };

export const CURRENCIES = [
  // code, title, symbol left, symbol right, value now, enabled
  { currencyId: 1, code: 'USD', title: 'US Dollar', left: '$', right: '', value: 1, status: 1 },
  { currencyId: 2, code: 'EUR', title: 'Euro', left: '', right: '€', value: 0.9231, status: 1 },
  { currencyId: 3, code: 'GBP', title: 'Pound Sterling', left: '£', right: '', value: 0.7874, status: 1 },
  { currencyId: 4, code: 'JPY', title: 'Japanese Yen', left: '¥', right: '', value: 151.2, status: 0 },
];

export const CUSTOMER_GROUPS = [
  { customerGroupId: 1, name: 'Default', description: 'Retail customers' },
  { customerGroupId: 2, name: 'Wholesale', description: 'Trade accounts & resellers (VAT-registered, zero-rated)' },
  { customerGroupId: 3, name: 'VIP Members', description: 'Loyalty programme' },
];

/** Tax: VAT 20%, a reduced 5% and a fixed Eco Tax per unit, in a UK geo zone; Wholesale is not taxed. */
export const GEO_ZONES = [
  { geoZoneId: 1, name: 'UK VAT Zone', description: 'Whole United Kingdom' },
  { geoZoneId: 2, name: 'UK Shipping', description: 'Mainland UK delivery area' },
];
export const ZONE_TO_GEO_ZONE = [
  { zoneToGeoZoneId: 1, geoZoneId: 1, countryId: 222, zoneId: 0 },
  { zoneToGeoZoneId: 2, geoZoneId: 2, countryId: 222, zoneId: 3563 },
  { zoneToGeoZoneId: 3, geoZoneId: 2, countryId: 222, zoneId: 3564 },
];
export const TAX_RATES = [
  { taxRateId: 1, geoZoneId: 1, name: 'VAT (20%)', rate: 20, type: 'P' as const, customerGroupIds: [1, 3] },
  { taxRateId: 2, geoZoneId: 1, name: 'Reduced VAT (5%)', rate: 5, type: 'P' as const, customerGroupIds: [1, 3] },
  { taxRateId: 3, geoZoneId: 1, name: 'Eco Tax (-2.00)', rate: 2, type: 'F' as const, customerGroupIds: [1, 3] },
];
export const TAX_CLASSES = [
  { taxClassId: 9, title: 'Taxable Goods', description: 'Standard-rated goods' },
  { taxClassId: 10, title: 'Downloadable Products', description: 'Digital goods' },
  { taxClassId: 11, title: 'Reduced Rate Goods', description: 'Child car seats, energy-saving materials' },
];
export const TAX_RULES = [
  { taxRuleId: 1, taxClassId: 9, taxRateId: 1, based: 'shipping' as const, priority: 1 },
  { taxRuleId: 2, taxClassId: 9, taxRateId: 3, based: 'shipping' as const, priority: 2 },
  { taxRuleId: 3, taxClassId: 10, taxRateId: 3, based: 'store' as const, priority: 0 },
  { taxRuleId: 4, taxClassId: 10, taxRateId: 1, based: 'payment' as const, priority: 1 },
  { taxRuleId: 5, taxClassId: 11, taxRateId: 2, based: 'shipping' as const, priority: 1 },
];

export const ORDER_STATUSES: Record<string, number> = {
  Pending: 1,
  Processing: 2,
  Shipped: 3,
  Complete: 5,
  Canceled: 7,
  Denied: 8,
  'Canceled Reversal': 9,
  Failed: 10,
  Refunded: 11,
  Reversed: 12,
  Chargeback: 13,
  Expired: 14,
  Processed: 15,
  Voided: 16,
};

export const RETURN_STATUSES = [
  { id: 1, name: 'Pending' },
  { id: 2, name: 'Awaiting Products' },
  { id: 3, name: 'Complete' },
];
export const RETURN_ACTIONS = [
  { id: 1, name: 'Refunded' },
  { id: 2, name: 'Credit Issued' },
  { id: 3, name: 'Replacement Sent' },
];
export const RETURN_REASONS = [
  { id: 1, name: 'Dead On Arrival' },
  { id: 2, name: 'Received Wrong Item' },
  { id: 3, name: 'Order Error' },
  { id: 4, name: 'Faulty, please supply details' },
  { id: 5, name: 'Other, please supply details' },
];

export interface OptionDef {
  optionId: number;
  name: string;
  type: 'select' | 'radio' | 'checkbox' | 'text' | 'date';
  values: Array<{ optionValueId: number; name: string }>;
}

export const OPTIONS: OptionDef[] = [
  { optionId: 1, name: 'Size', type: 'select', values: [{ optionValueId: 1, name: 'Small' }, { optionValueId: 2, name: 'Medium' }, { optionValueId: 3, name: 'Large' }] },
  { optionId: 2, name: 'Finish', type: 'radio', values: [{ optionValueId: 4, name: 'Natural' }, { optionValueId: 5, name: 'Midnight Blue' }, { optionValueId: 6, name: 'Gold Leaf' }] },
  { optionId: 3, name: 'Gift wrap', type: 'checkbox', values: [{ optionValueId: 7, name: 'Wrap & ribbon' }] },
  { optionId: 4, name: 'Engraving', type: 'text', values: [] },
  { optionId: 5, name: 'Delivery date', type: 'date', values: [] },
  { optionId: 6, name: 'Condition', type: 'select', values: [{ optionValueId: 8, name: 'New' }, { optionValueId: 9, name: 'Refurbished' }] },
];

/** Price modifier per option value: [prefix, amount]. */
export const OPTION_PRICES: Record<number, ['+' | '-', string]> = {
  1: ['+', '0.0000'],
  2: ['+', '2.5000'],
  3: ['+', '5.0000'],
  4: ['+', '0.0000'],
  5: ['+', '1.2500'],
  6: ['+', '15.0000'],
  7: ['+', '3.9900'],
  8: ['+', '0.0000'],
  9: ['-', '20.0000'],
};

export interface ProductDef {
  name: string;
  model: string;
  price: string;
  taxClassId: number;
  shipping: boolean;
  /** Points needed to buy one with reward points (0 = cannot). */
  points: number;
  /** Points earned per unit bought. */
  reward: number;
  options: number[];
}

// [name, price, tax class, ships, points, reward, options]
const P = (name: string, price: string, taxClassId: number, shipping: boolean, points: number, reward: number, options: number[] = []) => ({
  name,
  price,
  taxClassId,
  shipping,
  points,
  reward,
  options,
});
const PRODUCTS_RAW = [
  P('Oak Writing Desk 47" Wide', '349.9950', 9, true, 0, 35, [2, 5]),
  P('Salt & Pepper Mill Set', '24.5000', 9, true, 250, 2, [3]),
  P('Crème Brûlée Torch', '19.9900', 9, true, 200, 2),
  P('緑茶 Sencha Green Tea 100g', '12.3456', 9, true, 100, 1, [3]),
  P('Café au Lait Bowl', '8.7500', 9, true, 90, 1, [2]),
  P('Smith & Sons Chef\'s Knife 8"', '89.9900', 9, true, 900, 9, [4]),
  P('Linen Apron "Atelier"', '29.0000', 9, true, 300, 3, [1, 2]),
  P('Cast Iron Skillet 26 cm', '54.9500', 9, true, 0, 5),
  P('Pour-Over Coffee Kit', '64.0000', 9, true, 640, 6, [6]),
  P('Espresso Cups (set of 4)', '31.3333', 9, true, 0, 3, [3]),
  P('Wool Throw – Highland', '119.0000', 9, true, 1200, 12, [2, 3]),
  P('Ceramic Planter Ø 20 cm', '27.4990', 9, true, 0, 2),
  P('Desk Lamp <LED> 9W', '45.9999', 9, true, 460, 4, [6]),
  P('Noise-Cancelling Headphones', '199.0000', 9, true, 2000, 20, [2, 6]),
  P('USB-C Charger 65W', '39.9950', 9, true, 0, 4),
  P('Mechanical Keyboard (ISO)', '129.5000', 9, true, 1300, 13, [1, 6]),
  P('Fountain Pen «Étoile»', '74.2500', 9, true, 740, 7, [2, 4]),
  P('A5 Notebook, dotted', '0.4545', 9, true, 5, 0),
  P('Sticker Sheet 10×', '0.3333', 9, true, 0, 0),
  P('Leather Wallet – Bordeaux', '59.0000', 9, true, 590, 6, [4]),
  P('Running Shoes "Zéphyr"', '94.9500', 9, true, 0, 9, [1]),
  P('Yoga Mat 6 mm', '33.9900', 9, true, 340, 3, [2]),
  P('北京 Jasmine Tea Tin', '9.9999', 9, true, 100, 1),
  P('Garden Tool Set (3 pcs)', '42.0000', 9, true, 0, 4),
  P('Scented Candle – Fig & Cedar', '18.5000', 9, true, 185, 2, [3]),
  P('Child Car Seat Group 1', '149.0000', 11, true, 0, 15),
  P('Energy-Saving Bulb Pack (6)', '15.9960', 11, true, 160, 1),
  P('Loft Insulation Roll', '28.7500', 11, true, 0, 2),
  P('Paperback: "The Quiet Orchard"', '9.9900', 0, true, 100, 1),
  P('Hardback Atlas of the World', '45.0000', 0, true, 450, 4),
  P('Children\'s Picture Book – Ösel the Owl', '6.9900', 0, true, 0, 0),
  P('Sheet Music: Für Elise', '4.5000', 0, true, 45, 0),
  P('E-book: Bookkeeping for Makers', '14.9900', 10, false, 150, 1),
  P('Font Licence "Grotesk Pro"', '79.0000', 10, false, 0, 8),
  P('Photo Preset Pack', '12.0000', 10, false, 120, 1),
  P('Online Course: Sourdough 101', '49.0000', 10, false, 490, 5),
  P('Gift Box Hamper', '79.9950', 9, true, 800, 8, [3, 5]),
  P('Handmade Soap – Lavender', '5.2500', 9, true, 50, 0, [3]),
  P('Bamboo Cutting Board', '21.0000', 9, true, 0, 2, [4]),
  P('Ice Cream Maker 1.5 L', '249.9900', 9, true, 2500, 25, [6]),
];

export const PRODUCTS: ProductDef[] = PRODUCTS_RAW.map((p, i) => ({ ...p, model: `SS-${String(i + 1).padStart(3, '0')}` }));

export const FIRST_NAMES = [
  'Oliver', 'Amelia', 'Jack', 'Isla', 'Harry', 'Ava', 'George', 'Mia', 'Noah', 'Emily', 'Liam', 'Sophie',
  'Zoë', 'José', 'Chloé', 'Søren', 'Anaïs', 'Björn', 'Łukasz', 'Renée', 'Matteo', 'Siobhán', 'Aoife', 'Émile',
  '美咲', '翔太', '陽菜', '伟', '娜', 'Hannah', 'Daniel', 'Grace', 'Thomas', 'Ella', 'Henry', 'Lucy',
];
export const LAST_NAMES = [
  'Smith', 'Jones', 'Taylor', 'Brown', 'Williams', 'Wilson', 'Evans', 'Thomas', 'Roberts', 'Walker',
  "O'Brien", 'García', 'Müller', 'Dubois', 'Kowalski', 'Ångström', 'Nørgaard', 'Ní Bhriain', 'Rossi',
  '佐藤', '鈴木', '高橋', '王', '李', 'Fernández', 'Schäfer', 'Lefèvre', 'Murphy', 'Kelly', 'Clarke',
];
export const COMPANIES = [
  '', '', '', '', 'Smith & Sons Ltd', 'Müller GmbH', 'Atelier "Lumière"', 'Kettle & Crumb Café', '株式会社さくら',
  'The Very Long Name Bookkeeping, Accounting, Payroll & Advisory Services Partnership of Greater Manchester LLP',
];
export const STREETS = [
  'High Street', 'Station Road', 'Church Lane', 'Rue de Rivoli', 'Hauptstraße', 'Baker Street', 'Main Street',
  'Queen Street', 'Avenue des Champs-Élysées', '中央通り', 'Grafton Street', 'Ponsonby Road', 'Market Square',
];
export const CITIES: Record<number, string[]> = {
  222: ['London', 'Manchester', 'Edinburgh', 'Bristol'],
  223: ['San Francisco', 'New York', 'Austin'],
  81: ['Berlin', 'München'],
  74: ['Paris'],
  103: ['Dublin'],
  107: ['東京'],
  153: ['Auckland'],
};
export const COMMENTS = [
  '',
  '',
  '',
  'Please leave the parcel with the neighbour at no. 12 & ring twice.',
  'Gift — please don\'t include the invoice.',
  'Lieferung bitte nach 18 Uhr.',
  'Call before delivery: "door code 4711".',
  '不在の場合は宅配ボックスへ',
];
