import type { XeroExchange } from '../ports/xero.port';
import { FakeXeroPort } from '../testing/fake-xero.port';
import { ukOrganisation } from '../testing/sample-data.fixture';
import { harness, SCOPE, testSettings } from '../testing/use-case-harness';
import { SyncRunner } from './sync-runner.service';
import { exchangeLogLine, maskEmails, redactXeroExchange } from './xero-exchange.log';

const TOKEN = 'eyJhbGciOiJSUzI1NiIsImtpZCI6IjFDQUY4RTY2NzcyRDZEQzAyOEQ2NzI2RkQwMjYxNTgxNTcwRUZDMTkiLCJ0eXAiOiJKV1QifQ';
const exchange = (over: Partial<XeroExchange> = {}): XeroExchange => ({
  method: 'POST',
  url: 'https://api.xero.com/api.xro/2.0/Contacts',
  query: { summarizeErrors: 'false', where: 'EmailAddress=="jane.doe@example.com"' },
  requestHeaders: { authorization: `Bearer ${TOKEN}`, 'xero-tenant-id': 't-1', 'content-type': 'application/json' },
  requestBody: JSON.stringify({ Contacts: [{ Name: 'Jane Doe', EmailAddress: 'jane.doe@example.com', ContactNumber: 'C7' }], client_secret: 's3cr3t-value', refresh_token: 'rt-123' }),
  status: 200,
  responseHeaders: { 'x-minlimit-remaining': '59', 'set-cookie': 'session=abc' },
  responseBody: JSON.stringify({ Contacts: [{ ContactID: 'c-1', Name: 'Jane Doe', EmailAddress: 'jane.doe@example.com' }], access_token: TOKEN }),
  durationMs: 12,
  ...over,
});

describe('Debug: Xero exchanges in the run log, redacted', () => {
  it('drops Authorization and cookies, redacts tokens and the client secret, masks emails, keeps the rest', () => {
    const x = redactXeroExchange(exchange());
    const text = JSON.stringify(x);
    for (const secret of [TOKEN, 's3cr3t-value', 'rt-123', 'jane.doe@example.com', 'session=abc', 'Bearer ey']) expect(text).not.toContain(secret);
    expect(x.requestHeaders).toEqual({ 'xero-tenant-id': 't-1', 'content-type': 'application/json' });
    expect(x.responseHeaders).toEqual({ 'x-minlimit-remaining': '59' });
    expect(JSON.parse(x.requestBody!)).toEqual({
      Contacts: [{ Name: 'Jane Doe', EmailAddress: 'j***@e***.com', ContactNumber: 'C7' }],
      client_secret: '[redacted]',
      refresh_token: '[redacted]',
    });
    expect(x.query?.where).toBe('EmailAddress=="j***@e***.com"');
    // A form body (token endpoint) is redacted as text.
    expect(redactXeroExchange(exchange({ requestBody: 'grant_type=refresh_token&refresh_token=abc123&client_secret=xyz' })).requestBody).toBe(
      'grant_type=refresh_token&refresh_token=[redacted]&client_secret=[redacted]',
    );
    expect(maskEmails('to a.b@shop.co.uk')).toBe('to a***@s***.uk');
  });

  it('one debug line per exchange: method, path, status, time', () => {
    expect(exchangeLogLine(exchange())).toMatchObject({ level: 'debug', entityType: 'xero', status: 'xero-exchange', message: 'Xero POST /api.xro/2.0/Contacts → 200 in 12 ms' });
    expect(exchangeLogLine(exchange({ status: 0, errorCode: 'ECONNRESET' })).message).toContain('no answer (ECONNRESET)');
  });

  class ReportingFake extends FakeXeroPort {
    private readonly listeners = new Set<(x: XeroExchange) => void>();
    onExchange(listener: (x: XeroExchange) => void): () => void {
      this.listeners.add(listener);
      return () => this.listeners.delete(listener);
    }
    override async getOrganisation() {
      for (const l of this.listeners) l(exchange({ method: 'GET', url: 'https://api.xero.com/api.xro/2.0/Organisation' }));
      return super.getOrganisation();
    }
    get listening(): number {
      return this.listeners.size;
    }
  }

  it.each([true, false])('the runner logs exchanges only with Debug on (debug=%s), and stops listening after the run', async (debug) => {
    const h = harness(3);
    const xero = new ReportingFake({ ...ukOrganisation(), currencies: [{ Code: 'GBP' }, { Code: 'USD' }, { Code: 'EUR' }] });
    const summary = await new SyncRunner({ reader: h.oc, writer: h.oc, xero, store: h.store, logger: h.logger, clock: h.clock }).run({
      scope: SCOPE,
      kind: 'orders',
      trigger: 'cli',
      settings: testSettings({ debug }),
    });
    expect(summary.status).toBe('completed');
    const lines = (await h.store.listLog({ runId: summary.runId, limit: 1000 })).filter((l) => l.level === 'debug');
    if (debug) {
      expect(lines.length).toBeGreaterThan(0);
      expect(lines[0]!.message).toBe('Xero GET /api.xro/2.0/Organisation → 200 in 12 ms');
      expect(JSON.stringify(lines)).not.toContain(TOKEN);
      expect(JSON.stringify(lines)).not.toContain('jane.doe@example.com');
    } else expect(lines).toHaveLength(0);
    expect(xero.listening).toBe(0);
  });
});
