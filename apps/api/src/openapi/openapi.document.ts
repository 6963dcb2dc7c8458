import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { CSRF_HEADER, SESSION_COOKIE } from '../auth/auth.guard';

/** The API's OpenAPI document: served at /api/docs and written to dist/openapi.json at build (the SPA's types). */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('OpenCart → Xero connector API')
    .setDescription(
      'Admin API of the connector. Authenticate with the admin session cookie (plus the ' +
        `${CSRF_HEADER} header on writes) or an API key as "Authorization: Bearer <key>". ` +
        'Keys with the "opencart-bridge" scope reach only the routes tagged for the OpenCart extension; others answer 403 naming the scope.',
    )
    .setVersion('0.1.0')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'API key' }, 'apiKey')
    .addCookieAuth(SESSION_COOKIE, { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE }, 'session')
    .addSecurityRequirements('apiKey')
    .addSecurityRequirements('session')
    .build();
  return SwaggerModule.createDocument(app, config, { operationIdFactory: (controllerKey, methodKey) => `${controllerKey.replace(/Controller$/, '')}_${methodKey}` });
}
