// Prints how fast the sandbox answers a connector-shaped load: 500 orders as 10 batches of 50
// (PUT Contacts, PUT Invoices, PUT Payments), with and without spec validation.
// Run: npx tsx scripts/throughput.bench.ts   (XERO_OPENAPI_DIR or ../shared/xero-openapi for the spec)
import { existsSync } from 'node:fs';
import path from 'node:path';
import { startSandbox } from '../src';

const SPEC_DIR = process.env.XERO_OPENAPI_DIR ?? path.resolve(__dirname, '../../../../shared/xero-openapi');
const ORDERS = 500;
const BATCH = 50;

async function run(withSpec: boolean): Promise<void> {
  const t0 = performance.now();
  const sandbox = await startSandbox({
    rateLimits: false,
    spec: withSpec ? { dir: SPEC_DIR, mode: 'record' } : undefined,
  });
  const startMs = performance.now() - t0;
  const tokenRes = await fetch(`${sandbox.url}/connect/token`, {
    method: 'POST',
    headers: {
      Authorization: `Basic ${Buffer.from('sandbox-client-id:sandbox-client-secret').toString('base64')}`,
      'Content-Type': 'application/x-www-form-urlencoded',
    },
    body: 'grant_type=client_credentials',
  });
  const { access_token: token } = (await tokenRes.json()) as { access_token: string };
  const call = async (pathAndQuery: string, body: unknown) => {
    const res = await fetch(`${sandbox.url}/api.xro/2.0${pathAndQuery}`, {
      method: 'PUT',
      headers: {
        Authorization: `Bearer ${token}`,
        'xero-tenant-id': sandbox.tenants[0].tenantId,
        'Content-Type': 'application/json',
      },
      body: JSON.stringify(body),
    });
    if (res.status !== 200) throw new Error(`${pathAndQuery}: HTTP ${res.status}`);
    return (await res.json()) as Record<string, Array<Record<string, unknown>>>;
  };
  let calls = 0;
  const t1 = performance.now();
  for (let b = 0; b < ORDERS / BATCH; b++) {
    const ids = Array.from({ length: BATCH }, (_, i) => b * BATCH + i + 1);
    await call('/Contacts?summarizeErrors=false', {
      Contacts: ids.map((n) => ({
        Name: `Customer ${n}`,
        ContactNumber: `oc-${n}`,
        EmailAddress: `c${n}@example.com`,
      })),
    });
    const invoices = await call('/Invoices?summarizeErrors=false&unitdp=4', {
      Invoices: ids.map((n) => ({
        Type: 'ACCREC',
        Contact: { ContactNumber: `oc-${n}` },
        InvoiceNumber: `OC-${n}`,
        Date: '2026-11-23',
        Status: 'AUTHORISED',
        LineItems: [
          {
            Description: 'Apple Cinema 30"',
            Quantity: 1,
            UnitAmount: 12.3456,
            AccountCode: '200',
            TaxType: 'OUTPUT2',
          },
          { Description: 'Shipping', Quantity: 1, UnitAmount: 5, AccountCode: '425', TaxType: 'OUTPUT2' },
        ],
      })),
    });
    await call('/Payments?summarizeErrors=false', {
      Payments: invoices.Invoices.map((inv) => ({
        Invoice: { InvoiceID: inv.InvoiceID },
        Account: { Code: '880' },
        Amount: inv.Total,
        Date: '2026-11-23',
      })),
    });
    calls += 3;
  }
  const elapsedMs = performance.now() - t1;
  const violations = sandbox.violations().length;
  await sandbox.close();
  console.log(
    `${withSpec ? 'spec validation ON ' : 'spec validation OFF'}: start ${startMs.toFixed(0)} ms; ${ORDERS} orders in ${calls} calls: ${elapsedMs.toFixed(0)} ms (${(elapsedMs / calls).toFixed(1)} ms/call)${withSpec ? `; violations ${violations}` : ''}`,
  );
}

(async () => {
  await run(false);
  if (existsSync(path.join(SPEC_DIR, 'xero_accounting.yaml'))) await run(true);
  else console.log(`spec validation skipped: no spec at ${SPEC_DIR} (set XERO_OPENAPI_DIR)`);
})().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
