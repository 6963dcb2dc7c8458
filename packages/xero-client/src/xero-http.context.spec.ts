import { rewriteXeroUrl } from './xero-http.context';

describe('rewriteXeroUrl', () => {
  const ctx = { identityUrl: 'http://127.0.0.1:4010', apiUrl: 'http://127.0.0.1:4011' };
  it('rewrites the hosts xero-node hard-codes and nothing else', () => {
    expect(rewriteXeroUrl('https://identity.xero.com/connect/token', ctx)).toBe('http://127.0.0.1:4010/connect/token');
    expect(rewriteXeroUrl('https://api.xero.com/connections/abc', ctx)).toBe('http://127.0.0.1:4011/connections/abc');
    expect(rewriteXeroUrl('https://example.com/x', ctx)).toBe('https://example.com/x');
  });
});

describe('withXeroHttp onExchange (the Debug setting)', () => {
  it('reports method, URL, query, bodies and status of a real HTTP exchange, never the Authorization header', async () => {
    const http = await import('node:http');
    const axios = (await import('axios')).default;
    const { withXeroHttp } = await import('./xero-http.context');
    const server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        res.setHeader('content-type', 'application/json');
        res.setHeader('x-minlimit-remaining', '59');
        res.end(JSON.stringify({ echoed: JSON.parse(body || '{}'), auth: req.headers.authorization ? 'seen' : 'none' }));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const port = (server.address() as { port: number }).port;
    const apiUrl = `http://127.0.0.1:${port}`;
    const seen: Array<import('@oc-xero/sync-core').XeroExchange> = [];
    try {
      await withXeroHttp({ identityUrl: apiUrl, apiUrl, timeoutMs: 5000, accessToken: 'secret-access-token', onExchange: (x) => seen.push(x) }, () =>
        axios.put(`https://api.xero.com/api.xro/2.0/Contacts?summarizeErrors=false`, { Contacts: [{ Name: 'Jane' }] }),
      );
    } finally {
      server.close();
    }
    expect(seen).toHaveLength(1);
    const x = seen[0]!;
    expect(x).toMatchObject({ method: 'PUT', url: `${apiUrl}/api.xro/2.0/Contacts`, query: { summarizeErrors: 'false' }, status: 200 });
    expect(JSON.parse(x.requestBody!)).toEqual({ Contacts: [{ Name: 'Jane' }] });
    expect(JSON.parse(x.responseBody!)).toEqual({ echoed: { Contacts: [{ Name: 'Jane' }] }, auth: 'seen' });
    expect(x.responseHeaders?.['x-minlimit-remaining']).toBe('59');
    expect(JSON.stringify(x)).not.toMatch(/authorization|secret-access-token/i);
    expect(x.durationMs).toBeGreaterThanOrEqual(0);
  });
});
