import { computeInvoiceTotals, roundMoney } from './invoice-totals.calculator';

const rates = [
  { TaxType: 'OUTPUT2', EffectiveRate: 20 },
  { TaxType: 'RROUTPUT', EffectiveRate: 5 },
  { TaxType: 'ZERORATEDOUTPUT', EffectiveRate: 0 },
  { TaxType: 'GST15', EffectiveRate: 15 },
];

describe('computeInvoiceTotals (Xero arithmetic)', () => {
  it('rounds the 12.3456 line the way Xero does: 12.35 + 2.47 = 14.82 with unitdp=4', () => {
    const t = computeInvoiceTotals(
      { LineAmountTypes: 'Exclusive', LineItems: [{ Quantity: 1, UnitAmount: 12.3456, TaxType: 'OUTPUT2' }] },
      rates,
      { unitdp: 4 },
    );
    expect(t).toEqual({
      SubTotal: 12.35,
      TotalTax: 2.47,
      Total: 14.82,
      lines: [{ LineAmount: 12.35, TaxAmount: 2.47 }],
    });
  });

  it('keeps 4-dp unit prices only with unitdp=4 (3 x 12.3456)', () => {
    const line = { Quantity: 3, UnitAmount: 12.3456, TaxType: 'OUTPUT2' };
    const four = computeInvoiceTotals({ LineAmountTypes: 'Exclusive', LineItems: [line] }, rates, {
      unitdp: 4,
    });
    const two = computeInvoiceTotals({ LineAmountTypes: 'Exclusive', LineItems: [line] }, rates);
    expect(four.lines[0]).toEqual({ LineAmount: 37.04, TaxAmount: 7.41 });
    expect(two.lines[0]).toEqual({ LineAmount: 37.05, TaxAmount: 7.41 });
  });

  it('computes tax per line and sums the rounded lines (not tax on the sum)', () => {
    // Each line: 0.125 * 20% = 0.025 -> 0.03; three lines 0.09, while tax on the sum (0.375->0.38) would be 0.08.
    const t = computeInvoiceTotals(
      {
        LineAmountTypes: 'Exclusive',
        LineItems: [1, 2, 3].map(() => ({ Quantity: 1, UnitAmount: 0.125, TaxType: 'OUTPUT2' })),
      },
      rates,
      { unitdp: 4 },
    );
    expect(t.lines.map((l) => l.LineAmount)).toEqual([0.13, 0.13, 0.13]);
    expect(t.TotalTax).toBe(0.09);
    expect(t.SubTotal).toBe(0.39);
    expect(t.Total).toBe(0.48);
  });

  it('extracts tax from Inclusive amounts per line: 14.81 at 20% -> tax 2.47, net 12.34', () => {
    const t = computeInvoiceTotals(
      {
        LineAmountTypes: 'Inclusive',
        LineItems: [
          { Quantity: 1, UnitAmount: 14.81, TaxType: 'OUTPUT2' },
          { Quantity: 2, UnitAmount: 10.5, TaxType: 'RROUTPUT' },
        ],
      },
      rates,
    );
    expect(t.lines).toEqual([
      { LineAmount: 14.81, TaxAmount: 2.47 },
      { LineAmount: 21, TaxAmount: 1 },
    ]);
    expect(t.Total).toBe(35.81);
    expect(t.TotalTax).toBe(3.47);
    expect(t.SubTotal).toBe(32.34);
  });

  it('applies NoTax, DiscountRate, zero rate and negative lines (half away from zero)', () => {
    const t = computeInvoiceTotals(
      {
        LineAmountTypes: 'Exclusive',
        LineItems: [
          { Quantity: 2, UnitAmount: 10, DiscountRate: 12.5, TaxType: 'OUTPUT2' }, // 17.50, tax 3.50
          { Quantity: 1, UnitAmount: -0.125, TaxType: 'OUTPUT2' }, // -0.13, tax -0.03
          { Quantity: 1, UnitAmount: 9.99, TaxType: 'ZERORATEDOUTPUT' },
        ],
      },
      rates,
      { unitdp: 4 },
    );
    expect(t.lines).toEqual([
      { LineAmount: 17.5, TaxAmount: 3.5 },
      { LineAmount: -0.13, TaxAmount: -0.03 },
      { LineAmount: 9.99, TaxAmount: 0 },
    ]);
    expect(t.Total).toBe(30.83);
    const noTax = computeInvoiceTotals(
      { LineAmountTypes: 'NoTax', LineItems: [{ Quantity: 1, UnitAmount: 5, TaxType: 'OUTPUT2' }] },
      rates,
    );
    expect(noTax).toEqual({ SubTotal: 5, TotalTax: 0, Total: 5, lines: [{ LineAmount: 5, TaxAmount: 0 }] });
  });

  it('keeps a caller-adjusted line TaxAmount, and rejects unknown tax types and modes', () => {
    const t = computeInvoiceTotals(
      {
        LineAmountTypes: 'Exclusive',
        LineItems: [{ Quantity: 1, UnitAmount: 12.35, TaxType: 'OUTPUT2', TaxAmount: 2.46 }],
      },
      rates,
    );
    expect(t.Total).toBe(14.81);
    expect(() =>
      computeInvoiceTotals(
        { LineAmountTypes: 'Exclusive', LineItems: [{ Quantity: 1, UnitAmount: 1, TaxType: 'NOPE' }] },
        rates,
      ),
    ).toThrow(/Unknown TaxType "NOPE"/);
    expect(() => computeInvoiceTotals({ LineAmountTypes: 'Gross', LineItems: [] }, rates)).toThrow(
      /LineAmountTypes/,
    );
  });

  it('roundMoney rounds half away from zero', () => {
    expect(roundMoney(2.345)).toBe(2.35);
    expect(roundMoney(-2.345)).toBe(-2.35);
    expect(roundMoney(2.4691)).toBe(2.47);
  });
});
