import { generateSampleStore, type GeneratedOrder } from './generator/sample-store.generator';
import type { OpenCartVersion } from './sample-store.types';
import { assertDatabaseName, assertPrefix, connectToServer, parseServerUrl, writeSampleStore } from './writer/sample-store.writer';

export interface BuildSampleStoreOptions {
  /** mysql://user[:password]@host[:port] of the server; the database part, if any, is ignored. */
  serverUrl: string;
  /** Database to (re)create: it is DROPPED first. */
  database: string;
  version: OpenCartVersion;
  /** Table prefix, like DB_PREFIX in OpenCart's config.php. */
  prefix?: string;
  /** Number of orders to generate. */
  orders?: number;
  /** PRNG seed: the same seed builds the same store. */
  seed?: number;
  /** Replace the database even when it holds tables this builder did not make. */
  force?: boolean;
}

export interface SampleStoreResult {
  database: string;
  prefix: string;
  version: OpenCartVersion;
  /** Every generated order as stored, for tests to compare a reader with. */
  orders: GeneratedOrder[];
  /** Rows inserted per table (base name). */
  rowCounts: Record<string, number>;
  /** Wall time of generation and writing. */
  durationMs: number;
}

/** (Re)creates `database` as an OpenCart 3.x or 4.x store filled with a generated, deterministic shop. */
export async function buildSampleStore(options: BuildSampleStoreOptions): Promise<SampleStoreResult> {
  const startedMs = Date.now();
  const prefix = options.prefix ?? 'oc_';
  const orders = options.orders ?? 300;
  const seed = options.seed ?? 1;
  if (options.version !== '3' && options.version !== '4') {
    throw new Error(`OpenCart version must be '3' or '4', got '${String(options.version)}'`);
  }
  if (!Number.isInteger(orders) || orders < 0 || orders > 100_000) throw new Error(`orders must be a whole number from 0 to 100000, got ${orders}`);
  if (!Number.isInteger(seed)) throw new Error(`seed must be a whole number, got ${seed}`);
  assertDatabaseName(options.database);
  assertPrefix(prefix);
  const address = parseServerUrl(options.serverUrl);

  const store = generateSampleStore({ version: options.version, orders, seed });
  const connection = await connectToServer(address);
  try {
    const rowCounts = await writeSampleStore(connection, { database: options.database, prefix, version: options.version, force: options.force }, store.tables);
    return { database: options.database, prefix, version: options.version, orders: store.orders, rowCounts, durationMs: Date.now() - startedMs };
  } finally {
    await connection.end();
  }
}
