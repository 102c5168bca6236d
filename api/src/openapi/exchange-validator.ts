/**
 * Checks whole HTTP exchanges (a request and its response) against an OpenAPI document, as a validating proxy
 * (Stoplight Prism) would: the operation is found by method and path template, then the path and query
 * parameters, the request headers and credentials, the request body, the response status, headers and body are
 * each checked against the document. It is built from the document the API serves at /openapi.json, and checks
 * with the same compiled schemas the API validates its input with (`DocumentValidators`), so what it refuses the
 * document really says. The scenario runner's HTTP target sends every step through it.
 */
import type { JsonObject } from './document.js';
import { documentRef, DocumentValidators, type ResponseProblem } from './validator.js';

/** One request and the response it got, as seen on the wire. */
export interface Exchange {
  readonly method: string;
  /** The path and query string, e.g. `/v1/customers/ayu?at=2026-03-01T00%3A00%3A00Z`. */
  readonly url: string;
  /** The request's headers (names in any case). */
  readonly requestHeaders: Readonly<Record<string, string | undefined>>;
  /** The parsed JSON body sent; undefined when none was. */
  readonly requestBody?: unknown;
  readonly status: number;
  /** The response's headers (names in any case). */
  readonly responseHeaders: Readonly<Record<string, string | undefined>>;
  /** The parsed body answered; undefined when the response had none. */
  readonly responseBody?: unknown;
}

/** Where in an exchange a violation sits. */
export type ViolationPart = 'route' | 'path' | 'query' | 'request-header' | 'request-body' | 'status' | 'response-header' | 'response-body';

/** One way an exchange departs from the document: which operation, which request, where (a JSON pointer), what. */
export interface Violation {
  /** The operationId, or `(none)` when no operation matches. */
  readonly operation: string;
  /** `METHOD /path?query`. */
  readonly request: string;
  readonly status: number;
  readonly in: ViolationPart;
  /** RFC 6901 pointer into that part (`/id`, `/lines/0/sku`, `/Idempotency-Key`), `''` for the part itself. */
  readonly pointer: string;
  readonly message: string;
}

/** One line per violation: `operation METHOD /path → status: part pointer message`. */
export function formatViolation(violation: Violation): string {
  const where = `${violation.in}${violation.pointer === '' ? '' : ` ${violation.pointer}`}`;
  return `${violation.operation} ${violation.request} → ${violation.status}: ${where} ${violation.message}`;
}

type JsonRecord = Record<string, unknown>;

function isObject(value: unknown): value is JsonRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

interface Route {
  readonly template: string;
  readonly pattern: RegExp;
  readonly names: readonly string[];
  readonly item: JsonRecord;
}

/** The operation an exchange was for, with its path parameters as sent (decoded). */
export interface MatchedOperation {
  readonly template: string;
  readonly method: string;
  readonly operationId: string;
  readonly params: Record<string, string>;
}

interface Located {
  readonly matched: MatchedOperation;
  readonly url: URL;
  readonly request: string;
}

const RESPONSE_PARTS: Readonly<Record<ResponseProblem['in'], ViolationPart>> = {
  status: 'status',
  header: 'response-header',
  body: 'response-body',
};

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function lowerCased(headers: Readonly<Record<string, string | undefined>>): Map<string, string> {
  const out = new Map<string, string>();
  for (const [name, value] of Object.entries(headers)) if (value !== undefined) out.set(name.toLowerCase(), value);
  return out;
}

// Repeated query names become arrays, as the API's query parser ('simple', node's querystring) makes them.
function queryObject(search: URLSearchParams): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of search) {
    const seen = out[name];
    out[name] = seen === undefined ? value : Array.isArray(seen) ? [...(seen as unknown[]), value] : [seen, value];
  }
  return out;
}

/**
 * Validates exchanges against one OpenAPI 3.1 document.
 *
 * @example
 * const validator = new ExchangeValidator(await (await fetch(`${base}/openapi.json`)).json());
 * const violations = validator.check({ method: 'GET', url: '/v1/customers/ayu', requestHeaders, status: 200, responseHeaders, responseBody });
 */
export class ExchangeValidator {
  readonly #document: JsonObject;
  readonly #validators: DocumentValidators;
  readonly #routes: Route[];

  constructor(document: JsonObject) {
    this.#document = document;
    this.#validators = DocumentValidators.for(document);
    const paths: JsonRecord = isObject(document.paths) ? document.paths : {};
    this.#routes = Object.entries(paths)
      .flatMap(([template, item]) => (isObject(item) ? [{ template, item }] : []))
      .map(({ template, item }) => {
        const names: string[] = [];
        const source = template
          .split(/(\{[^}]+\})/)
          .map((part) => {
            const name = /^\{([^}]+)\}$/.exec(part)?.[1];
            if (name === undefined) return escapeRegExp(part);
            names.push(name);
            return '([^/]+)';
          })
          .join('');
        return { template, pattern: new RegExp(`^${source}$`), names, item };
      })
      // A literal segment wins over a parameter (`/v1/orders/quote` before `/v1/orders/{orderId}`), as OpenAPI says.
      .sort((a, b) => a.names.length - b.names.length);
  }

  /**
   * The operation `method` on `path` (no query) is, or undefined when the document has none: the first template
   * with the fewest parameters that matches and declares the method.
   */
  match(method: string, path: string): MatchedOperation | undefined {
    const lower = method.toLowerCase();
    for (const route of this.#routes) {
      const found = route.pattern.exec(path);
      const op = route.item[lower];
      if (!found || !isObject(op)) continue;
      const params: Record<string, string> = {};
      route.names.forEach((name, index) => {
        const raw = found[index + 1] ?? '';
        try {
          params[name] = decodeURIComponent(raw);
        } catch {
          params[name] = raw;
        }
      });
      return { template: route.template, method: lower, operationId: typeof op.operationId === 'string' ? op.operationId : '(none)', params };
    }
    return undefined;
  }

  /** Every way `exchange` departs from the document, request and response; empty when it conforms. */
  check(exchange: Exchange): Violation[] {
    const located = this.#locate(exchange);
    return 'route' in located ? [located.route] : [...this.#requestViolations(located, exchange), ...this.#responseViolations(located, exchange)];
  }

  /** How the request of `exchange` departs from the document (the response is not looked at). */
  checkRequest(exchange: Exchange): Violation[] {
    const located = this.#locate(exchange);
    return 'route' in located ? [located.route] : this.#requestViolations(located, exchange);
  }

  /**
   * How the response of `exchange` departs from the document (the request is not looked at: tests that send bad
   * requests on purpose still check what the API answers them).
   */
  checkResponse(exchange: Exchange): Violation[] {
    const located = this.#locate(exchange);
    return 'route' in located ? [located.route] : this.#responseViolations(located, exchange);
  }

  #locate(exchange: Exchange): Located | { route: Violation } {
    const url = new URL(exchange.url, 'http://purna.invalid');
    const request = `${exchange.method.toUpperCase()} ${url.pathname}${url.search}`;
    const matched = this.match(exchange.method, url.pathname);
    if (matched) return { matched, url, request };
    const known = this.#routes.some((route) => route.pattern.test(url.pathname));
    const message = known ? `the document gives ${url.pathname} no ${exchange.method.toUpperCase()} operation` : `${url.pathname} is not in the document`;
    return { route: { operation: '(none)', request, status: exchange.status, in: 'route', pointer: '', message } };
  }

  #violation(located: Located, exchange: Exchange, part: ViolationPart, pointer: string, message: string): Violation {
    return { operation: located.matched.operationId, request: located.request, status: exchange.status, in: part, pointer, message };
  }

  #requestViolations(located: Located, exchange: Exchange): Violation[] {
    return this.#requestProblems(located.matched, located.url, exchange).map((p) => this.#violation(located, exchange, p.part, p.pointer, p.message));
  }

  #responseViolations(located: Located, exchange: Exchange): Violation[] {
    const { template, method } = located.matched;
    return this.#validators
      .responseProblems(template, method, exchange.status, {
        contentType: lowerCased(exchange.responseHeaders).get('content-type'),
        headers: exchange.responseHeaders,
        body: exchange.responseBody,
      })
      .map((p) => this.#violation(located, exchange, RESPONSE_PARTS[p.in], p.pointer, p.message));
  }

  #requestProblems(matched: MatchedOperation, url: URL, exchange: Exchange): Array<{ part: ViolationPart; pointer: string; message: string }> {
    const { template, method } = matched;
    const op = (this.#document.paths as Record<string, Record<string, JsonRecord>>)[template]?.[method] ?? {};
    const problems: Array<{ part: ViolationPart; pointer: string; message: string }> = [];
    for (const error of this.#validators.parameters(template, method, 'path')({ ...matched.params })) {
      problems.push({ part: 'path', pointer: error.pointer, message: error.message });
    }
    for (const error of this.#validators.parameters(template, method, 'query')(queryObject(url.searchParams))) {
      problems.push({ part: 'query', pointer: error.pointer, message: error.message });
    }
    const headers = lowerCased(exchange.requestHeaders);
    const parameters = Array.isArray(op.parameters) ? (op.parameters as unknown[]) : [];
    parameters.forEach((parameter, index) => {
      if (!isObject(parameter) || parameter.in !== 'header' || typeof parameter.name !== 'string') return;
      const value = headers.get(parameter.name.toLowerCase());
      if (value === undefined) {
        if (parameter.required === true) problems.push({ part: 'request-header', pointer: `/${parameter.name}`, message: 'is required' });
        return;
      }
      const check = this.#validators.schema(documentRef('paths', template, method, 'parameters', String(index), 'schema'));
      for (const error of check(value)) problems.push({ part: 'request-header', pointer: `/${parameter.name}`, message: error.message });
    });
    const security = Array.isArray(op.security) ? op.security : Array.isArray(this.#document.security) ? this.#document.security : [];
    if (security.length > 0 && !security.some((requirement) => isObject(requirement) && this.#satisfied(requirement, headers))) {
      problems.push({ part: 'request-header', pointer: '/Authorization', message: 'is required: the operation needs the credentials its security requirement names' });
    }
    const body = isObject(op.requestBody) ? op.requestBody : undefined;
    if (!body) {
      if (exchange.requestBody !== undefined) problems.push({ part: 'request-body', pointer: '', message: 'the operation takes no body' });
      return problems;
    }
    if (exchange.requestBody === undefined) {
      if (body.required === true) problems.push({ part: 'request-body', pointer: '', message: 'is required' });
      return problems;
    }
    const content = isObject(body.content) ? body.content : {};
    const mediaType = (headers.get('content-type') ?? '').split(';')[0]?.trim() ?? '';
    if (!isObject(content[mediaType])) {
      problems.push({ part: 'request-header', pointer: '/Content-Type', message: `content type ${mediaType || '(none)'} is not documented; expected ${Object.keys(content).join(', ')}` });
      return problems;
    }
    for (const error of this.#validators.body(template, method)?.(exchange.requestBody) ?? []) {
      problems.push({ part: 'request-body', pointer: error.pointer, message: error.message });
    }
    return problems;
  }

  // Each scheme of the requirement must be met; the document's schemes are HTTP bearer (and API keys in headers).
  #satisfied(requirement: JsonRecord, headers: Map<string, string>): boolean {
    const components = isObject(this.#document.components) ? this.#document.components : {};
    const schemes = isObject(components.securitySchemes) ? components.securitySchemes : {};
    return Object.keys(requirement).every((name) => {
      const scheme = schemes[name];
      if (!isObject(scheme)) return false;
      if (scheme.type === 'http') {
        const [kind, credentials] = (headers.get('authorization') ?? '').split(' ');
        return typeof scheme.scheme === 'string' && kind?.toLowerCase() === scheme.scheme.toLowerCase() && Boolean(credentials);
      }
      if (scheme.type === 'apiKey' && scheme.in === 'header' && typeof scheme.name === 'string') return headers.has(scheme.name.toLowerCase());
      return false;
    });
  }
}
