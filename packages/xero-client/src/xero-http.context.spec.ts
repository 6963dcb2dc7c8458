import { rewriteXeroUrl } from './xero-http.context';

describe('rewriteXeroUrl', () => {
  const ctx = { identityUrl: 'http://127.0.0.1:4010', apiUrl: 'http://127.0.0.1:4011' };
  it('rewrites the hosts xero-node hard-codes and nothing else', () => {
    expect(rewriteXeroUrl('https://identity.xero.com/connect/token', ctx)).toBe('http://127.0.0.1:4010/connect/token');
    expect(rewriteXeroUrl('https://api.xero.com/connections/abc', ctx)).toBe('http://127.0.0.1:4011/connections/abc');
    expect(rewriteXeroUrl('https://example.com/x', ctx)).toBe('https://example.com/x');
  });
});
