import { ArgumentsHost, Catch, ExceptionFilter, NotFoundException } from '@nestjs/common';
import type { Request, Response } from 'express';

/**
 * Nest's own 404 says "Cannot GET <url>" with the query string, which would echo a cron token
 * (or any secret) sent to a mistyped path back into the page and the client's logs: answer the
 * path only. 404s thrown by handlers keep their message.
 */
@Catch(NotFoundException)
export class NotFoundFilter implements ExceptionFilter {
  catch(error: NotFoundException, host: ArgumentsHost): void {
    const req = host.switchToHttp().getRequest<Request>();
    const res = host.switchToHttp().getResponse<Response>();
    const body = error.getResponse();
    const message = typeof body === 'object' && body !== null ? (body as { message?: unknown }).message : body;
    if (typeof message === 'string' && message.startsWith(`Cannot ${req.method} `)) {
      res.status(404).json({ statusCode: 404, message: `Cannot ${req.method} ${req.path}`, error: 'Not Found' });
      return;
    }
    res.status(404).json(typeof body === 'object' ? body : { statusCode: 404, message });
  }
}
