import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import AdmZip from 'adm-zip';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { pathToFileURL } from 'node:url';

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

  it('one source: the shared library, templates and languages land in each release at its own place', () => {
    // build.mjs is an ES module: ask a node of its own for the entries (name → content).
    const build = pathToFileURL(join(root, 'scripts', 'build.mjs')).href;
    const packaged = (release: string, from?: string): Map<string, string> => {
      const args = [release, ...(from ? [from] : [])].map((a) => JSON.stringify(a)).join(', ');
      const out = execFileSync(
        'node',
        [
          '--input-type=module',
          '-e',
          `import { entries } from ${JSON.stringify(build)}; console.log(JSON.stringify(entries(${args}).getEntries().map((e) => [e.entryName, e.getData().toString('utf8')])));`,
        ],
        { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
      );
      return new Map(JSON.parse(out) as Array<[string, string]>);
    };
    const names = (release: string, from?: string) => [...packaged(release, from).keys()];
    const oc4 = names('oc4');
    const oc3 = names('oc3');
    for (const lib of ['admin_bridge.php', 'order_nudge.php', 'api_client.php', 'view_patch.php']) {
      expect(oc4).toContain(`system/library/${lib}`);
      expect(oc3).toContain(`upload/system/library/oc_xero_connector/${lib}`);
    }
    for (const t of ['xero_connector_panel.twig', 'xero_connector_product.twig']) {
      expect(oc4).toContain(`admin/view/template/module/${t}`);
      expect(oc3).toContain(`upload/admin/view/template/extension/module/${t}`);
    }
    // The same language file, byte for byte, in both.
    const text = (release: string, name: string) => packaged(release).get(name);
    expect(text('oc4', 'admin/language/en-gb/module/xero_connector.php')).toContain("$_['heading_title']");
    expect(text('oc4', 'admin/language/en-gb/module/xero_connector.php')).toBe(
      text('oc3', 'upload/admin/language/en-gb/extension/module/xero_connector.php'),
    );
    // Another language is one file in src/common/language.
    const copy = mkdtempSync(join(tmpdir(), 'ocx-ext-src-'));
    try {
      cpSync(join(root, 'src'), copy, { recursive: true });
      writeFileSync(
        join(copy, 'common', 'language', 'de-de.php'),
        "<?php\n$_['heading_title'] = 'Xero-Connector';\n",
      );
      expect(names('oc4', copy)).toContain('admin/language/de-de/module/xero_connector.php');
      expect(names('oc3', copy)).toContain('upload/admin/language/de-de/extension/module/xero_connector.php');
      writeFileSync(join(copy, 'common', 'language', 'German.php'), '<?php\n');
      expect(() => packaged('oc4', copy)).toThrow(/name it by OpenCart's language code/);
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });
});
