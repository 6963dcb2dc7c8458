import { multiplyDecimal, orderState } from './order-state.repository';

describe('order amounts in the order currency', () => {
  it('multiplies exactly and rounds half away from zero', () => {
    expect(multiplyDecimal('100.0000', '0.78460002')).toBe('78.46');
    expect(multiplyDecimal('1.0050', '1.00000000')).toBe('1.01');
    expect(multiplyDecimal('-1.3050', '1')).toBe('-1.31');
    expect(multiplyDecimal('14.8147', '1.00000000')).toBe('14.81');
    expect(multiplyDecimal('0', '0.5')).toBe('0.00');
    expect(multiplyDecimal('3', '2', 0)).toBe('6');
  });

  it('names the state the filters use', () => {
    expect(orderState('done', true)).toBe('synced');
    expect(orderState('conflict', false)).toBe('failed');
    expect(orderState(undefined, true)).toBe('marked');
    expect(orderState(undefined, false)).toBe('not-exported');
  });
});
