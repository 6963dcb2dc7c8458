import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import AdmZip from 'adm-zip';

const root = join(__dirname, '..', '..');

describe('PHP sources', () => {
  it('every PHP file passes php -l (PHP 8.2)', () => {
    const r = spawnSync('node', [join(root, 'scripts', 'php-lint.mjs')], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/php -l: \d+ files, 0 with errors/);
    expect(Number(/php -l: (\d+) files/.exec(r.stdout)?.[1])).toBeGreaterThanOrEqual(10);
    expect(r.status).toBe(0);
  });

  it('PHPUnit: the shared API client and view patcher', () => {
    const r = spawnSync('phpunit', ['--colors=never', join(root, 'test', 'php')], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(r.stdout + r.stderr);
    expect(r.stdout).toMatch(/OK \(\d+ tests, \d+ assertions\)/);
  });
});

describe('build', () => {
  it('produces both installable zips with the shared client in each', () => {
    execFileSync('node', [join(root, 'scripts', 'build.mjs')], { cwd: root });
    const oc4 = new AdmZip(join(root, 'dist', 'oc_xero_connector.ocmod.zip'))
      .getEntries()
      .map((e) => e.entryName);
    expect(oc4).toEqual(
      expect.arrayContaining([
        'install.json',
        'admin/controller/module/xero_connector.php',
        'catalog/controller/module/xero_connector.php',
        'system/library/api_client.php',
        'system/library/view_patch.php',
      ]),
    );
    expect(oc4.every((n) => !n.startsWith('upload/'))).toBe(true);
    const oc3 = new AdmZip(join(root, 'dist', 'oc-xero-connector-3.ocmod.zip'))
      .getEntries()
      .map((e) => e.entryName);
    expect(oc3).toEqual(
      expect.arrayContaining([
        'install.xml',
        'upload/admin/controller/extension/module/xero_connector.php',
        'upload/catalog/controller/extension/module/xero_connector.php',
        'upload/system/library/oc_xero_connector/api_client.php',
      ]),
    );
    expect(oc3.filter((n) => !n.startsWith('upload/'))).toEqual(['install.xml']);
  });
});
