/**
 * `oc-xero-demo` as a process, the way `npm run demo` runs it, as on a fresh clone (no ../shared:
 * no spec, no dumps) and, when the dumps are there, on the real OpenCart 4 database. Scratch
 * databases replace the demo's own so the merchant's demo is left alone.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { dropDatabases, fixturesDir, requireDumps, runDemo, scratchName, type DemoResult } from './demo.process';

jest.setTimeout(240_000);

const demo = (env: NodeJS.ProcessEnv): Promise<DemoResult> => runDemo(['--port', '0', '--orders', '120'], env);

const withDumps = requireDumps();

describe.each([
  { source: 'sample store (fresh clone, no ../shared)', dumps: false },
  ...(withDumps ? [{ source: 'real OpenCart 4 dump', dumps: true }] : []),
])('oc-xero-demo on the $source', ({ dumps }) => {
  const store = scratchName('demo');
  const connector = scratchName('democ');
  afterAll(() => dropDatabases([store, connector]));

  it('syncs, removes and refunds, prints the summary with the cent check, saves the sandbox state and exits with DEMO_EXIT=1', async () => {
    const stateDir = mkdtempSync(path.join(tmpdir(), 'ocx-demo-'));
    const { code, stdout, stderr } = await demo({
      DEMO_EXIT: '1',
      DEMO_STORE_DB: store,
      DEMO_CONNECTOR_DB: connector,
      DEMO_STATE_DIR: stateDir,
      OPENCART_FIXTURES_DIR: dumps ? fixturesDir() : '',
      XERO_OPENAPI_DIR: dumps ? (process.env.XERO_OPENAPI_DIR ?? '') : path.join(stateDir, 'no-spec-here'),
    });
    console.log(stdout);
    expect({ code, stderr: stderr.trim() }).toEqual({ code: 0, stderr: '' });
    expect(stdout).toMatch(dumps ? /Store: OpenCart 4 dump/ : /Store: sample OpenCart 4 store \(120 orders/);
    expect(stdout).toMatch(/Sync completed/);
    expect(stdout).toMatch(/orders: +\d+ seen, [1-9]\d* exported, .* 3 removed, [3-6] refunded/);
    const created = Number(/credit notes: (\d+) created/.exec(stdout)?.[1]);
    expect(stdout).toMatch(/Xero calls: +\d+ \(/);
    expect(stdout).toMatch(
      /cent check: +[1-9]\d* live invoices compared with OpenCart's totals; worst difference 0\.00/,
    );
    expect(stdout).toMatch(/failures: +0/);
    const stateFile = path.join(stateDir, 'sandbox-state.json');
    expect(existsSync(stateFile)).toBe(true);
    const state = JSON.parse(readFileSync(stateFile, 'utf8')) as {
      organisations: Array<{ Invoices: Array<{ Status: string }>; CreditNotes: unknown[]; Payments: Array<{ Status: string }> }>;
    };
    const org = state.organisations[0]!;
    // Three refunds credit notes; of the three removals the unpaid ones are voided, the paid ones
    // credited and paid back (DESIGN.md §5.7); no payment is ever deleted.
    const voided = org.Invoices.filter((i) => i.Status === 'VOIDED').length;
    expect(org.CreditNotes).toHaveLength(created);
    expect(voided + (created - 3)).toBe(3);
    expect(org.Payments.filter((p) => p.Status === 'DELETED')).toEqual([]);
  });
});
