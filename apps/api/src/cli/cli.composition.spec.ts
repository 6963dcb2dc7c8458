import { storeTimeFormatter } from './cli.composition';

describe('storeTimeFormatter', () => {
  it("bounds a run one second back, on the store database's clock", () => {
    const at = new Date('2025-03-01T12:00:00.400Z');
    expect(storeTimeFormatter(0)(at)).toBe('2025-03-01 11:59:59');
    // A database running one hour ahead of UTC (NOW() − UTC_TIMESTAMP() = 3600 s).
    expect(storeTimeFormatter(3600)(at)).toBe('2025-03-01 12:59:59');
    expect(storeTimeFormatter(-5 * 3600)(new Date('2025-03-01T00:00:00Z'))).toBe('2025-02-28 18:59:59');
  });
});
