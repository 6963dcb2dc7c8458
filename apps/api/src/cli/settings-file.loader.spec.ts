import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { loadSettingsFile, mergeSettings, SettingsFileError } from './settings-file.loader';

const problems = (fn: () => unknown): string[] => {
  try {
    fn();
  } catch (e) {
    if (e instanceof SettingsFileError) return e.problems;
    throw e;
  }
  throw new Error('no error');
};

describe('settings file', () => {
  it('replaces top-level keys of the saved settings and keeps the rest', () => {
    const s = mergeSettings(
      { invoiceStatus: 'AUTHORISED', dueDays: 14, paymentAccountCodes: { cod: '090' } },
      { dueDays: 30, paymentAccountCodes: { cheque: '091' } },
    );
    expect(s.invoiceStatus).toBe('AUTHORISED');
    expect(s.dueDays).toBe(30);
    expect(s.paymentAccountCodes).toEqual({ cheque: '091' });
    expect(mergeSettings(null, {}).invoiceStatus).toBe('DRAFT');
  });

  it('gives field-level errors, and refuses unknown keys instead of ignoring a typo', () => {
    expect(problems(() => mergeSettings(null, { invoiceStatus: 'PAID', dueDays: -1 }))).toEqual([
      expect.stringMatching(/^invoiceStatus: /),
      expect.stringMatching(/^dueDays: /),
    ]);
    expect(problems(() => mergeSettings(null, { invoiceStatuss: 'DRAFT' }))).toEqual([
      expect.stringMatching(/^invoiceStatuss: unknown setting/),
    ]);
    expect(problems(() => mergeSettings(null, { stores: { '1': { salesAcount: '200' } }, paymentAccountCodes: { cod: '090' } }))).toEqual([
      'stores.1.salesAcount: unknown setting',
    ]);
    expect(problems(() => mergeSettings(null, ['x']))).toEqual([expect.stringMatching(/JSON object/)]);
    expect(problems(() => mergeSettings(null, { removeStatuses: ['Complete'] }))).toEqual([
      expect.stringMatching(/removeStatuses: "Complete" is both an export and a remove status/),
    ]);
  });

  it('reads a file, and says when it is missing or not JSON', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ocx-settings-'));
    const good = path.join(dir, 'good.json');
    writeFileSync(good, '{"invoiceStatus":"AUTHORISED"}');
    expect((await loadSettingsFile(good, null)).invoiceStatus).toBe('AUTHORISED');
    const broken = path.join(dir, 'broken.json');
    writeFileSync(broken, '{"invoiceStatus":');
    await expect(loadSettingsFile(broken, null)).rejects.toThrow(/broken\.json: is not valid JSON/);
    await expect(loadSettingsFile(path.join(dir, 'none.json'), null)).rejects.toThrow(
      /none\.json: file not found/,
    );
  });
});
