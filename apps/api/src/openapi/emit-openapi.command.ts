import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { DataSource } from 'typeorm';
import { AppModule } from '../app.module';
import { loadConfig } from '../config/app-config';
import type { PortBindings } from '../composition/ports.module';
import { buildOpenApiDocument } from './openapi.document';

/**
 * `npm run openapi` (run by `build`): writes the OpenAPI document to dist/openapi.json without a
 * database or network. Nest's preview mode reads the modules, controllers and their decorators
 * but instantiates no provider, so the bindings below are never touched.
 */
async function main(): Promise<void> {
  const out = resolve(process.argv[2] ?? resolve(__dirname, '..', 'openapi.json'));
  const config = loadConfig({ OPENCART_DB_URL: 'mysql://preview@127.0.0.1:1/preview', ENCRYPTION_KEY: '0'.repeat(64), LOG_LEVEL: 'silent' });
  const never = new Proxy(
    {},
    {
      // Nest may probe values for lifecycle hooks; anything else means a provider really ran.
      get: (_t, prop) => {
        if (typeof prop !== 'string' || prop === 'then' || /^(on|before)[A-Z]/.test(prop)) return undefined;
        throw new Error(`preview mode touched a binding (${prop})`);
      },
    },
  );
  const bindings = { connectorStore: never, reader: never, writer: never, xeroConnector: never, syncEngine: never, settingsCodec: never, close: async () => undefined } as unknown as PortBindings;
  const app = await NestFactory.create(
    AppModule.register({ config, apiDb: never as DataSource, bindings }),
    { preview: true, logger: false, abortOnError: false },
  );
  const document = buildOpenApiDocument(app);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(document, null, 2)}\n`);
  process.stdout.write(`OpenAPI document: ${out} (${Object.keys(document.paths).length} paths)\n`);
  await app.close();
}

main().catch((e: unknown) => {
  process.stderr.write(`openapi: ${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});
