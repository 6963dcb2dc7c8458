#!/usr/bin/env node
import { Command, InvalidArgumentError } from 'commander';
import { buildSampleStore } from './sample-store.builder';

const wholeNumber = (name: string) => (value: string): number => {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError(`${name} must be a whole number`);
  return Number(value);
};

const program = new Command()
  .name('oc-sample-store')
  .description('Build an OpenCart 3.x or 4.x database filled with a generated, deterministic sample store. The database is DROPPED and re-created.')
  .option('--version <3|4>', 'OpenCart schema to build', '4')
  .option('--db-url <url>', 'MySQL/MariaDB server, mysql://user[:password]@host[:port]', process.env.SAMPLE_STORE_DB_URL ?? 'mysql://root@127.0.0.1:3306')
  .requiredOption('--database <name>', 'database to (re)create')
  .option('--prefix <prefix>', 'table prefix (DB_PREFIX)', 'oc_')
  .option('--orders <n>', 'number of orders', wholeNumber('--orders'), 300)
  .option('--seed <n>', 'PRNG seed', wholeNumber('--seed'), 1)
  .option('--force', 'replace the database even if it was not built by this tool', false)
  .helpOption('-h, --help');

async function main(): Promise<void> {
  program.parse();
  const opts = program.opts<{ version: string; dbUrl: string; database: string; prefix: string; orders: number; seed: number; force: boolean }>();
  if (opts.version !== '3' && opts.version !== '4') throw new Error(`--version must be 3 or 4, got ${opts.version}`);
  const result = await buildSampleStore({
    serverUrl: opts.dbUrl,
    database: opts.database,
    version: opts.version,
    prefix: opts.prefix,
    orders: opts.orders,
    seed: opts.seed,
    force: opts.force,
  });
  const rows = Object.values(result.rowCounts).reduce((a, b) => a + b, 0);
  console.log(
    `Built OpenCart ${result.version}.x sample store in database ${result.database} (prefix ${result.prefix}): ` +
      `${result.orders.length} orders, ${rows} rows, ${result.durationMs} ms`,
  );
}

main().catch((error: unknown) => {
  console.error(`oc-sample-store: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
