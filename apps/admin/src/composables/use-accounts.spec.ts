import { describe, expect, it } from 'vitest';
import { accountOptions } from './use-accounts';

const chart = [
  { AccountID: '1', Code: '200', Name: 'Sales', Type: 'REVENUE', Status: 'ACTIVE' },
  { AccountID: '2', Code: '090', Name: 'Business Bank Account', Type: 'BANK', Status: 'ACTIVE' },
  { AccountID: '3', Code: '310', Name: 'Cost of Goods Sold', Type: 'DIRECTCOSTS', Status: 'ACTIVE' },
  { AccountID: '4', Code: '201', Name: 'Old sales', Type: 'REVENUE', Status: 'ARCHIVED' },
  { AccountID: '5', Code: '610', Name: 'Accounts Receivable', Type: 'CURRENT', Status: 'ACTIVE', EnablePaymentsToAccount: false },
  { AccountID: '6', Name: 'No code', Type: 'REVENUE', Status: 'ACTIVE' },
];

describe('account pickers', () => {
  it('offers only the account types that fit the field, code and name, no archived or code-less', () => {
    expect(accountOptions(chart, 'sales')).toEqual([{ label: '200 — Sales', value: '200' }]);
    expect(accountOptions(chart, 'payment').map((o) => o.value)).toEqual(['090', '610']);
    expect(accountOptions(chart, 'cogs').map((o) => o.value)).toEqual(['310']);
    expect(accountOptions(chart, 'any')).toHaveLength(4);
  });
});
