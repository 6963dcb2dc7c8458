#!/usr/bin/env node
/**
 * `oc-xero`: the connector's command line. `sync` runs one sync against the store and Xero
 * configured by the environment (see README). The demo and the benchmark are development tools
 * and live in tools/devtools.
 */
import { runRefusal } from '@oc-xero/sync-core';
import { Command } from 'commander';
import { StartupError } from '../common/startup-error';
import { ConfigError, loadConfig } from '../config/app-config';
import { openSyncContext } from './cli.composition';
import { loadSettingsFile, SettingsFileError } from './settings-file.loader';
import {
  checkDate,
  EXIT_CANNOT_RUN,
  EXIT_COMPLETED,
  EXIT_RUN_FAILED,
  exitCodeOf,
  runSync,
} from './sync.command';
import { formatSummaryText } from './sync-summary.formatter';

interface SyncFlags {
  orders?: boolean;
  customers?: boolean;
  items?: boolean;
  stock?: boolean;
  all?: boolean;
  from?: string;
  to?: string;
  dryRun?: boolean;
  confirmStock?: boolean;
  json?: boolean;
  settings?: string;
  progress: boolean;
}

const fail = (message: string, code = EXIT_CANNOT_RUN): number => {
  process.stderr.write(`oc-xero: ${message}\n`);
  return code;
};

export async function syncAction(flags: SyncFlags, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const dateProblems = [checkDate('--from', flags.from), checkDate('--to', flags.to)].filter(
    (p): p is string => p !== null,
  );
  if (flags.from && flags.to && !dateProblems.length && flags.from > flags.to)
    dateProblems.push(`--from ${flags.from} is after --to ${flags.to}`);
  if (dateProblems.length) return fail(dateProblems.join('\n'));
  let config;
  try {
    config = loadConfig(env, { defaultLogLevel: 'warn' });
  } catch (e) {
    if (e instanceof ConfigError)
      return fail(`the environment is not set up to run:\n${e.problems.map((p) => `  - ${p}`).join('\n')}`);
    throw e;
  }
  if (config.devEncryptionKey && !flags.json)
    process.stderr.write(
      'oc-xero: ENCRYPTION_KEY not set: using the public development key (allowed with XERO_SANDBOX_URL only).\n',
    );
  let ctx;
  try {
    ctx = await openSyncContext(config);
  } catch (e) {
    if (e instanceof StartupError) return fail(e.message);
    return fail(`cannot start: ${e instanceof Error ? e.message : String(e)}`);
  }
  try {
    let settings;
    if (flags.settings) {
      try {
        settings = await loadSettingsFile(flags.settings, await ctx.store.loadSettings(config.scope));
      } catch (e) {
        if (e instanceof SettingsFileError) return fail(`--settings ${e.message}`);
        throw e;
      }
    }
    // Status off stops the CLI too (exit 2, nothing started); a dry run, or --settings with status on, still runs.
    const refusal = runRefusal(settings ?? (await ctx.store.loadSettings(config.scope)) ?? {}, { dryRun: flags.dryRun });
    if (refusal) return fail(`${refusal.message} [${refusal.code}]`);
    const controller = new AbortController();
    // Ctrl-C ends the run between pages, with the ledger and checkpoint consistent.
    const onSignal = (): void => {
      process.stderr.write('oc-xero: stopping after the current page…\n');
      controller.abort();
    };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    const { summary } = await runSync(ctx, {
      ...flags,
      settings,
      progress: flags.progress && !flags.json && Boolean(process.stderr.isTTY),
      signal: controller.signal,
    });
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    if (flags.json) process.stdout.write(`${JSON.stringify(summary)}\n`);
    else process.stdout.write(`${formatSummaryText(summary)}\n`);
    if (summary.status === 'failed')
      process.stderr.write(`oc-xero: the run stopped: ${summary.error ?? 'unknown reason'}\n`);
    return exitCodeOf(summary);
  } finally {
    await ctx.close();
  }
}

export function buildProgram(): Command {
  const program = new Command('oc-xero')
    .description('OpenCart → Xero connector')
    .showHelpAfterError()
    .exitOverride();
  program
    .command('sync')
    .description(
      'Sync the store configured by OPENCART_DB_URL / OPENCART_DB_PREFIX with Xero (XERO_SANDBOX_URL for a local sandbox). No part flag = --all.',
    )
    .option('--orders', 'export orders as invoices with payments, removals and refunds')
    .option('--customers', 'export customers as contacts')
    .option('--items', 'export products as items')
    .option('--stock', "bring Xero's stock levels back into OpenCart")
    .option('--all', 'every part switched on in the settings (default)')
    .option('--from <date>', 'only orders added on or after this date (YYYY-MM-DD)')
    .option('--to <date>', 'only orders added on or before this date (YYYY-MM-DD)')
    .option('--dry-run', 'plan only: nothing is written to Xero, the ledger or the store')
    .option('--confirm-stock', 'apply a stock sync the zero guard stopped (it would set many products to zero)')
    .option('--json', 'print one JSON summary on stdout')
    .option('--settings <file>', 'JSON settings merged over the saved ones for this run')
    .option('--no-progress', 'no progress bar')
    .action(async (flags: SyncFlags) => {
      process.exitCode = await syncAction(flags);
    });
  return program;
}

export async function main(argv: string[] = process.argv): Promise<void> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
  } catch (e) {
    const code = (e as { exitCode?: number; code?: string }).exitCode;
    if (typeof code === 'number') {
      // commander already printed help or the usage error
      process.exitCode = code === 0 ? EXIT_COMPLETED : EXIT_CANNOT_RUN;
      return;
    }
    process.exitCode = fail(
      `unexpected error: ${e instanceof Error ? e.message : String(e)}`,
      EXIT_RUN_FAILED,
    );
  }
}

if (require.main === module) void main();
