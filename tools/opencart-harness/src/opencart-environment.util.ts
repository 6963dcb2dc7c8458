import { execFile, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { OpenCartVersion } from './opencart-harness.types';

const run = promisify(execFile);

/** Raised when the machine lacks what a real OpenCart needs (PHP, the release archives); tests skip locally, fail in CI. */
export class OpenCartHarnessUnavailableError extends Error {
  override readonly name = 'OpenCartHarnessUnavailableError';
}

export const PHP_HINT =
  'PHP 8.2 CLI is needed: apt-get install -y php8.2-cli php8.2-mysql php8.2-gd php8.2-curl php8.2-zip php8.2-mbstring php8.2-xml';

/** Where the release archives are: $OPENCART_SRC_DIR, else the first `shared/opencart-src` beside an ancestor of this package. */
export function opencartSrcDir(): string | null {
  const fromEnv = process.env.OPENCART_SRC_DIR;
  if (fromEnv) return existsSync(fromEnv) ? fromEnv : null;
  let dir = __dirname;
  for (;;) {
    const candidate = path.join(dir, 'shared', 'opencart-src');
    if (existsSync(path.join(candidate, 'SOURCE.md'))) return candidate;
    const up = path.dirname(dir);
    if (up === dir) return null;
    dir = up;
  }
}

/** The archive of one release; throws OpenCartHarnessUnavailableError naming what is missing. */
export function releaseArchive(version: OpenCartVersion): string {
  const dir = opencartSrcDir();
  if (!dir) {
    throw new OpenCartHarnessUnavailableError(
      'The OpenCart releases are missing: ../shared/opencart-src (or $OPENCART_SRC_DIR) must hold opencart-<version>.tar.gz; see its SOURCE.md.',
    );
  }
  const file = path.join(dir, `opencart-${version}.tar.gz`);
  if (!existsSync(file))
    throw new OpenCartHarnessUnavailableError(`The OpenCart release archive ${file} is missing.`);
  return file;
}

let phpChecked: Promise<void> | null = null;

/** Checks once that `php` runs and has mysqli, gd, curl, zip, mbstring (what the installer checks). */
export function assertPhp(): Promise<void> {
  phpChecked ??= (async () => {
    let modules: string;
    try {
      modules = (await run('php', ['-m'])).stdout.toLowerCase();
    } catch {
      throw new OpenCartHarnessUnavailableError(`php is not on PATH. ${PHP_HINT}`);
    }
    const missing = ['mysqli', 'gd', 'curl', 'zip', 'mbstring'].filter(
      (m) => !modules.split('\n').includes(m),
    );
    if (missing.length)
      throw new OpenCartHarnessUnavailableError(`PHP lacks ${missing.join(', ')}. ${PHP_HINT}`);
  })();
  return phpChecked;
}

/** Whether the harness can run here: PHP and the archives. Tests use it to skip locally (never under CI=true). */
export async function openCartHarnessAvailable(): Promise<{ ok: true } | { ok: false; reason: string }> {
  try {
    await assertPhp();
    releaseArchive('4.1.0.3');
    return { ok: true };
  } catch (e) {
    if (e instanceof OpenCartHarnessUnavailableError) return { ok: false, reason: e.message };
    throw e;
  }
}

/** Root of the per-machine cache of installed releases: $OPENCART_HARNESS_CACHE_DIR or <os tmp>/oc-xero-opencart-harness. */
export function cacheRoot(): string {
  return process.env.OPENCART_HARNESS_CACHE_DIR ?? path.join(os.tmpdir(), 'oc-xero-opencart-harness');
}

/** The MariaDB the harness uses (root, no password, like CI): host and port from $OPENCART_HARNESS_MYSQL ("host:port"). */
export function mysqlServer(): { host: string; port: number } {
  const [host, port] = (process.env.OPENCART_HARNESS_MYSQL ?? '127.0.0.1:3306').split(':');
  return { host, port: Number(port ?? 3306) };
}

/**
 * The same check, synchronous, for jest's describe-time skip: null when the harness can run,
 * else why not. Under CI=true callers must not skip (the reason becomes a failure instead).
 */
export function openCartHarnessUnavailableReason(): string | null {
  if (!opencartSrcDir())
    return 'the OpenCart releases are missing (../shared/opencart-src or $OPENCART_SRC_DIR)';
  try {
    const modules = execFileSync('php', ['-m'], { encoding: 'utf8' }).toLowerCase().split('\n');
    if (!modules.includes('mysqli')) return `PHP lacks mysqli. ${PHP_HINT}`;
  } catch {
    return `php is not on PATH. ${PHP_HINT}`;
  }
  return null;
}
