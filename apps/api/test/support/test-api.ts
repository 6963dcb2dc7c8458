import type { INestApplication } from '@nestjs/common';
import { openConnectorStore } from '@oc-xero/opencart-db';
import type { ConnectorStore, OpenCartReader, OpenCartWriter } from '@oc-xero/sync-core';
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { createApp } from '../../src/bootstrap';
import { syncCoreSettingsCodec } from '../../src/composition/sync-core-settings.codec';
import type { PortBindings } from '../../src/composition/ports.module';
import type { AppConfig } from '../../src/config/app-config';
import { FakeXeroConnector } from './fake-xero';
import { GatedEngine } from './gated-engine';
import { dbUrl, dropDatabases, scratchName } from './scratch-db';

export const WEBHOOK_KEY = 'test-webhook-key-0123456789';
export const ADMIN = { username: 'admin', password: 'correct horse battery staple' };
/** The first-run setup code every test API starts with (SETUP_CODE); a real start prints a random one. */
export const SETUP_CODE = 'TEST-SETUP-CODE-0001';

/** A reader/writer that must never be reached (routes refused before their handler, or no store needed). */
const unreachable = <T extends object>(what: string): T =>
  new Proxy({} as T, {
    get: (_t, prop) =>
      // Nest probes every provider value for lifecycle hooks; only port methods are refused.
      typeof prop !== 'string' || prop === 'then' || /^(on|before)[A-Z]/.test(prop)
        ? undefined
        : () => Promise.reject(new Error(`${what}.${prop} was not expected in this test`)),
  });

export interface TestApi {
  app: INestApplication;
  http: ReturnType<typeof request>;
  config: AppConfig;
  store: ConnectorStore;
  xero: FakeXeroConnector;
  engine: GatedEngine;
  database: string;
  close(): Promise<void>;
}

/** Boots the real Nest app on a fresh scratch connector database with the real ConnectorStore. */
export async function startTestApi(
  options: {
    reader?: OpenCartReader;
    writer?: OpenCartWriter;
    opencartUrl?: string;
    env?: Record<string, string>;
    /** Share another instance's connector database (a second API instance); it is then not dropped on close. */
    shareWith?: TestApi;
  } = {},
): Promise<TestApi> {
  const database = options.shareWith?.database ?? scratchName('app');
  const xero = new FakeXeroConnector();
  const engine = new GatedEngine();
  let store!: ConnectorStore;
  const created = createApp(
    {
      CONNECTOR_DB_URL: dbUrl(database),
      OPENCART_DB_URL: options.opencartUrl ?? dbUrl('ocx_t_api_unused'),
      ENCRYPTION_KEY: options.shareWith ? options.shareWith.config.encryptionKey.toString('hex') : randomBytes(32).toString('hex'),
      LOG_LEVEL: 'silent',
      SCHEDULER_ENABLED: 'false',
      XERO_WEBHOOK_KEY: WEBHOOK_KEY,
      XERO_CLIENT_ID: 'client-id',
      XERO_CLIENT_SECRET: 'client-secret',
      PUBLIC_BASE_URL: 'http://connector.test',
      SETUP_CODE,
      ...options.env,
    },
    {
      quiet: true,
      bindings: async (c): Promise<PortBindings> => {
        const opened = await openConnectorStore({ url: c.connectorDb.url, encryptionKey: c.encryptionKey });
        store = opened.store;
        engine.store = opened.store;
        xero.saveTokens = (t) => store.saveTokens(t);
        return {
          connectorStore: opened.store,
          reader: options.reader ?? unreachable<OpenCartReader>('reader'),
          writer: options.writer ?? unreachable<OpenCartWriter>('writer'),
          xeroConnector: xero,
          syncEngine: engine,
          settingsCodec: syncCoreSettingsCodec,
          close: () => opened.close(),
        };
      },
    },
  );
  // A failed boot must not leave its scratch database behind.
  const { app, config } = await created.catch(async (e: unknown) => {
    if (!options.shareWith) await dropDatabases([database]);
    throw e;
  });
  await app.init();
  return {
    app,
    http: request(app.getHttpServer()),
    config,
    store,
    xero,
    engine,
    database,
    close: async () => {
      engine.open();
      await app.close();
      if (!options.shareWith) await dropDatabases([database]);
    },
  };
}

export interface AdminSession {
  cookie: string[];
  csrf: string;
}

/** Setup (first run) + login; returns the cookies and the CSRF token to send on writes. */
export async function adminSession(api: TestApi): Promise<AdminSession> {
  await api.http.post('/api/auth/setup').send({ ...ADMIN, setupCode: SETUP_CODE }).expect((r) => {
    if (r.status !== 201 && r.status !== 409) throw new Error(`setup answered ${r.status}`);
  });
  const res = await api.http.post('/api/auth/login').send(ADMIN).expect(200);
  const cookie = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
  return { cookie, csrf: res.body.csrfToken as string };
}

/** An API key made through the API by the admin session. */
export async function apiKey(api: TestApi, session: AdminSession, name = 'OpenCart admin', scope: 'admin' | 'opencart-bridge' = 'admin'): Promise<string> {
  const res = await api.http.post('/api/auth/api-keys').set('Cookie', session.cookie).set('x-csrf-token', session.csrf).send({ name, scope }).expect(201);
  return res.body.key as string;
}

export type Agent = TestAgent;
