import { BadRequestException, PipeTransform } from '@nestjs/common';
import type { z } from 'zod';
import type { FieldError } from '../ports/settings-codec.port';

/** Turns zod issues into the API's field-level error list. */
export const toFieldErrors = (issues: z.core.$ZodIssue[], prefix?: string): FieldError[] =>
  issues.map((i) => ({ path: [prefix, ...i.path.map(String)].filter((x) => x !== undefined && x !== '').join('.') || '(root)', message: i.message }));

/** 400 `{ errors: [{ path, message }] }`, the one shape of validation errors of this API. */
export const validationFailed = (errors: FieldError[]): BadRequestException =>
  new BadRequestException({ statusCode: 400, message: 'Some fields are not valid.', errors });

/** Validates a body or query with a zod schema; answers field by field. */
export class ZodPipe<T extends z.ZodType> implements PipeTransform<unknown, z.infer<T>> {
  /** name: the parameter's name, for scalar route parameters (the error path). */
  constructor(
    private readonly schema: T,
    private readonly name?: string,
  ) {}

  transform(value: unknown): z.infer<T> {
    const parsed = this.schema.safeParse(value ?? (this.name ? undefined : {}));
    if (!parsed.success) throw validationFailed(toFieldErrors(parsed.error.issues, this.name));
    return parsed.data;
  }
}
