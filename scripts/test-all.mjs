#!/usr/bin/env node
// Runs every test of the monorepo (build, lint, typecheck, unit, then medium one package at a
// time) through turbo, passes the output through, and ends with one closing line summing all
// jest and Vitest runs: "tests: N passed, N failed, N skipped". Exit code: turbo's.
import { spawn } from 'node:child_process';

const steps = [
  ['run', 'build'],
  ['run', 'lint', 'typecheck', 'test'],
  ['run', 'test:medium', '--concurrency=1'],
];
const totals = { passed: 0, failed: 0, skipped: 0, failedSuites: 0 };
const count = (line) => {
  const tests = /Tests:\s+(.*?)\d+ total/.exec(line);
  if (tests) {
    for (const [, n, what] of tests[1].matchAll(/(\d+) (passed|failed|skipped|todo)/g)) {
      if (what === 'todo') totals.skipped += Number(n);
      else totals[what] += Number(n);
    }
  }
  // Vitest (apps/admin) prints " Tests  1 failed | 10 passed | 2 skipped (13)", with colours.
  const plain = line.replace(/\x1b\[[0-9;]*m/g, '');
  const vitest = /^\S*\s*Tests\s{2,}(.*?)\s*\(\d+\)\s*$/.exec(plain.replace(/^[^:|]*?:\s(?=\s*Tests)/, ''));
  if (!tests && vitest) {
    for (const [, n, what] of vitest[1].matchAll(/(\d+) (passed|failed|skipped|todo)/g)) {
      if (what === 'todo') totals.skipped += Number(n);
      else totals[what] += Number(n);
    }
  }
  const vitestFiles = /Test Files\s+(\d+) failed/.exec(plain);
  if (vitestFiles) totals.failedSuites += Number(vitestFiles[1]);
  const suites = /Test Suites:\s+(\d+) failed/.exec(line);
  if (suites) totals.failedSuites += Number(suites[1]);
};

const run = (args) =>
  new Promise((resolve) => {
    const child = spawn('npx', ['turbo', ...args, '--continue', '--output-logs=full', '--ui=stream'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    for (const stream of [child.stdout, child.stderr]) {
      const out = stream === child.stdout ? process.stdout : process.stderr;
      const emit = (line) => {
        count(line);
        out.write(line + '\n');
      };
      let rest = '';
      stream.on('data', (chunk) => {
        const lines = (rest + chunk.toString()).split('\n');
        rest = lines.pop() ?? '';
        lines.forEach(emit);
      });
      // The last line may come without a newline: it is counted AND shown, like every other.
      stream.on('end', () => rest && emit(rest));
    }
    child.on('close', (code) => resolve(code ?? 1));
  });

let code = 0;
for (const step of steps) {
  code = await run(step);
  if (code !== 0) break;
}
// A suite that failed to load has no test counts of its own: count it as a failure.
const failed = totals.failed + (totals.failed === 0 ? totals.failedSuites : 0);
console.log(`\ntests: ${totals.passed} passed, ${failed} failed, ${totals.skipped} skipped`);
process.exit(code !== 0 ? code : failed > 0 ? 1 : 0);
