import { CanActivate, ExecutionContext, ForbiddenException, HttpException, HttpStatus, Inject, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../ports/tokens';

/**
 * The password routes (setup, login) take JSON only and, from a browser, only from our own
 * origin: an HTML form on another site can post neither JSON nor a matching Origin, so it can
 * neither log a victim in as the attacker nor claim the first-run setup. Clients that are not
 * browsers send no Origin and are let through (the password or setup code is their check).
 */
@Injectable()
export class SameOriginJsonGuard implements CanActivate {
  private readonly allowed: string;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.allowed = new URL(config.publicBaseUrl).origin;
  }

  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<Request>();
    if (!req.is('application/json')) {
      throw new HttpException({ statusCode: 415, message: 'Send this as JSON (Content-Type: application/json).' }, HttpStatus.UNSUPPORTED_MEDIA_TYPE);
    }
    const origin = req.headers.origin;
    const site = req.headers['sec-fetch-site'];
    if (origin === undefined && (site === undefined || site === 'same-origin' || site === 'none')) return true;
    const own = `${req.protocol}://${req.headers.host ?? ''}`;
    if (origin !== undefined && origin !== 'null' && (origin === this.allowed || origin === own) && site !== 'cross-site') return true;
    throw new ForbiddenException(`Requests from ${origin ?? 'another site'} may not log in here: open the admin page at ${this.allowed}.`);
  }
}
