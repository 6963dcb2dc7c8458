import { applyDecorators } from '@nestjs/common';
import { ApiBody, ApiQuery } from '@nestjs/swagger';
import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { z } from 'zod';

/** The OpenAPI schema of a request, straight from the zod schema that validates it (one truth). */
const jsonSchema = (schema: z.ZodType): SchemaObject =>
  z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any', target: 'openapi-3.0' }) as SchemaObject;

export const ApiZodBody = (schema: z.ZodType) => ApiBody({ schema: jsonSchema(schema) });

/** One documented query parameter per property of a z.object. */
export function ApiZodQuery(schema: z.ZodObject) {
  const js = jsonSchema(schema) as SchemaObject & { properties?: Record<string, SchemaObject>; required?: string[] };
  return applyDecorators(
    ...Object.entries(js.properties ?? {}).map(([name, prop]) => ApiQuery({ name, required: js.required?.includes(name) ?? false, schema: prop })),
  );
}
