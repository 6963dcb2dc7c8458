import { existsSync } from 'fs';
import path from 'path';

const repoRoot = path.resolve(__dirname, '../../../..');

/**
 * The real OpenCart dumps (../shared/opencart, or OPENCART_FIXTURES_DIR). Never copied into the repo.
 * Returns null (and says why) when they are absent, so the suite skips; under CI it throws instead.
 */
export function openCartFixturesDir(): string | null {
  const dir = process.env.OPENCART_FIXTURES_DIR ?? path.resolve(repoRoot, '../shared/opencart');
  if (existsSync(path.join(dir, 'opencart-3.sql'))) return dir;
  const message =
    `OpenCart fixtures not found in ${dir}: set OPENCART_FIXTURES_DIR to the folder holding ` +
    'opencart-3.sql, opencart-4.sql and orders-*.json.';
  if (process.env.CI) throw new Error(message);
  console.warn(`${message} Skipping the tests that need them.`);
  return null;
}
