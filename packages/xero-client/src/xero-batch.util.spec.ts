import { chunk, chunkForXero, elementResults, whereClauses, whereString } from './xero-batch.util';

describe('chunk', () => {
  it('120 elements → 50, 50, 20 in order', () => {
    const parts = chunk(Array.from({ length: 120 }, (_, i) => i));
    expect(parts.map((p) => p.length)).toEqual([50, 50, 20]);
    expect(parts.flat()).toEqual(Array.from({ length: 120 }, (_, i) => i));
  });
});

describe('chunkForXero', () => {
  it('cuts at 50 elements, or earlier when the body would pass the byte limit', () => {
    expect(chunkForXero(Array.from({ length: 120 }, (_, i) => ({ i }))).map((p) => p.length)).toEqual([50, 50, 20]);
    const big = Array.from({ length: 10 }, () => ({ Description: 'x'.repeat(1000) }));
    const parts = chunkForXero(big, 50, 3_500);
    expect(parts.map((p) => p.length)).toEqual([3, 3, 3, 1]);
    for (const p of parts) expect(Buffer.byteLength(JSON.stringify(p))).toBeLessThanOrEqual(3_500);
  });

  it('an element larger than the limit still goes, alone', () => {
    expect(chunkForXero([{ a: 'x'.repeat(100) }, { b: 1 }], 50, 50).map((p) => p.length)).toEqual([1, 1]);
  });
});

describe('whereClauses', () => {
  it('escapes quotes and backslashes', () => {
    expect(whereString('Smith & "Sons" \\ Co')).toBe('"Smith & \\"Sons\\" \\\\ Co"');
    expect(whereClauses('Name', ['O"Brien'])).toEqual(['Name=="O\\"Brien"']);
  });

  it('at most 50 values per clause, duplicates and empties dropped', () => {
    const values = Array.from({ length: 120 }, (_, i) => `C${i}`);
    const clauses = whereClauses('ContactNumber', [...values, 'C1', '']);
    expect(clauses).toHaveLength(3);
    expect(clauses[0].split(' OR ')).toHaveLength(50);
    expect(clauses.join(' OR ').split(' OR ')).toHaveLength(120);
  });

  it('splits long values by length too', () => {
    const long = Array.from({ length: 10 }, (_, i) => `${i}`.padEnd(300, 'x'));
    const clauses = whereClauses('Name', long, 50, 2000);
    expect(clauses.length).toBeGreaterThan(1);
    for (const c of clauses) expect(c.length).toBeLessThanOrEqual(2000);
  });
});

describe('elementResults', () => {
  it('keeps input order, separates errors from values and keeps warnings', () => {
    const r = elementResults(
      [
        { statusAttributeString: 'OK', id: 'a' },
        { statusAttributeString: 'ERROR', hasErrors: true, validationErrors: [{ message: 'Email address must be valid.' }], id: 'b' },
        { statusAttributeString: 'WARNING', warnings: [{ message: 'Only AUTHORISED…' }], id: 'c' },
      ],
      3,
      (m) => m.id,
      'Org',
    );
    expect(r).toEqual([
      { ok: true, value: 'a', warnings: [] },
      { ok: false, kind: 'validation', errors: ['Email address must be valid.'] },
      { ok: true, value: 'c', warnings: ['Only AUTHORISED…'] },
    ]);
  });

  it('a count mismatch marks every element unknown instead of guessing', () => {
    const r = elementResults([{ statusAttributeString: 'OK' }], 2, () => 1, 'Org');
    expect(r).toHaveLength(2);
    expect(r.every((x) => !x.ok && x.kind === 'unexpected')).toBe(true);
  });
});
