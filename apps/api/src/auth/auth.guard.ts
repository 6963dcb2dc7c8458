import { CanActivate, ExecutionContext, ForbiddenException, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { AUTH_RULE_KEY, KEY_SCOPES_KEY, type AuthRule } from './auth-rule.decorator';
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
    const principal = await this.authenticate(req, rule);
    const allowed = this.reflector.getAllAndOverride<string[] | undefined>(KEY_SCOPES_KEY, [context.getHandler(), context.getClass()]) ?? [];
    this.assertScope(principal, req, allowed);
    req.principal = principal;
    return true;
  }

  /** A key scoped narrower than admin reaches only the routes that name its scope. */
  assertScope(principal: AdminPrincipal, req: Request, allowed: string[]): void {
    if (principal.scope === 'admin' || allowed.includes(principal.scope)) return;
    throw new ForbiddenException({
      statusCode: 403,
      message: `This API key has the scope "${principal.scope}", which may not call ${req.method} ${req.path}. Use a key with the "admin" scope or an admin session.`,
      scope: principal.scope,
    });
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
