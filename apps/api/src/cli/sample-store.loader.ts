/**
 * The sample-store builder, loaded when the demo or the benchmark needs it. apps/api does not list
 * @oc-xero/sample-store among its dependencies (it is a development tool, not part of the
 * service), so it is required at run time — the workspace links it and `npm run demo` builds it —
 * and typed here with just what the CLI uses.
 */
export interface SampleStoreOrderFacts {
  orderId: number;
  orderStatusId: number;
  total: string;
  currencyCode: string;
  currencyValue: string;
  paymentCode: string;
}

export interface SampleStoreBuilder {
  buildSampleStore(options: {
    serverUrl: string;
    database: string;
    version: '3' | '4';
    prefix?: string;
    orders?: number;
    seed?: number;
    force?: boolean;
  }): Promise<{
    database: string;
    prefix: string;
    version: '3' | '4';
    orders: SampleStoreOrderFacts[];
    durationMs: number;
  }>;
}

export function loadSampleStoreBuilder(): SampleStoreBuilder {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require('@oc-xero/sample-store') as SampleStoreBuilder;
  } catch (e) {
    throw new Error(
      `the sample-store builder is not available (${(e as Error).message.split('\n')[0]}): run \`npm run build\` at the repository root first (\`npm run demo\` does it)`,
    );
  }
}
