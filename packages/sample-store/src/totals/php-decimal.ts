import Decimal from 'decimal.js';

/**
 * What a PHP float becomes in a DECIMAL(15,4) column when OpenCart writes it.
 * OpenCart concatenates `(float)$value` into its SQL: PHP prints the float with `precision=14`
 * significant digits, and MySQL rounds that text half away from zero to the column's scale.
 * Rounding the exact binary value instead would differ on values like 2.06665.
 */
export function phpStoredDecimal(value: number, scale = 4): string {
  if (!Number.isFinite(value)) throw new Error(`Cannot store a non-finite amount (${value})`);
  const printed = new Decimal(value.toPrecision(14));
  const stored = printed.toDecimalPlaces(scale, Decimal.ROUND_HALF_UP);
  // -0.0000 is stored as 0.0000.
  return (stored.isZero() ? new Decimal(0) : stored).toFixed(scale);
}
