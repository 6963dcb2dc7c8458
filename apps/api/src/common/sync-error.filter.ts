import { ArgumentsHost, Catch, ExceptionFilter, HttpStatus } from '@nestjs/common';
import { SyncError } from '@oc-xero/sync-core';
import type { Response } from 'express';

const STATUS: Record<SyncError['kind'], number> = {
  transient: HttpStatus.SERVICE_UNAVAILABLE,
  validation: HttpStatus.UNPROCESSABLE_ENTITY,
  'needs-reconnect': HttpStatus.CONFLICT,
  config: HttpStatus.CONFLICT,
  unexpected: HttpStatus.BAD_GATEWAY,
};

/** Sync errors carry merchant-readable messages by contract, so they may reach the admin as they are. */
@Catch(SyncError)
export class SyncErrorFilter implements ExceptionFilter {
  catch(error: SyncError, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    const status = STATUS[error.kind] ?? 500;
    if (error.kind === 'transient' && error.details.retryAfterMs) res.setHeader('Retry-After', Math.ceil(error.details.retryAfterMs / 1000));
    res.status(status).json({ statusCode: status, kind: error.kind, message: error.message, messages: error.details.messages ?? [] });
  }
}
