/**
 * Keys the settings schema does not have, at any depth (a store override, a tax rate mapping…).
 * zod drops unknown keys silently, so a misspelt key would leave its setting at the default
 * without a word; the API and the CLI refuse them with this list instead. Maps keyed by the
 * store's own ids (payment methods, tax rates, total codes, stores) take any key; their values are
 * checked against the value's schema.
 */
import type { z } from 'zod';
import { settingsSchema, type FieldError } from './settings.schema';

interface Def {
  type: string;
  innerType?: z.ZodType;
  valueType?: z.ZodType;
  element?: z.ZodType;
  shape?: Record<string, z.ZodType>;
  in?: z.ZodType;
}

const defOf = (t: z.ZodType): Def => (t as unknown as { _zod: { def: Def } })._zod.def;

/** The schema under defaults, optionals and pipes. */
function unwrap(t: z.ZodType): z.ZodType {
  let cur = t;
  for (let i = 0; i < 20; i++) {
    const d = defOf(cur);
    if ((d.type === 'default' || d.type === 'optional' || d.type === 'nullable' || d.type === 'prefault' || d.type === 'readonly') && d.innerType) cur = d.innerType;
    else if (d.type === 'pipe' && d.in) cur = d.in;
    else break;
  }
  return cur;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function walk(value: unknown, type: z.ZodType, path: string, out: FieldError[]): void {
  const t = unwrap(type);
  const d = defOf(t);
  if (d.type === 'object' && isPlainObject(value)) {
    const shape = (t as unknown as { shape: Record<string, z.ZodType> }).shape;
    for (const [k, v] of Object.entries(value)) {
      const p = path ? `${path}.${k}` : k;
      if (!(k in shape)) out.push({ path: p, message: `Unknown setting "${k}": check its spelling.` });
      else walk(v, shape[k]!, p, out);
    }
  } else if (d.type === 'record' && isPlainObject(value) && d.valueType) {
    for (const [k, v] of Object.entries(value)) walk(v, d.valueType, path ? `${path}.${k}` : k, out);
  } else if (d.type === 'array' && Array.isArray(value) && d.element) {
    value.forEach((v, i) => walk(v, d.element!, `${path}.${i}`, out));
  }
}

/** Every key of `input` (a whole or partial settings document) the schema does not know, with its dotted path. */
export function unknownSettingKeys(input: unknown, schema: z.ZodType = settingsSchema): FieldError[] {
  const out: FieldError[] = [];
  walk(input, schema, '', out);
  return out;
}
