import { settingsSchema } from './settings.schema';
import { SETTING_FIELD_META, SETTING_FIELDS, SETTING_GROUPS, settingFieldsOf, settingLabel } from './settings.fields';

describe('settings field metadata', () => {
  const schemaKeys = Object.keys(settingsSchema.shape);

  it('has a label, help, group and kind for every key of the settings schema', () => {
    const missing = schemaKeys.filter((k) => !(k in SETTING_FIELD_META));
    // Names the keys, so whoever adds a setting sees which entry to write.
    expect(missing).toEqual([]);
    const stale = Object.keys(SETTING_FIELD_META).filter((k) => !schemaKeys.includes(k));
    expect(stale).toEqual([]);
    const groups = new Set<string>(SETTING_GROUPS.map((g) => g.id));
    for (const f of SETTING_FIELDS) {
      expect({ key: f.key, label: f.label.trim().length > 0, help: f.help.trim().length > 10, group: groups.has(f.group) }).toEqual({
        key: f.key,
        label: true,
        help: true,
        group: true,
      });
    }
  });

  it('names the seed settings exactly as the seed table does', () => {
    const seedNames = [
      'Status', 'Client ID', 'Client Secret', 'Cron Token', 'Debug', 'Sales Account Code', 'Shipping Account Code',
      'Payment Account Code', 'Rounding Account Code', 'Inventory Account Code', 'COGS Account Code', 'Make Customer Unique',
      'Contact Format', 'Export Customers', 'Sync Items with Xero Inventory', 'Export Items', 'Sync Items Stocks',
      'Invoice Status', 'Order Status to Export', 'Order Status to Remove', 'Export Invoices',
    ];
    expect(SETTING_FIELDS.filter((f) => f.seed).map((f) => f.label).sort()).toEqual([...seedNames].sort());
    const labels = SETTING_FIELDS.map((f) => f.label);
    expect(new Set(labels).size).toBe(labels.length);
  });

  it('gives every select its choices and every account field its account kind', () => {
    for (const f of SETTING_FIELDS) {
      if (f.kind === 'select' || f.kind === 'multi-select') expect({ key: f.key, has: !!(f.options?.length || f.choices) }).toEqual({ key: f.key, has: true });
      if (f.kind === 'account-picker') expect({ key: f.key, kind: typeof f.accountKind }).toEqual({ key: f.key, kind: 'string' });
    }
    // fixed options are values the schema accepts
    for (const f of SETTING_FIELDS.filter((x) => x.options && !x.allowCustom)) {
      for (const o of f.options!) expect(settingsSchema.shape[f.key].safeParse(o.value).success).toBe(true);
    }
  });

  it('groups in the seed order and labels paths for messages', () => {
    expect(SETTING_GROUPS.map((g) => g.label).slice(0, 7)).toEqual(['Connection', 'Cron', 'Debug', 'Accounts', 'Customers', 'Items', 'Invoices']);
    expect(settingFieldsOf('connection').map((f) => f.key)).toEqual(['status', 'clientId', 'clientSecret']);
    expect(settingLabel('shippingAccountCode')).toBe('Shipping Account Code');
    expect(settingLabel('paymentAccountCodes.cod')).toBe('Payment Account Code');
    expect(settingLabel('nope')).toBe('nope');
  });
});
