import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

const repoRoot = path.resolve(__dirname, '../../../..');
export const OPENCART_FIXTURES_DIR = process.env.OPENCART_FIXTURES_DIR ?? path.resolve(repoRoot, '../shared/opencart');
export const XERO_OPENAPI_DIR = process.env.XERO_OPENAPI_DIR ?? path.resolve(repoRoot, '../shared/xero-openapi');

/** True when the shared real data is there; otherwise says which variable to set (and fails in CI). */
export function fixturesAvailable(): boolean {
  const missing: string[] = [];
  if (!fs.existsSync(path.join(OPENCART_FIXTURES_DIR, 'opencart-3.sql'))) missing.push(`OPENCART_FIXTURES_DIR (no opencart-3.sql in ${OPENCART_FIXTURES_DIR})`);
  if (!fs.existsSync(path.join(XERO_OPENAPI_DIR, 'xero_accounting.yaml'))) missing.push(`XERO_OPENAPI_DIR (no xero_accounting.yaml in ${XERO_OPENAPI_DIR})`);
  if (missing.length === 0) return true;
  const message = `Real test data not found: set ${missing.join(' and ')}.`;
  if (process.env.CI) throw new Error(message);
  console.warn(`SKIPPED: ${message}`);
  return false;
}

/** A port nobody listens on right now (the API must know its public URL before it listens). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
