#!/usr/bin/env node
/**
 * `oc-xero-demo` (`npm run demo`): the main job on defaults — a sample store, a local Xero sandbox,
 * a full sync with its summary — and then the connector service with the admin page, connected to
 * the sandbox, left running to look at. A development tool: it uses the sandbox and the sample
 * store, which the service itself never does.
 */
import { Command, InvalidArgumentError } from 'commander';
import { EXIT_CANNOT_RUN, EXIT_COMPLETED, EXIT_RUN_FAILED, exitCodeOf } from '@oc-xero/api';
import { demoDefaults, runDemo } from './demo.command';
import { startDemoService } from './demo-service.command';

const fail = (message: string, code = EXIT_CANNOT_RUN): number => {
  process.stderr.write(`oc-xero-demo: ${message}\n`);
  return code;
};

const positiveInt =
  (name: string) =>
  (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`${name} must be a whole number`);
    return n;
  };

export function buildProgram(): Command {
  const program = new Command('oc-xero-demo').showHelpAfterError().exitOverride();
  program
    .description('Build a sample store, start a Xero sandbox and run a full sync (see README)')
    .option(
      '--port <n>',
      'sandbox port (0 = any free port)',
      positiveInt('--port'),
      Number(process.env.DEMO_SANDBOX_PORT ?? 4010),
    )
    .option('--orders <n>', 'orders in the sample store', positiveInt('--orders'), 300)
    .option('--exit', 'stop the sandbox after the summary (also DEMO_EXIT=1)')
    .option('--no-progress', 'no progress bar')
    .action(async (flags: { port: number; orders: number; exit?: boolean; progress: boolean }) => {
      const exit = Boolean(flags.exit) || process.env.DEMO_EXIT === '1';
      let result;
      try {
        result = await runDemo({
          ...demoDefaults(),
          port: flags.port,
          orders: flags.orders,
          exit,
          progress: flags.progress && Boolean(process.stderr.isTTY),
          out: (line) => process.stdout.write(`${line}\n`),
        });
      } catch (e) {
        process.exitCode = fail(`the demo could not run: ${e instanceof Error ? e.message : String(e)}`);
        return;
      }
      process.exitCode = exitCodeOf(result.summary);
      if (exit) {
        await result.sandbox.close();
        return;
      }
      let service: Awaited<ReturnType<typeof startDemoService>> | null = null;
      try {
        const d = demoDefaults();
        service = await startDemoService({
          serverUrl: d.serverUrl,
          connectorDatabase: d.connectorDatabase,
          storeDatabase: d.storeDatabase,
          sandboxUrl: result.sandbox.url,
          port: Number(process.env.DEMO_API_PORT ?? 3000),
        });
      } catch (e) {
        process.stderr.write(`The connector service could not start for the demo: ${e instanceof Error ? e.message : String(e)}\n`);
      }
      process.stdout.write(
        `\nThe sandbox keeps answering on ${result.sandbox.url} (state: GET ${result.sandbox.url}/__sandbox/state, invoices: GET ${result.sandbox.url}/api.xro/2.0/Invoices with a token).\n`,
      );
      if (service) {
        process.stdout.write(
          `\nThe connector service is running with the admin page, connected to the sandbox organisation:\n` +
            `  open      ${service.url}/\n` +
            `  log in    username ${service.username}, password ${service.password}\n`,
        );
      }
      process.stdout.write('Ctrl-C to stop.\n');
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      await service?.close();
      await result.sandbox.close();
    });
  return program;
}

export async function main(argv: string[] = process.argv): Promise<void> {
  try {
    await buildProgram().parseAsync(argv);
  } catch (e) {
    const code = (e as { exitCode?: number }).exitCode;
    if (typeof code === 'number') {
      process.exitCode = code === 0 ? EXIT_COMPLETED : EXIT_CANNOT_RUN;
      return;
    }
    process.exitCode = fail(`unexpected error: ${e instanceof Error ? e.message : String(e)}`, EXIT_RUN_FAILED);
  }
}

if (require.main === module) void main();
