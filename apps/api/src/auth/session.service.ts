import { ConflictException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import type { Request, Response } from 'express';
import { APP_CONFIG } from '../ports/tokens';
import type { AppConfig } from '../config/app-config';
import { AuthService, type ApiKeyScope } from './auth.service';
import { LoginThrottleService } from './login-throttle.service';
import { AuthedRequest, CSRF_COOKIE, SESSION_COOKIE } from './auth.guard';

/** The HTTP side of sign-in: cookies, setup, logout. */
@Injectable()
export class SessionService {
  constructor(
    private readonly auth: AuthService,
    private readonly throttle: LoginThrottleService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Whether the first-run setup is open (no admin yet); the SPA shows setup or login from it. */
  async setupStatus() {
    const open = !(await this.auth.adminExists());
    return { open, needsSetupCode: open, hint: open ? 'Enter the setup code the service printed in its log when it started.' : 'An admin exists: log in.' };
  }

  async setup(body: { username: string; password: string; setupCode: string }) {
    if (await this.auth.adminExists()) throw new ConflictException('Setup is already done: an admin exists. Log in instead.');
    await this.auth.setup(body.username, body.password, body.setupCode);
    return { created: true, username: body.username };
  }

  async login(body: { username: string; password: string }, req: Request, res: Response) {
    const client = req.ip ?? req.socket.remoteAddress ?? 'unknown';
    await this.throttle.assertAllowed(body.username, client);
    let opened: Awaited<ReturnType<AuthService['login']>>;
    try {
      opened = await this.auth.login(body.username, body.password);
    } catch (e) {
      await this.throttle.recordFailure(body.username, client);
      throw e;
    }
    await this.throttle.clear(body.username, client);
    const { sessionToken, csrfToken, expiresAt } = opened;
    const secure = this.config.publicBaseUrl.startsWith('https://');
    res.cookie(SESSION_COOKIE, sessionToken, { httpOnly: true, sameSite: 'lax', secure, expires: expiresAt, path: '/' });
    // Readable by the SPA, which echoes it in x-csrf-token on every write.
    res.cookie(CSRF_COOKIE, csrfToken, { httpOnly: false, sameSite: 'lax', secure, expires: expiresAt, path: '/' });
    return { username: body.username, csrfToken, expiresAt: expiresAt.toISOString() };
  }

  async logout(req: Request, res: Response) {
    const token = (req.cookies as Record<string, string> | undefined)?.[SESSION_COOKIE];
    if (token) await this.auth.logout(token);
    res.clearCookie(SESSION_COOKIE, { path: '/' });
    res.clearCookie(CSRF_COOKIE, { path: '/' });
  }

  me(req: AuthedRequest) {
    const p = req.principal!;
    return { kind: p.kind, name: p.name, scope: p.scope };
  }

  createKey(body: { name: string; scope: ApiKeyScope }) {
    return this.auth.createApiKey(body.name, body.scope);
  }

  async revokeKey(id: string) {
    if (!(await this.auth.revokeApiKey(id))) throw new NotFoundException('No active API key has that id.');
  }
}
