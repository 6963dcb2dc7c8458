#!/usr/bin/env node
/**
 * `npm run bench -- --orders 10000`: the connector's headline figures under Xero's limits. A script
 * that prints figures, not a timed test.
 *
 * 1. Copies a store into a scratch database (the real OpenCart 4 dump when OPENCART_FIXTURES_DIR or
 *    ../shared/opencart has it, else the sample store) and clones its orders up to --orders.
 * 2. Starts the sandbox as its own process with Xero's limits ON (60 calls/min, 5 concurrent), a
 *    latency on every API call, and its clock running --time-scale times faster than real time;
 *    the connector's rate limiter follows that clock, so a sandbox "minute" is the minute that counts.
 * 3. Syncs every order (customers, orders, payments) through the CLI's composition and prints: Xero
 *    calls per order, orders per minute under those limits, mapping throughput (no I/O), SQL
 *    queries per page, the CPU of the sync per process (this process = the connector; the
 *    sandbox child read from /proc/<pid>/stat) and peak memory (RSS sampled during the sync).
 *
 * Compare CPU per order between backlogs, not wall time: on a shared machine the wall clock (and so
 * orders/min, multiplied by --time-scale) follows the load. Node's default heap lets garbage pile up
 * to several hundred MB; `node --max-old-space-size=160 tools/devtools/bin/oc-xero-bench.js` shows the live set
 * (the sync's RSS stayed ~200 MB at 100,000 orders). Profile with `node --cpu-prof … --cpu-prof-dir D`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { loadOpenCartDump } from '@oc-xero/opencart-db';
import {
  loadMappingContext,
  mapOrderToContact,
  mapOrderToInvoice,
  parseSettings,
  statusIdsByNames,
  type OcOrder,
  type Settings,
} from '@oc-xero/sync-core';
import type { ClientClock } from '@oc-xero/xero-client';
import { createConnection } from 'mysql2/promise';
import { createCliLogger, loadConfig, openSyncContext, runSync } from '@oc-xero/api';
import { buildSampleStore, cloneOrdersUpTo } from '@oc-xero/sample-store';
import { repoRoot } from './demo.command';

interface BenchOptions {
  orders: number;
  timeScale: number;
  latencyMs: number;
  pageSize: number;
  keep: boolean;
  json: boolean;
  source: 'auto' | 'dump' | 'sample';
  /** Profile the sandbox too (`node --cpu-prof`); profile the bench by running it under `node --cpu-prof`. */
  cpuProfDir?: string;
}

const positive =
  (name: string) =>
  (v: string): number => {
    const n = Number(v);
    if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError(`${name} must be a positive number`);
    return n;
  };

const serverUrl = (
  process.env.BENCH_DB_URL ??
  process.env.TEST_MYSQL_URL ??
  'mysql://root@127.0.0.1:3306'
).replace(/\/+$/, '');
const dbUrl = (database: string): string => `${serverUrl}/${database}`;

function benchSettings(): Settings {
  const parsed = parseSettings({
    status: true,
    invoiceStatus: 'AUTHORISED',
    exportCustomers: true,
    exportItems: false,
    paymentAccountCodes: { cod: '090', bank_transfer: '090', cheque: '090' },
  });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.settings;
}

/** Starts `xero-sandbox` as a child process; resolves with its URL. */
async function startSandboxProcess(
  timeScale: number,
  cpuProfDir?: string,
): Promise<{ url: string; child: ChildProcess }> {
  const cli = path.join(repoRoot, 'packages/xero-sandbox/dist/cli.js');
  if (!existsSync(cli))
    throw new Error(`${cli} is missing: run \`npm run build\` first (\`npm run bench\` does it)`);
  const child = spawn(
    process.execPath,
    [
      ...(cpuProfDir
        ? ['--cpu-prof', '--cpu-prof-dir', cpuProfDir, '--cpu-prof-name', 'sandbox.cpuprofile']
        : []),
      cli,
      '--port',
      '0',
      '--seed',
      'uk',
      '--time-scale',
      String(timeScale),
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += String(d);
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.on('exit', (code) => reject(new Error(`the sandbox exited (${code}) before listening`)));
  });
  return { url, child };
}

async function control(url: string, route: string, method = 'GET', body?: unknown): Promise<unknown> {
  const res = await fetch(`${url}/__sandbox/${route}`, {
    method,
    headers: body ? { 'content-type': 'application/json' } : undefined,
    body: body ? JSON.stringify(body) : undefined,
  });
  if (!res.ok) throw new Error(`sandbox control ${method} ${route}: ${res.status}`);
  return res.status === 204 ? null : res.json();
}

/** The sandbox's clock, read once, then followed at its speed (for the client's rate limiter). */
async function followSandboxClock(
  url: string,
  timeScale: number,
): Promise<ClientClock & { sandboxMs(): number }> {
  const info = (await control(url, '')) as { now?: string; time?: string };
  const sandboxStart = Date.parse(String(info.now ?? info.time ?? new Date().toISOString()));
  const realStart = Date.now();
  const now = (): number => sandboxStart + (Date.now() - realStart) * timeScale;
  return {
    now,
    sandboxMs: now,
    sleep: (ms) => new Promise((r) => setTimeout(r, Math.max(0, ms / timeScale))),
  };
}

/** CPU seconds (user + system) a child process has used so far, from /proc (Linux). */
function childCpuSeconds(pid: number | undefined): number {
  if (!pid) return Number.NaN;
  try {
    // Fields after the parenthesised command name: state is 3rd, utime 14th, stime 15th (proc(5)).
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticksPerSecond = 100; // USER_HZ, 100 on every Linux we run on
    return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
  } catch {
    return Number.NaN;
  }
}

/** A child process's peak resident memory (VmHWM), in bytes. */
function childPeakRssBytes(pid: number | undefined): number {
  if (!pid) return Number.NaN;
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

const ownCpuSeconds = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

export async function runBench(o: BenchOptions): Promise<Record<string, unknown>> {
  const log = (line: string): void => {
    if (!o.json) process.stdout.write(`${line}\n`);
  };
  const tag = randomBytes(3).toString('hex');
  const storeDb = `ocx_t_acc_bench_${tag}`;
  const connectorDb = `ocx_t_acc_benchc_${tag}`;
  const fixtures = process.env.OPENCART_FIXTURES_DIR || path.resolve(repoRoot, '../shared/opencart');
  const dump = path.join(fixtures, 'opencart-4.sql');
  const useDump = o.source === 'dump' || (o.source === 'auto' && existsSync(dump));
  let peakHeap = 0;
  // The process's maxRSS covers the dump load and the cloning too; the sync's own peak is sampled.
  let sampling = false;
  let syncPeakRssSampled = 0;
  const sampler = setInterval(() => {
    const m = process.memoryUsage();
    peakHeap = Math.max(peakHeap, m.heapUsed);
    if (sampling) syncPeakRssSampled = Math.max(syncPeakRssSampled, m.rss);
  }, 50);
  const admin = await createConnection({ uri: serverUrl });
  let sandbox: { url: string; child: ChildProcess } | undefined;
  try {
    let source: string;
    if (useDump) {
      await loadOpenCartDump({ serverUrl, database: storeDb, file: dump });
      source = `OpenCart 4.1 dump (${dump})`;
    } else {
      await buildSampleStore({
        serverUrl,
        database: storeDb,
        version: '4',
        orders: 300,
        seed: 1,
      });
      source = 'sample OpenCart 4 store (300 orders)';
    }
    const store = await createConnection({ uri: dbUrl(storeDb) });
    const cloned = await cloneOrdersUpTo(store, storeDb, 'oc_', o.orders).finally(() => store.end());
    log(`Store: ${source}, ${cloned.before} orders cloned up to ${cloned.after} in ${storeDb}`);

    sandbox = await startSandboxProcess(o.timeScale, o.cpuProfDir);
    // Every API call takes latencyMs of Xero time (the sandbox sleeps in real time, so divide by the scale).
    await control(sandbox.url, 'faults', 'POST', {
      kind: 'latency',
      latencyMs: Math.max(1, Math.round(o.latencyMs / o.timeScale)),
      probability: 1,
      pathRegex: '^/api\\.xro/',
    });
    const clock = await followSandboxClock(sandbox.url, o.timeScale);
    log(
      `Sandbox ${sandbox.url}: limits on (60/min, 5 concurrent), ${o.latencyMs} ms per call, clock ×${o.timeScale}`,
    );

    let storeQueries = 0;
    const config = loadConfig({
      OPENCART_DB_URL: dbUrl(storeDb),
      CONNECTOR_DB_URL: dbUrl(connectorDb),
      XERO_SANDBOX_URL: sandbox.url,
      CONNECTOR_SCOPE: 'bench',
      LOG_LEVEL: 'error',
    });
    const ctx = await openSyncContext(config, {
      logger: createCliLogger('error'),
      xeroClock: clock,
      onStoreQuery: () => (storeQueries += 1),
    });
    try {
      const settings = benchSettings();
      // 1. The sync, timed on the sandbox's clock (Xero's minute) and on the wall.
      const pagesBefore = storeQueries;
      const sandboxStartMs = clock.sandboxMs();
      const wallStart = Date.now();
      const connectorCpuStart = ownCpuSeconds();
      const sandboxCpuStart = childCpuSeconds(sandbox.child.pid);
      peakHeap = 0;
      sampling = true;
      let pages = 0;
      const { summary } = await runSync(ctx, {
        customers: true,
        orders: true,
        settings,
        pageSize: o.pageSize,
        progress: !o.json && Boolean(process.stderr.isTTY),
        expectedOrders: o.orders,
      });
      const wallMs = Date.now() - wallStart;
      sampling = false;
      const connectorCpuSeconds = ownCpuSeconds() - connectorCpuStart;
      const sandboxCpuSeconds = childCpuSeconds(sandbox.child.pid) - sandboxCpuStart;
      const sandboxPeakRss = childPeakRssBytes(sandbox.child.pid);
      const syncPeakHeap = peakHeap;
      const syncPeakRss = process.resourceUsage().maxRSS * 1024;
      const sandboxMinutes = (clock.sandboxMs() - sandboxStartMs) / 60_000;
      pages = Math.ceil(summary.orders.seen / o.pageSize);
      const syncQueries = storeQueries - pagesBefore;

      // 2. SQL per page: page through the orders as a run does, counting statements per page.
      const statuses = await ctx.openCart.reader.listOrderStatuses();
      const statusIds = statusIdsByNames(
        [...settings.exportStatuses, ...settings.removeStatuses, ...settings.refundStatuses],
        statuses,
      );
      // 3. Mapping alone (no I/O), page by page so the bench holds one page at a time like a run:
      //    every order in an export status, invoice + contact, three rounds.
      const { context } = await loadMappingContext({ reader: ctx.openCart.reader, xero: ctx.xero }, settings);
      const exportIds = new Set(statusIdsByNames(settings.exportStatuses, statuses));
      const perPage: number[] = [];
      let toMapCount = 0;
      let mapped = 0;
      let mapNs = 0n;
      let cursor;
      for (;;) {
        const before = storeQueries;
        const page = await ctx.openCart.reader.listChangedOrders({
          statusIds,
          after: cursor,
          limit: o.pageSize,
        });
        perPage.push(storeQueries - before);
        const toMap: OcOrder[] = page.items.filter((x) => exportIds.has(x.orderStatusId));
        toMapCount += toMap.length;
        const mapStart = process.hrtime.bigint();
        for (let round = 0; round < 3; round++) {
          for (const order of toMap) {
            try {
              mapOrderToInvoice(order, context);
              mapOrderToContact(order, settings);
            } catch {
              // a failing order costs its mapping time too; counted the same
            }
            mapped += 1;
          }
        }
        mapNs += process.hrtime.bigint() - mapStart;
        if (!page.next || !page.items.length) break;
        const last = page.items[page.items.length - 1]!;
        cursor = { dateModified: last.dateModified, orderId: last.orderId };
      }
      const mapSeconds = Number(mapNs) / 1e9;

      const exported = summary.orders.exported;
      const figures = {
        source,
        orders: cloned.after,
        ordersSeen: summary.orders.seen,
        ordersExported: exported,
        status: summary.status,
        failures: summary.failures.length,
        created: summary.created,
        xeroCalls: summary.xero.calls,
        xeroCallsByEndpoint: summary.xero.callsByEndpoint,
        callsPerOrder: summary.orders.seen ? summary.xero.calls / summary.orders.seen : 0,
        callsPerExportedOrder: exported ? summary.xero.calls / exported : 0,
        sandboxMinutes,
        ordersPerMinuteUnderLimits: sandboxMinutes > 0 ? summary.orders.seen / sandboxMinutes : 0,
        ordersPerMinuteIfOnlyTheLimitBound: summary.xero.calls
          ? (60 * summary.orders.seen) / summary.xero.calls
          : 0,
        wallSeconds: wallMs / 1000,
        // CPU of the sync alone (not the store copy, not the mapping pass), per process.
        cpu: {
          connectorSeconds: connectorCpuSeconds,
          sandboxSeconds: sandboxCpuSeconds,
          connectorMsPerOrder: summary.orders.seen ? (1000 * connectorCpuSeconds) / summary.orders.seen : 0,
          sandboxMsPerOrder: summary.orders.seen ? (1000 * sandboxCpuSeconds) / summary.orders.seen : 0,
        },
        loadAverage: os.loadavg(),
        mappingOrdersPerSecond: mapped / mapSeconds,
        sqlQueriesPerPage: {
          pageSize: o.pageSize,
          pages: perPage.length,
          avg: perPage.reduce((a, b) => a + b, 0) / perPage.length,
          max: Math.max(...perPage),
          min: Math.min(...perPage),
        },
        storeQueriesDuringSync: { total: syncQueries, pages, perPage: pages ? syncQueries / pages : 0 },
        peakRssBytes: process.resourceUsage().maxRSS * 1024,
        peakHeapBytes: peakHeap,
        syncPeakRssBytes: syncPeakRss,
        syncPeakRssSampledBytes: syncPeakRssSampled,
        sandboxPeakRssBytes: sandboxPeakRss,
        syncPeakHeapBytes: syncPeakHeap,
        timeScale: o.timeScale,
        latencyMs: o.latencyMs,
      };
      log('');
      log(
        `Synced ${figures.ordersSeen} orders (${exported} exported, ${figures.failures} failures, status ${figures.status}) — ${JSON.stringify(summary.created)}`,
      );
      log(
        `  Xero calls:              ${figures.xeroCalls} = ${figures.callsPerOrder.toFixed(4)} per order (${figures.callsPerExportedOrder.toFixed(4)} per exported order)  ${JSON.stringify(figures.xeroCallsByEndpoint)}`,
      );
      log(
        `  orders/min under limits: ${figures.ordersPerMinuteUnderLimits.toFixed(0)} (Xero clock: ${sandboxMinutes.toFixed(2)} min; the 60 calls/min limit alone would allow ${figures.ordersPerMinuteIfOnlyTheLimitBound.toFixed(0)}); wall ${figures.wallSeconds.toFixed(1)} s at clock ×${o.timeScale}`,
      );
      log(
        `  mapping (no I/O):        ${figures.mappingOrdersPerSecond.toFixed(0)} orders/s (invoice + contact, ${toMapCount} orders × 3)`,
      );
      log(
        `  SQL per page of ${o.pageSize}:     ${figures.sqlQueriesPerPage.avg.toFixed(2)} avg, ${figures.sqlQueriesPerPage.min}–${figures.sqlQueriesPerPage.max} (${perPage.length} pages); whole sync ${syncQueries} store queries over ${pages} order pages + customers`,
      );
      log(
        `  CPU of the sync:         connector ${connectorCpuSeconds.toFixed(1)} s (${figures.cpu.connectorMsPerOrder.toFixed(2)} ms/order), sandbox ${sandboxCpuSeconds.toFixed(1)} s (${figures.cpu.sandboxMsPerOrder.toFixed(2)} ms/order); load ${os
          .loadavg()
          .map((x) => x.toFixed(2))
          .join(' ')}`,
      );
      log(
        `  peak memory:             during the sync RSS ${mb(syncPeakRssSampled)} (process max so far ${mb(syncPeakRss)}), heap ${mb(syncPeakHeap)}; sandbox RSS ${mb(sandboxPeakRss)}; whole bench RSS ${mb(figures.peakRssBytes)}, heap ${mb(peakHeap)}`,
      );
      if (o.json) process.stdout.write(`${JSON.stringify(figures)}\n`);
      return figures;
    } finally {
      await ctx.close();
    }
  } finally {
    clearInterval(sampler);
    if (sandbox?.child.exitCode === null) {
      // Wait for its exit, so a --cpu-prof profile is written before the bench ends.
      const exited = new Promise((r) => sandbox!.child.once('exit', r));
      sandbox.child.kill('SIGTERM');
      await exited;
    }
    if (!o.keep) {
      await admin.query(`DROP DATABASE IF EXISTS \`${storeDb}\``);
      await admin.query(`DROP DATABASE IF EXISTS \`${connectorDb}\``);
    } else log(`Kept ${storeDb} and ${connectorDb}.`);
    await admin.end();
  }
}

/** `oc-xero-bench` (`npm run bench -- …`). */
export function main(): void {
  const program = new Command('bench')
    .description("The connector's figures under Xero's limits (see the header of tools/devtools/src/bench.ts)")
    .option('--orders <n>', 'orders in the cloned store', positive('--orders'), 2000)
    .option(
      '--time-scale <n>',
      'sandbox clock speed (Xero minutes pass this many times faster)',
      positive('--time-scale'),
      10,
    )
    .option('--latency-ms <n>', 'latency of every Xero call, in Xero time', positive('--latency-ms'), 300)
    .option('--page-size <n>', 'orders per page', positive('--page-size'), 100)
    .option('--source <s>', 'auto (dump when present), dump or sample', 'auto')
    .option('--keep', 'keep the scratch databases')
    .option('--json', 'print the figures as one JSON line')
    .option('--cpu-prof-dir <dir>', 'write a CPU profile of the sandbox process there (sandbox.cpuprofile)')
    .parse(process.argv);
  const o = program.opts<BenchOptions>();
  o.orders = Math.floor(o.orders);
  runBench({ ...o, keep: Boolean(o.keep), json: Boolean(o.json) }).catch((e: unknown) => {
    process.stderr.write(`bench: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  });
}

if (require.main === module) main();
