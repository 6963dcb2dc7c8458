import { CanActivate, ExecutionContext, ForbiddenException, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { AUTH_RULE_KEY, type AuthRule } from './auth-rule.decorator';
import { AdminPrincipal, AuthService } from './auth.service';

export const SESSION_COOKIE = 'ocx_session';
export const CSRF_COOKIE = 'ocx_csrf';
export const CSRF_HEADER = 'x-csrf-token';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export type AuthedRequest = Request & { principal?: AdminPrincipal };

/**
 * The one gate of every route. Routes without an explicit rule are admin-only, so a new route
 * is closed by default. Rules other than admin/session are checked by their handler (token,
 * signature, state), because they need the raw request.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const rule =
      this.reflector.getAllAndOverride<AuthRule | undefined>(AUTH_RULE_KEY, [context.getHandler(), context.getClass()]) ?? 'admin';
    if (rule !== 'admin' && rule !== 'session') return true;
    const req = context.switchToHttp().getRequest<AuthedRequest>();
    req.principal = await this.authenticate(req, rule);
    return true;
  }

  /** Also used by the docs middleware. */
  async authenticate(req: Request, rule: 'admin' | 'session'): Promise<AdminPrincipal> {
    const header = req.headers.authorization;
    if (header) {
      const m = /^Bearer\s+(\S+)$/i.exec(header);
      if (!m || rule === 'session') throw new UnauthorizedException(rule === 'session' ? 'This needs an admin session, not an API key.' : 'Malformed Authorization header.');
      const principal = await this.auth.apiKeyPrincipal(m[1]);
      if (!principal) throw new UnauthorizedException('Unknown or revoked API key.');
      return principal;
    }
    const token = (req.cookies as Record<string, string> | undefined)?.[SESSION_COOKIE];
    if (!token) throw new UnauthorizedException('Log in, or send an API key as Authorization: Bearer <key>.');
    const principal = await this.auth.sessionPrincipal(token);
    if (!principal) throw new UnauthorizedException('Your session has expired: log in again.');
    if (!SAFE_METHODS.has(req.method)) {
      const given = req.headers[CSRF_HEADER];
      const cookie = (req.cookies as Record<string, string> | undefined)?.[CSRF_COOKIE];
      // Double submit: the header must match the cookie AND the token bound to the session.
      if (typeof given !== 'string' || !this.auth.csrfMatches(principal.csrfToken, given) || !this.auth.csrfMatches(cookie, given)) {
        throw new ForbiddenException(`Missing or wrong ${CSRF_HEADER} header.`);
      }
    }
    return principal;
  }
}
