import { IndexedMap } from './indexed.map';

type Doc = { ID: string; Number?: string; Name?: string };

describe('IndexedMap', () => {
  const make = () => new IndexedMap<Doc>({ number: (d) => d.Number, name: (d) => d.Name });

  it('finds by id ignoring case, and by a field folded for case and spaces, in first-insertion order', () => {
    const m = make();
    m.set('AA-1', { ID: 'AA-1', Number: 'INV-1', Name: 'Smith & Sons' });
    m.set('bb-2', { ID: 'bb-2', Number: 'inv-2', Name: ' smith & sons ' });
    expect(m.byId('aa-1')?.ID).toBe('AA-1');
    expect(m.byId('BB-2')?.ID).toBe('bb-2');
    expect(m.byId('cc-3')).toBeUndefined();
    expect(m.lookup('number', 'INV-2').map((d) => d.ID)).toEqual(['bb-2']);
    expect(m.lookup('name', 'SMITH & SONS').map((d) => d.ID)).toEqual(['AA-1', 'bb-2']);
    // Replacing an entity keeps its place in the order and moves it to its new keys.
    m.set('AA-1', { ID: 'AA-1', Number: 'INV-9', Name: 'Smith & Sons' });
    expect(m.lookup('name', 'smith & sons').map((d) => d.ID)).toEqual(['AA-1', 'bb-2']);
    expect(m.lookup('number', 'INV-1')).toEqual([]);
    expect(m.lookup('number', 'inv-9').map((d) => d.ID)).toEqual(['AA-1']);
    expect([...m.keys()]).toEqual(['AA-1', 'bb-2']);
  });

  it('forgets deleted and cleared entities; an in-place edit never yields a false match', () => {
    const m = make();
    const doc: Doc = { ID: 'x', Number: 'N-1' };
    m.set('x', doc);
    doc.Number = 'N-2';
    expect(m.lookup('number', 'N-1')).toEqual([]);
    m.delete('x');
    expect(m.byId('X')).toBeUndefined();
    m.set('y', { ID: 'y', Number: 'N-3' });
    m.clear();
    expect(m.lookup('number', 'N-3')).toEqual([]);
    expect(m.size).toBe(0);
  });

  it('answers as a scan does over many entities', () => {
    const m = make();
    for (let i = 0; i < 2000; i++) m.set(`id-${i}`, { ID: `id-${i}`, Number: `N-${i % 500}` });
    for (const n of ['N-0', 'n-499', 'N-500']) {
      const scan = [...m.values()].filter((d) => d.Number?.toLowerCase() === n.toLowerCase());
      expect(m.lookup('number', n)).toEqual(scan);
    }
  });
});
