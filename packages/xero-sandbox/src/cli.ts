#!/usr/bin/env node
import { Command, InvalidArgumentError } from 'commander';
import { startSandbox } from './sandbox.server';

// `xero-sandbox --port 4010 --seed uk`: a local Xero for the demo and the benchmarks.

function positiveNumber(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('must be a positive number');
  return n;
}

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new InvalidArgumentError('must be a port number (0 = any free port)');
  return n;
}

async function main(): Promise<void> {
  const program = new Command()
    .name('xero-sandbox')
    .description(
      'A local Xero (identity + accounting subset) that behaves like Xero, for tests, the demo and benchmarks',
    )
    .option('--port <port>', 'port on 127.0.0.1 (0 = any free port)', port, 4010)
    .option('--seed <seed>', 'organisation listed first: uk or nz', 'uk')
    .option('--plan <plan>', 'Xero plan of the organisations: premium (multi-currency) or standard (base currency only)', 'premium')
    .option('--no-rate-limits', "turn off Xero's 60/min, 5000/day, 5 concurrent limits")
    .option('--time-scale <n>', 'run the sandbox clock n times faster than real time', positiveNumber, 1)
    .option(
      '--spec-dir <dir>',
      "validate traffic against Xero's OpenAPI spec in <dir> (violations under /__sandbox/violations)",
    )
    .option('--client-id <id>', 'OAuth client id the sandbox accepts', 'sandbox-client-id')
    .option('--client-secret <secret>', 'OAuth client secret the sandbox accepts', 'sandbox-client-secret')
    .parse(process.argv);
  const o = program.opts<{
    port: number;
    seed: string;
    plan: string;
    rateLimits: boolean;
    timeScale: number;
    specDir?: string;
    clientId: string;
    clientSecret: string;
  }>();
  if (o.seed !== 'uk' && o.seed !== 'nz') program.error('--seed must be uk or nz');
  if (o.plan !== 'standard' && o.plan !== 'premium') program.error('--plan must be standard or premium');
  const sandbox = await startSandbox({
    port: o.port,
    seed: o.seed as 'uk' | 'nz',
    plan: o.plan as 'standard' | 'premium',
    rateLimits: o.rateLimits,
    timeScale: o.timeScale,
    apps: [{ clientId: o.clientId, clientSecret: o.clientSecret }],
    spec: o.specDir ? { dir: o.specDir, mode: 'record' } : undefined,
  });
  const lines = [
    `Xero sandbox listening on ${sandbox.url}`,
    `  client id:     ${o.clientId}`,
    `  client secret: ${o.clientSecret}`,
    `  discovery:     ${sandbox.url}/.well-known/openid-configuration`,
    `  tenants:       ${sandbox.tenants.map((t) => `${t.name} (${t.tenantId})`).join(', ')}`,
    `  control API:   ${sandbox.url}/__sandbox/ (counters, state, faults, clock, reset, violations)`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  const stop = () => {
    void sandbox.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((e: unknown) => {
  process.stderr.write(`xero-sandbox: ${(e as Error).message}\n`);
  process.exit(1);
});
