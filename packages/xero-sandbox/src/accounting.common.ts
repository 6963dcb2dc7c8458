import { randomUUID } from 'node:crypto';
import { Json } from './organisation.seed';
import { OrganisationStore } from './organisation.store';
import { matchesWhere, parseWhere, WhereParseError } from './where-expression.parser';
import { msDateNoOffset, parseXeroDate } from './xero-date.util';

/** One element of a batch failed Xero's validation; the other elements go on. */
export class ElementValidationError extends Error {
  constructor(readonly messages: string[]) {
    super(messages.join('; '));
  }
}

export interface ApiContext {
  org: OrganisationStore;
  now: Date;
  query: Record<string, string>;
  body: unknown;
  providerName: string;
  ifModifiedSince?: Date;
  /** Batch element indexes an injected 'validation' fault fails. */
  failIndexes: Set<number>;
}

export interface ApiResult {
  status: number;
  body?: unknown;
  /** Plain-text body (Xero's 404 is text, not JSON). */
  text?: string;
}

export function envelope(ctx: ApiContext, key: string, items: unknown[], extra: Json = {}): Json {
  return {
    Id: randomUUID(),
    Status: 'OK',
    ProviderName: ctx.providerName,
    DateTimeUTC: msDateNoOffset(ctx.now),
    ...extra,
    [key]: items,
  };
}

export function notFound(): ApiResult {
  return { status: 404, text: "The resource you're looking for cannot be found" };
}

export function validationException(elements: Json[]): ApiResult {
  return {
    status: 400,
    body: {
      ErrorNumber: 10,
      Type: 'ValidationException',
      Message: 'A validation exception occurred',
      Elements: elements,
    },
  };
}

export function boolParam(value: string | undefined): boolean {
  return value !== undefined && value.toLowerCase() === 'true';
}

export function unitdpOf(ctx: ApiContext): number {
  return ctx.query.unitdp === '4' ? 4 : 2;
}

/** Length limits, in Xero's wording pattern. */
export function checkLength(errors: string[], label: string, value: unknown, max: number): void {
  if (typeof value === 'string' && value.length > max)
    errors.push(`${label} must not be more than ${max} characters long.`);
}

/** The elements of a PUT/POST body: `{ Key: [...] }`, or a single bare element as Xero also accepts. */
export function elementsOf(body: unknown, key: string): Json[] {
  if (body && typeof body === 'object' && !Array.isArray(body)) {
    const record = body as Json;
    const found = Object.keys(record).find((k) => k.toLowerCase() === key.toLowerCase());
    if (found && Array.isArray(record[found])) return record[found] as Json[];
    return [record];
  }
  return [];
}

type Outcome = { ok: true; entity: Json } | { ok: false; element: Json; errors: string[] };

/**
 * Runs a batch element by element (each sees the effects of the ones before it) and answers the way
 * Xero does: summarizeErrors=false → 200 with per-element StatusAttributeString; the default mode →
 * 400 ValidationException listing the failed elements although the valid ones WERE saved.
 */
export function runBatch(
  ctx: ApiContext,
  key: string,
  elements: Json[],
  handle: (element: Json, index: number) => Json,
): ApiResult {
  const outcomes: Outcome[] = elements.map((element, index) => {
    if (ctx.failIndexes.has(index))
      return { ok: false, element, errors: ['Sandbox fault: injected validation error for this element.'] };
    try {
      return { ok: true, entity: handle(element, index) };
    } catch (e) {
      if (e instanceof ElementValidationError) return { ok: false, element, errors: e.messages };
      throw e;
    }
  });
  const summarize =
    ctx.query.summarizeErrors === undefined || ctx.query.summarizeErrors.toLowerCase() !== 'false';
  if (!summarize) {
    const items = outcomes.map((o) =>
      o.ok
        ? { ...o.entity, StatusAttributeString: 'OK' }
        : {
            ...o.element,
            StatusAttributeString: 'ERROR',
            ValidationErrors: o.errors.map((Message) => ({ Message })),
          },
    );
    return { status: 200, body: envelope(ctx, key, items) };
  }
  const failed = outcomes.filter((o): o is Extract<Outcome, { ok: false }> => !o.ok);
  if (failed.length)
    return validationException(
      failed.map((o) => ({ ...o.element, ValidationErrors: o.errors.map((Message) => ({ Message })) })),
    );
  return {
    status: 200,
    body: envelope(
      ctx,
      key,
      outcomes.map((o) => (o as Extract<Outcome, { ok: true }>).entity),
    ),
  };
}

export interface ListOptions {
  idField: string;
  paged: boolean;
  defaultPageSize?: number;
  /** Extra comma-list filters: query parameter → field path. */
  listFilters?: Record<string, string>;
}

export class QueryError extends Error {}

function getPath(entity: Json, path: string): unknown {
  return path
    .split('.')
    .reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Json)[k] : undefined), entity);
}

/** IDs / InvoiceNumbers / ContactIDs / Statuses, where, If-Modified-Since, order and page/pageSize. */
export function listQuery(
  ctx: ApiContext,
  all: Json[],
  options: ListOptions,
): { items: Json[]; pagination?: Json } {
  let items = all;
  const filters: Record<string, string> = { IDs: options.idField, ...(options.listFilters ?? {}) };
  for (const [param, path] of Object.entries(filters)) {
    const raw = ctx.query[param];
    if (raw === undefined || raw === '') continue;
    const wanted = new Set(
      raw
        .split(',')
        .map((s) => s.trim().toLowerCase())
        .filter(Boolean),
    );
    items = items.filter((e) => wanted.has(String(getPath(e, path) ?? '').toLowerCase()));
  }
  if (ctx.ifModifiedSince) {
    const since = ctx.ifModifiedSince.getTime();
    items = items.filter((e) => (parseXeroDate(e.UpdatedDateUTC)?.getTime() ?? 0) > since);
  }
  if (ctx.query.where) {
    let node;
    try {
      node = parseWhere(ctx.query.where);
    } catch (e) {
      if (e instanceof WhereParseError) throw new QueryError(e.message);
      throw e;
    }
    items = items.filter((e) => matchesWhere(node, e));
  }
  if (ctx.query.order) {
    const [field, direction] = ctx.query.order.trim().split(/\s+/);
    const sign = direction && direction.toUpperCase() === 'DESC' ? -1 : 1;
    items = [...items].sort((a, b) => {
      const x = getPath(a, field) as string | number;
      const y = getPath(b, field) as string | number;
      return x === y ? 0 : (x ?? '') > (y ?? '') ? sign : -sign;
    });
  }
  if (!options.paged || ctx.query.page === undefined) return { items };
  const page = Math.max(1, Number.parseInt(ctx.query.page, 10) || 1);
  const pageSize = Math.min(
    1000,
    Math.max(1, Number.parseInt(ctx.query.pageSize ?? '', 10) || (options.defaultPageSize ?? 100)),
  );
  const itemCount = items.length;
  return {
    items: items.slice((page - 1) * pageSize, page * pageSize),
    pagination: { page, pageSize, pageCount: Math.ceil(itemCount / pageSize), itemCount },
  };
}

export function queryParseError(message: string): ApiResult {
  return { status: 400, body: { ErrorNumber: 16, Type: 'QueryParseException', Message: message } };
}

export function str(value: unknown): string | undefined {
  return typeof value === 'string'
    ? value
    : value === undefined || value === null
      ? undefined
      : String(value);
}
