import { readFileSync } from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';
import OpenAPIBackend, { ValidationContext } from 'openapi-backend';
import type { Document } from 'openapi-backend';

// Validates what the sandbox receives and answers against Xero's official OpenAPI documents with
// openapi-backend. `quick: true` because the published spec is not strictly valid OpenAPI 3.0
// (about 166 schema errors, mostly `$ref` with sibling keys): a validator that checks the document
// first refuses to load it, while openapi-backend in quick mode skips that check and still
// validates requests and responses (DESIGN.md §3).

export interface ValidationIssue {
  direction: 'request' | 'response';
  errors: unknown;
}

type Backend = InstanceType<typeof OpenAPIBackend>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const documentCache = new Map<string, Document>();
const validators = new Map<string, Promise<SpecValidator>>();

function loadDocument(file: string): Document {
  let doc = documentCache.get(file);
  if (!doc) {
    doc = yaml.load(readFileSync(file, 'utf8')) as Document;
    documentCache.set(file, doc);
  }
  // Each backend gets its own copy: openapi-backend dereferences the document in place.
  return structuredClone(doc);
}

/**
 * This copy of the spec is 16.1.0; xero-node 20 was generated from 19.0.0, which added the
 * `allowBackorders` query parameter to the invoice and credit note writes. We allow that one known
 * parameter explicitly here rather than letting unknown parameters through in general.
 */
function addKnownNewerParameters(doc: Document): void {
  const allowBackorders = {
    in: 'query',
    name: 'allowBackorders',
    required: false,
    schema: { type: 'boolean', default: false },
  };
  for (const [p, methods] of [
    ['/Invoices', ['put', 'post']],
    ['/Invoices/{InvoiceID}', ['post']],
    ['/CreditNotes', ['put', 'post']],
  ] as const) {
    for (const m of methods) {
      const op = (doc.paths?.[p] as Record<string, { parameters?: unknown[] }> | undefined)?.[m];
      if (op) op.parameters = [...(op.parameters ?? []), allowBackorders];
    }
  }
}

function build(doc: Document): Backend {
  return new OpenAPIBackend({
    definition: doc,
    quick: true,
    validate: true,
    // allErrors: report every problem of a message, not just the first.
    ajvOpts: { logger: false, strict: false, allErrors: true },
    customizeAjv: (ajv) => {
      ajv.addFormat('uuid', UUID);
      // Xero's own date-times (e.g. /connections "2019-12-07T18:46:19.5165400") carry no zone.
      ajv.addFormat('date-time', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})?$/);
      ajv.addFormat('date', /^\d{4}-\d{2}-\d{2}$/);
      for (const f of ['double', 'int32', 'int64', 'byte', 'binary']) ajv.addFormat(f, true);
      return ajv;
    },
  });
}

export class SpecValidator {
  private accounting!: Backend;
  private identity!: Backend;

  private constructor(private readonly dir: string) {}

  /**
   * One validator per spec directory and process: the validators are stateless, and compiling the
   * accounting schemas costs seconds, which every sandbox of a test run would otherwise pay again.
   */
  static create(dir: string): Promise<SpecValidator> {
    const key = path.resolve(dir);
    let v = validators.get(key);
    if (!v) {
      v = SpecValidator.load(key);
      validators.set(key, v);
      v.catch(() => validators.delete(key));
    }
    return v;
  }

  private static async load(dir: string): Promise<SpecValidator> {
    const v = new SpecValidator(dir);
    const accountingDoc = loadDocument(path.join(dir, 'xero_accounting.yaml'));
    addKnownNewerParameters(accountingDoc);
    v.accounting = build(accountingDoc);
    v.identity = build(loadDocument(path.join(dir, 'xero-identity.yaml')));
    await Promise.all([v.accounting.init(), v.identity.init()]);
    return v;
  }

  /** Which spec covers a sandbox path, and the path as that spec writes it. */
  private locate(urlPath: string): { backend: Backend; path: string } | undefined {
    const accountingPrefix = '/api.xro/2.0';
    if (urlPath.toLowerCase().startsWith(accountingPrefix.toLowerCase()))
      return { backend: this.accounting, path: urlPath.slice(accountingPrefix.length) || '/' };
    // The identity spec spells it /Connections; Xero serves it at /connections.
    if (/^\/connections(\/|$)/i.test(urlPath))
      return { backend: this.identity, path: urlPath.replace(/^\/connections/i, '/Connections') };
    return undefined;
  }

  /** Returns the operation id the request matched (for response validation) and any problems. */
  validateRequest(req: {
    method: string;
    path: string;
    query: Record<string, unknown>;
    headers: Record<string, unknown>;
    body: unknown;
  }): {
    operationId?: string;
    errors?: unknown;
  } {
    const target = this.locate(req.path);
    if (!target) return {};
    const request = {
      method: req.method.toLowerCase(),
      path: target.path,
      query: req.query as never,
      headers: req.headers as never,
      body: req.body,
    };
    const operation = target.backend.matchOperation(request);
    if (!operation)
      return { errors: [{ message: `No operation in the spec for ${req.method} ${target.path}` }] };
    const result = target.backend.validateRequest(request, operation);
    return { operationId: operation.operationId, errors: result.valid ? undefined : result.errors };
  }

  /**
   * The identity spec describes the token endpoint's answer only as a schema (AccessToken), not as
   * a path: check /connect/token answers against that schema.
   */
  validateTokenResponse(body: unknown): unknown | undefined {
    if (!this.accessTokenCheck) {
      const schemas =
        (this.identity.definition as { components?: { schemas?: Record<string, object> } }).components
          ?.schemas ?? {};
      this.accessTokenCheck = this.identity.validator
        .getAjv(ValidationContext.Response)
        .compile(schemas.AccessToken ?? {});
    }
    return this.accessTokenCheck(body) ? undefined : this.accessTokenCheck.errors;
  }

  private accessTokenCheck?: ((body: unknown) => boolean) & { errors?: unknown };

  validateResponse(urlPath: string, operationId: string, status: number, body: unknown): unknown | undefined {
    const target = this.locate(urlPath);
    if (!target) return undefined;
    const result = target.backend.validateResponse(body, operationId, status);
    return result.valid ? undefined : result.errors;
  }

  get directory(): string {
    return this.dir;
  }
}
