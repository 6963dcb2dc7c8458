import pino from 'pino';
import { Writable } from 'node:stream';
import { loggerOptions, redactUrl, REDACT_PATHS } from './logger.options';

/** A pino logger built with the service's own redaction, writing into an array. */
function capture() {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      lines.push(JSON.parse(chunk.toString()));
      cb();
    },
  });
  const opts = loggerOptions({ logLevel: 'info' }).pinoHttp as { redact: { paths: string[]; censor: string } };
  return { logger: pino({ redact: opts.redact }, stream), lines };
}

describe('log redaction', () => {
  it('blanks tokens, secrets, passwords and auth headers wherever the paths say', () => {
    const { logger, lines } = capture();
    logger.info({
      runId: 'run-1',
      req: { headers: { authorization: 'Bearer ocx_secret', cookie: 'ocx_session=abc', 'x-csrf-token': 'csrf' } },
      tokens: { accessToken: 'at', refreshToken: 'rt' },
      settings: { clientSecret: 'cs', cronToken: 'ct', clientId: 'visible' },
      password: 'pw',
    }, 'run line');
    const line = JSON.stringify(lines[0]);
    for (const secret of ['ocx_secret', 'ocx_session=abc', '"csrf"', '"at"', '"rt"', '"cs"', '"ct"', '"pw"']) expect(line).not.toContain(secret);
    expect(lines[0]).toMatchObject({ runId: 'run-1', msg: 'run line', settings: { clientId: 'visible', clientSecret: '[redacted]' } });
  });

  it('strips the cron token and OAuth code/state from logged URLs', () => {
    expect(redactUrl('/cron/sync?token=abc123&x=1')).toBe('/cron/sync?token=[redacted]&x=1');
    expect(redactUrl('/api/xero/callback?code=c0de&scope=a&state=s7')).toBe('/api/xero/callback?code=[redacted]&scope=a&state=[redacted]');
    expect(redactUrl('/api/orders?limit=5')).toBe('/api/orders?limit=5');
  });

  it('redacts the array forms of a secret parameter too', () => {
    expect(redactUrl('/cron/sync?token[]=abc123&x=1')).toBe('/cron/sync?token[]=[redacted]&x=1');
    expect(redactUrl('/cron/sync?x=1&token[0]=abc&token[1]=def')).toBe('/cron/sync?x=1&token[0]=[redacted]&token[1]=[redacted]');
    expect(redactUrl('/cron/sync?token%5B%5D=abc123')).toBe('/cron/sync?token%5B%5D=[redacted]');
    expect(redactUrl('/cron/sync?TOKEN=abc')).toBe('/cron/sync?TOKEN=[redacted]');
  });

  it('covers the names the brief lists', () => {
    for (const name of ['req.headers.authorization', 'req.headers.cookie', '*.accessToken', '*.refreshToken', '*.clientSecret', '*.password', '*.token']) {
      expect(REDACT_PATHS).toContain(name);
    }
  });
});
