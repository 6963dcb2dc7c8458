import 'reflect-metadata';
import { ConsoleLogger, Logger, type INestApplication, type LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import cookieParser from 'cookie-parser';
import type { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';
import { Logger as PinoLogger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { AuthGuard } from './auth/auth.guard';
import { openApiDatabase } from './auth/api-database';
import { CSRF_HEADER, SESSION_COOKIE } from './auth/auth.guard';
import { loadConfig, type AppConfig } from './config/app-config';
import type { PortBindings } from './composition/ports.module';

export const DOCS_PATH = 'api/docs';
export const DOCS_JSON_PATH = 'api/docs/openapi.json';

export interface CreateAppOptions {
  /** Builds the adapters (defaults to the real ones: composition/real-bindings.ts). */
  bindings?: (config: AppConfig) => Promise<PortBindings>;
  /** Keep Nest's own start-up lines out (tests). */
  quiet?: boolean;
}

export interface CreatedApp {
  app: INestApplication;
  config: AppConfig;
  document: OpenAPIObject;
}

/**
 * Everything start-up does, in an order that fails fast and says why: configuration (ConfigError),
 * the connector database and the API's migrations (StartupError), the adapters, then Nest.
 */
export async function createApp(env: NodeJS.ProcessEnv = process.env, options: CreateAppOptions = {}): Promise<CreatedApp> {
  const config = loadConfig(env);
  // Until pino takes over (app.useLogger below), start-up lines are JSON too and honour LOG_LEVEL.
  Logger.overrideLogger(startupLogger(config.logLevel));
  const apiDb = await openApiDatabase(config);
  let bindings: PortBindings;
  try {
    const make = options.bindings ?? (async (c: AppConfig) => (await import('./composition/real-bindings')).createRealBindings(c));
    bindings = await make(config);
  } catch (e) {
    await apiDb.destroy();
    throw e;
  }
  const app = await NestFactory.create(AppModule.register({ config, apiDb, bindings }), {
    rawBody: true,
    bufferLogs: true,
    logger: options.quiet ? false : undefined,
  });
  app.useLogger(app.get(PinoLogger));
  app.use(helmet({ contentSecurityPolicy: false }));
  app.use(cookieParser());
  app.enableShutdownHooks();
  const document = buildDocument(app);
  protectDocs(app);
  SwaggerModule.setup(DOCS_PATH, app, document, { jsonDocumentUrl: DOCS_JSON_PATH, raw: ['json'] });
  return { app, config, document };
}

const NEST_LEVELS: LogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];
const PINO_TO_NEST: Record<string, number> = { fatal: 1, error: 2, warn: 3, info: 4, debug: 5, trace: 6, silent: 0 };

function startupLogger(level: string): ConsoleLogger | false {
  const count = PINO_TO_NEST[level] ?? 4;
  return count === 0 ? false : new ConsoleLogger({ json: true, logLevels: NEST_LEVELS.slice(0, count) });
}

function buildDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('OpenCart → Xero connector API')
    .setDescription(
      'Admin API of the connector. Authenticate with the admin session cookie (plus the ' +
        `${CSRF_HEADER} header on writes) or an API key as "Authorization: Bearer <key>".`,
    )
    .setVersion('0.1.0')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'API key' }, 'apiKey')
    .addCookieAuth(SESSION_COOKIE, { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE }, 'session')
    .addSecurityRequirements('apiKey')
    .addSecurityRequirements('session')
    .build();
  return SwaggerModule.createDocument(app, config);
}

/** The docs describe every admin route: only admins may read them. */
function protectDocs(app: INestApplication): void {
  const guard = app.get(AuthGuard);
  app.use(`/${DOCS_PATH}`, (req: Request, res: Response, next: NextFunction) => {
    guard.authenticate(req, 'admin').then(
      () => next(),
      (e: { getStatus?: () => number; message?: string }) => res.status(e.getStatus?.() ?? 401).json({ statusCode: e.getStatus?.() ?? 401, message: e.message }),
    );
  });
}
