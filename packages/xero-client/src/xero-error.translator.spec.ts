import { ApiError } from 'xero-node/dist/model/ApiError';
import { explainElementErrors, parseXeroNodeError, redactSecrets, retryAfterMsOf, toSyncError } from './xero-error.translator';

/** Exactly what xero-node's AccountingApi rejects with: a JSON string of ApiError.generateError(). */
function thrownByXeroNode(status: number, data: unknown, headers: Record<string, string> = {}): string {
  const axiosError = { message: `Request failed with status code ${status}`, response: { status, data, headers }, request: {} };
  return JSON.stringify(new ApiError(axiosError).generateError());
}

const ctx = { orgName: 'Demo Company (UK)', what: 'saving invoices' };

describe('parseXeroNodeError', () => {
  it('reads the JSON string xero-node throws', () => {
    const f = parseXeroNodeError(thrownByXeroNode(429, '', { 'Retry-After': '12', 'X-Rate-Limit-Problem': 'minute' }));
    expect(f.status).toBe(429);
    expect(retryAfterMsOf(f)).toBe(12_000);
  });

  it('reads a network failure (no answer) as status 0', () => {
    const f = parseXeroNodeError(JSON.stringify(new ApiError({ message: 'socket hang up' }).generateError()));
    expect(f.status).toBe(0);
    expect(f.body).toBe('socket hang up');
  });

  it('reads openid-client OAuth errors', () => {
    const opError = Object.assign(new Error('invalid_grant'), { error: 'invalid_grant', response: { statusCode: 400, headers: {}, body: { error: 'invalid_grant' } } });
    expect(parseXeroNodeError(opError).oauthError).toBe('invalid_grant');
    const notOAuth = Object.assign(new Error('x'), { error: 'expected 200 OK, got: 503 Service Unavailable', response: { statusCode: 503, headers: {}, body: '' } });
    const f = parseXeroNodeError(notOAuth);
    expect(f.oauthError).toBeUndefined();
    expect(f.status).toBe(503);
  });
});

describe('toSyncError', () => {
  it.each([
    [500, 'transient'],
    [503, 'transient'],
    [401, 'needs-reconnect'],
    [403, 'needs-reconnect'],
    [404, 'unexpected'],
  ])('HTTP %i → %s', (status, kind) => {
    expect(toSyncError(thrownByXeroNode(status, { Title: 'x', Detail: 'y' }), ctx).kind).toBe(kind);
  });

  it('429 day: transient with retryAfterMs and a message saying it is the daily limit', () => {
    const e = toSyncError(thrownByXeroNode(429, '', { 'retry-after': '3600', 'x-rate-limit-problem': 'day' }), ctx);
    expect(e.kind).toBe('transient');
    expect(e.details.retryAfterMs).toBe(3_600_000);
    expect(e.message).toMatch(/daily API limit for Demo Company \(UK\)/);
  });

  it('400 ValidationException: the validation messages, merchant-readable', () => {
    const body = { ErrorNumber: 10, Type: 'ValidationException', Message: 'A validation exception occurred', Elements: [{ ValidationErrors: [{ Message: 'Invoice # must be unique.' }] }] };
    const e = toSyncError(thrownByXeroNode(400, body), ctx);
    expect(e.kind).toBe('validation');
    expect(e.details.messages).toEqual(['Invoice # must be unique.']);
  });

  it('invalid_grant means the merchant must reconnect', () => {
    const e = toSyncError(Object.assign(new Error('invalid_grant'), { error: 'invalid_grant' }), ctx);
    expect(e.kind).toBe('needs-reconnect');
    expect(e.message).toMatch(/reconnect Xero in Settings/);
  });

  it('never lets a token into the message', () => {
    const token = 'eyJhbGciOiJSUzI1NiIsImtpZCI6IjFDQUY4RTY2NzcyRDZEQzAyOEQ2NzI2RkQwMjYxNTgxNTcwRUZDMTkiLCJ0eXAiOiJKV1QifQ';
    const e = toSyncError(thrownByXeroNode(400, { Message: `bad token Bearer ${token} and ${token}` }), ctx);
    expect(e.message).not.toContain(token);
    expect(redactSecrets(`refresh_token=${token}`)).not.toContain(token);
  });
});

describe('explainElementErrors', () => {
  it('an unknown account code is a Settings problem with an actionable message', () => {
    const r = explainElementErrors(["Account code '999' is not a valid code for this document."], 'Demo Company (UK)');
    expect(r.kind).toBe('config');
    expect(r.errors[0]).toMatch(/^Xero refused account code 999: it does not exist or is archived in Demo Company \(UK\); pick another account code in Settings/);
  });

  it('an unknown tax type is a Settings problem too', () => {
    const r = explainElementErrors(["The TaxType code 'BOGUS' does not exist or cannot be used for this type of transaction."], 'Org');
    expect(r.kind).toBe('config');
    expect(r.errors[0]).toMatch(/tax type BOGUS/);
  });

  it('a payment account that cannot take payments, and a currency the organisation lacks, are Settings problems', () => {
    const pay = explainElementErrors(['Account 200 is not a bank account and does not have "Enable payments to this account" set, so it cannot take payments.'], 'Org');
    expect(pay.kind).toBe('config');
    expect(pay.errors[0]).toMatch(/^Xero cannot take payments into account 200 in Org: .*pick another payment account/);
    const currency = explainElementErrors(['The currency JPY has not been added to this organisation.'], 'Org');
    expect(currency.kind).toBe('config');
    expect(currency.errors[0]).toMatch(/^Xero refused currency JPY: it is not enabled in Org/);
  });

  it('anything else is the record’s own problem, Xero’s words kept', () => {
    const r = explainElementErrors(['Contact name must be unique.'], 'Org');
    expect(r).toEqual({ kind: 'validation', errors: ['Contact name must be unique.'] });
  });
});
