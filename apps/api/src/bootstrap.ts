import 'reflect-metadata';
import { ConsoleLogger, Logger, type INestApplication, type LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import type { NestExpressApplication } from '@nestjs/platform-express';
import cookieParser from 'cookie-parser';
import type { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';
import { Logger as PinoLogger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { adminSpaMiddleware, cspDirectives, resolveAdminDist } from './admin-spa/admin-spa.static';
import { AuthGuard } from './auth/auth.guard';
import { openApiDatabase } from './auth/api-database';
import { buildOpenApiDocument } from './openapi/openapi.document';
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
  const app = await NestFactory.create<NestExpressApplication>(AppModule.register({ config, apiDb, bindings }), {
    rawBody: true,
    bufferLogs: true,
    logger: options.quiet ? false : undefined,
  });
  app.useLogger(app.get(PinoLogger));
  if (config.trustProxy) app.set('trust proxy', /^\d+$/.test(config.trustProxy) ? Number(config.trustProxy) : config.trustProxy);
  app.use(helmet({ contentSecurityPolicy: { useDefaults: false, directives: cspDirectives(config.publicBaseUrl) } }));
  app.use(cookieParser());
  // Before Nest's router: the SPA owns every GET that is not the service's own path.
  app.use(...adminSpaMiddleware(resolveAdminDist(config.adminDistDir)));
  app.enableShutdownHooks();
  const document = buildOpenApiDocument(app);
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

/** The docs describe every admin route: only admins may read them. */
function protectDocs(app: INestApplication): void {
  const guard = app.get(AuthGuard);
  app.use(`/${DOCS_PATH}`, (req: Request, res: Response, next: NextFunction) => {
    guard.authenticate(req, 'admin').then(
      (principal) => {
        try {
          guard.assertScope(principal, req, []);
        } catch (e) {
          const err = e as { getStatus(): number; message: string };
          return void res.status(err.getStatus()).json({ statusCode: err.getStatus(), message: err.message });
        }
        next();
      },
      (e: { getStatus?: () => number; message?: string }) => res.status(e.getStatus?.() ?? 401).json({ statusCode: e.getStatus?.() ?? 401, message: e.message }),
    );
  });
}
