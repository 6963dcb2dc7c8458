import { applyDecorators } from '@nestjs/common';
import { ApiBody, ApiProduces, ApiQuery, ApiResponse } from '@nestjs/swagger';
import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { z } from 'zod';

/** The OpenAPI schema of a request, straight from the zod schema that validates it (one truth). */
const jsonSchema = (schema: z.ZodType, io: 'input' | 'output' = 'input'): SchemaObject =>
  z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'openapi-3.0' }) as SchemaObject;

export const ApiZodBody = (schema: z.ZodType) => ApiBody({ schema: jsonSchema(schema) });

/** One documented query parameter per property of a z.object. */
export function ApiZodQuery(schema: z.ZodObject) {
  const js = jsonSchema(schema) as SchemaObject & { properties?: Record<string, SchemaObject>; required?: string[] };
  return applyDecorators(
    ...Object.entries(js.properties ?? {}).map(([name, prop]) => ApiQuery({ name, required: js.required?.includes(name) ?? false, schema: prop })),
  );
}

/** The field-error answer every validation failure of this API has (400). */
export const fieldErrorsView = z.object({
  statusCode: z.number().int(),
  message: z.string(),
  errors: z.array(z.object({ path: z.string().describe('dot path of the field, e.g. accounts.sales'), message: z.string() })).optional(),
});

/**
 * The success answer of a route, from a zod schema describing it (no schema = no body, e.g. 204).
 * Also documents the error answer, so generated clients type both.
 */
export function ApiZodResponse(status: number, schema?: z.ZodType, description = 'OK') {
  return applyDecorators(
    ApiResponse(schema ? { status, description, schema: jsonSchema(schema, 'output') } : { status, description }),
    ApiResponse({ status: 'default', description: 'Error: message, and field errors for validation failures', schema: jsonSchema(fieldErrorsView, 'output') }),
  );
}

/** A server-sent event stream: each event's `data` is JSON of the given shape. */
export function ApiZodEventStream(schema: z.ZodType, description: string) {
  return applyDecorators(
    ApiProduces('text/event-stream'),
    ApiResponse({ status: 200, description, content: { 'text/event-stream': { schema: jsonSchema(schema, 'output') } } }),
  );
}
