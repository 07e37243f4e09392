/**
 * A small stand-in for API Gateway (HTTP API, payload format 2.0) in front of the same handlers
 * that run in Lambda: it turns requests into v2 events, calls the handler of the matching route
 * and writes its structured result back.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { LocalRunError } from './errors.js';
import { lambdaContext } from './lambda-context.js';

export type HttpHandler = (event: APIGatewayProxyEventV2, context: Context) => unknown;

export interface RouteSpec {
  method: string;
  /** An API Gateway route template, e.g. `/v1/tips/{source}`; `{name+}` matches the rest of the path. */
  path: string;
  handler: HttpHandler;
  /** For the Lambda context (e.g. "intake"). */
  functionName?: string;
  /** Answered with 503 `unavailable` once the stack is stopping (intake: nothing must be half-queued). */
  refuseWhileStopping?: boolean;
}

export type GatewayState = 'starting' | 'ready' | 'stopping';

export interface GatewayOptions {
  port?: number;
  host?: string;
  routes?: RouteSpec[];
  /** Bodies above this get 413 before any handler runs (default 1 MiB). */
  maxBodyBytes?: number;
  functionTimeoutMs?: number;
  /** A client must send its request headers within this (default 10 s): slow-header clients hold no socket. */
  headersTimeoutMs?: number;
  /** …and the whole request within this (default: the function timeout plus 10 s). */
  requestTimeoutMs?: number;
  log?: (line: string) => void;
  /** Answers what is not the API (the console's files, console-site.ts): true when it did. */
  site?: (req: IncomingMessage, res: ServerResponse, path: string) => boolean | Promise<boolean>;
}

export interface LocalGateway {
  readonly url: string;
  readonly port: number;
  state(): GatewayState;
  setState(state: GatewayState): void;
  setRoutes(routes: RouteSpec[]): void;
  close(): Promise<void>;
}

interface CompiledRoute extends RouteSpec {
  routeKey: string;
  pattern: RegExp;
  names: string[];
}

export function compileRoute(route: RouteSpec): CompiledRoute {
  const names: string[] = [];
  const source = route.path
    .split('/')
    .map((segment) => {
      const greedy = /^\{(\w+)\+\}$/.exec(segment);
      if (greedy) {
        names.push(greedy[1]!);
        return '(.+)';
      }
      const param = /^\{(\w+)\}$/.exec(segment);
      if (param) {
        names.push(param[1]!);
        return '([^/]+)';
      }
      return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('/');
  return {
    ...route,
    method: route.method.toUpperCase(),
    routeKey: `${route.method.toUpperCase()} ${route.path}`,
    pattern: new RegExp(`^${source}$`),
    names,
  };
}

const JSON_TYPE = 'application/json; charset=utf-8';

/**
 * The gateway's own answers carry the headers the functions' middleware puts on theirs
 * (shared/http/middleware.ts, contract 12), so no answer of the local run goes without them.
 */
const OWN_ANSWER_HEADERS = { 'x-content-type-options': 'nosniff', 'cache-control': 'no-store' } as const;

function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': JSON_TYPE,
    'content-length': Buffer.byteLength(text),
    ...OWN_ANSWER_HEADERS,
    ...headers,
  });
  res.end(text);
}

const errorBody = (code: string, message: string) => ({ error: { code, message } });

/** JSON and text arrive as text in API Gateway; everything else (and non-UTF-8 text) as base64. */
export function isTextContentType(contentType: string | undefined): boolean {
  if (!contentType) return false;
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  return type === 'application/json' || type.endsWith('+json') || type.startsWith('text/');
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** API Gateway's `requestContext.time` format, e.g. `12/Mar/2020:19:03:58 +0000`. */
export function apiGatewayTime(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(date.getUTCDate())}/${MONTHS[date.getUTCMonth()]}/${date.getUTCFullYear()}:${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} +0000`;
}

const safeDecode = (value: string) => {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
};

/** True when every path parameter of `path` under `route` is well-formed percent-encoded UTF-8. */
export function pathParametersDecode(route: { pattern: RegExp }, path: string): boolean {
  const match = route.pattern.exec(path);
  if (!match) return true;
  try {
    for (const value of match.slice(1)) decodeURIComponent(value ?? '');
    return true;
  } catch {
    return false;
  }
}

export interface RequestFacts {
  method: string;
  /** Path and query as received, e.g. `/v1/cases?area=guli`. */
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  sourceIp: string;
  now: Date;
  requestId?: string;
}

/** Builds the payload-2.0 event for one request and the route it matched. */
export function toApiGatewayEvent(
  route: { routeKey: string; pattern: RegExp; names: string[] },
  facts: RequestFacts,
): APIGatewayProxyEventV2 {
  const queryStart = facts.url.indexOf('?');
  const rawPath = queryStart === -1 ? facts.url : facts.url.slice(0, queryStart);
  const rawQueryString = queryStart === -1 ? '' : facts.url.slice(queryStart + 1);

  const headers: Record<string, string> = {};
  let cookies: string[] | undefined;
  for (const [name, value] of Object.entries(facts.headers)) {
    if (value === undefined) continue;
    const lower = name.toLowerCase();
    const joined = Array.isArray(value) ? value.join(',') : value;
    if (lower === 'cookie') {
      cookies = joined
        .split(/;\s*/)
        .map((cookie) => cookie.trim())
        .filter(Boolean);
      continue;
    }
    headers[lower] = joined;
  }
  headers['x-forwarded-for'] ??= facts.sourceIp;
  headers['x-forwarded-proto'] ??= 'http';

  let queryStringParameters: Record<string, string> | undefined;
  if (rawQueryString) {
    queryStringParameters = {};
    for (const [key, value] of new URLSearchParams(rawQueryString)) {
      const previous = queryStringParameters[key];
      queryStringParameters[key] = previous === undefined ? value : `${previous},${value}`;
    }
  }

  let pathParameters: Record<string, string> | undefined;
  const match = route.pattern.exec(rawPath);
  if (match && route.names.length > 0) {
    pathParameters = {};
    route.names.forEach((name, index) => {
      pathParameters![name] = safeDecode(match[index + 1]!);
    });
  }

  let body: string | undefined;
  let isBase64Encoded = false;
  if (facts.body.length > 0) {
    body = undefined;
    if (isTextContentType(headers['content-type'])) {
      try {
        // ignoreBOM keeps a leading BOM in the text: the body is signed as sent, BOM included, and
        // intake verifies the signature over exactly these bytes before it parses (and skips) it.
        body = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(facts.body);
      } catch {
        body = undefined;
      }
    }
    if (body === undefined) {
      body = facts.body.toString('base64');
      isBase64Encoded = true;
    }
  }

  const requestId = facts.requestId ?? randomUUID();
  const event: APIGatewayProxyEventV2 = {
    version: '2.0',
    routeKey: route.routeKey,
    rawPath,
    rawQueryString,
    headers,
    requestContext: {
      accountId: '123456789012',
      apiId: 'local',
      domainName: headers.host ?? '127.0.0.1',
      domainPrefix: (headers.host ?? '127').split('.')[0]!,
      http: {
        method: facts.method.toUpperCase(),
        path: rawPath,
        protocol: 'HTTP/1.1',
        sourceIp: facts.sourceIp,
        userAgent: headers['user-agent'] ?? '',
      },
      requestId,
      routeKey: route.routeKey,
      stage: '$default',
      time: apiGatewayTime(facts.now),
      timeEpoch: facts.now.getTime(),
    },
    isBase64Encoded,
  };
  if (cookies) event.cookies = cookies;
  if (queryStringParameters) event.queryStringParameters = queryStringParameters;
  if (pathParameters) event.pathParameters = pathParameters;
  if (body !== undefined) event.body = body;
  return event;
}

/** Writes a handler result back as API Gateway does (a bare string or object means 200 JSON). */
export function writeResult(res: ServerResponse, result: unknown, requestId: string): void {
  let structured: APIGatewayProxyStructuredResultV2;
  if (typeof result === 'string') {
    structured = { statusCode: 200, headers: { 'content-type': 'application/json' }, body: result };
  } else if (
    result &&
    typeof result === 'object' &&
    typeof (result as { statusCode?: unknown }).statusCode === 'number'
  ) {
    structured = result as APIGatewayProxyStructuredResultV2;
  } else {
    structured = {
      statusCode: 200,
      headers: { 'content-type': 'application/json' },
      body: result === undefined ? '' : JSON.stringify(result),
    };
  }
  const headers: Record<string, string | string[]> = { 'apigw-requestid': requestId };
  for (const [name, value] of Object.entries(structured.headers ?? {}))
    headers[name.toLowerCase()] = String(value);
  if (structured.cookies && structured.cookies.length > 0) headers['set-cookie'] = structured.cookies;
  const body =
    structured.body === undefined
      ? Buffer.alloc(0)
      : structured.isBase64Encoded
        ? Buffer.from(structured.body, 'base64')
        : Buffer.from(structured.body, 'utf8');
  if (body.length > 0 && !headers['content-type']) headers['content-type'] = 'application/json';
  headers['content-length'] = String(body.length);
  res.writeHead(structured.statusCode ?? 200, headers);
  res.end(body);
}

/** The Content-Length the client declared (0 when none; Node has already refused a malformed one). */
function declaredLength(req: IncomingMessage): number {
  const declared = Number(req.headers['content-length'] ?? '0');
  return Number.isFinite(declared) ? declared : Number.POSITIVE_INFINITY;
}

function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer | 'too_large'> {
  return new Promise((done, fail) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) tooLarge = true;
      // Keep reading (and dropping) so the client gets to read our 413; give up on absurd sizes.
      if (size > maxBytes * 16) req.destroy();
      if (!tooLarge) chunks.push(chunk);
    });
    req.on('end', () => done(tooLarge ? 'too_large' : Buffer.concat(chunks)));
    req.on('error', fail);
  });
}

export async function startGateway(options: GatewayOptions = {}): Promise<LocalGateway> {
  const host = options.host ?? '127.0.0.1';
  const maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024;
  const functionTimeoutMs = options.functionTimeoutMs ?? 30_000;
  const log = options.log ?? (() => {});
  let state: GatewayState = 'starting';
  let routes = (options.routes ?? []).map(compileRoute);

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = (req.method ?? 'GET').toUpperCase();
    const url = req.url ?? '/';
    const path = url.split('?')[0]!;
    if (path === '/health' && (method === 'GET' || method === 'HEAD')) {
      const status = state === 'ready' ? 'ok' : state;
      sendJson(res, state === 'ready' ? 200 : 503, { status });
      return;
    }
    if (options.site && (await options.site(req, res, path))) return;
    const matching = routes.filter((route) => route.pattern.test(path));
    if (matching.length === 0 && state !== 'starting') {
      sendJson(res, 404, errorBody('not_found', 'No such resource.'));
      return;
    }
    const route = matching.find((candidate) => candidate.method === method);
    if (!route && state !== 'starting') {
      const allow = [...new Set(matching.map((candidate) => candidate.method))].join(', ');
      sendJson(res, 405, errorBody('method_not_allowed', 'This method is not allowed on this resource.'), {
        allow,
      });
      return;
    }
    if (!route || state === 'starting' || (state === 'stopping' && route.refuseWhileStopping)) {
      const message =
        state === 'starting'
          ? 'The service is starting; nothing was stored. Retry later.'
          : 'The service is shutting down; nothing was stored. Retry later.';
      sendJson(res, 503, errorBody('unavailable', message), { 'retry-after': '5' });
      return;
    }
    // Path parameters are decoded once, here, as API Gateway does; one that does not decode names
    // nothing (and must not reach a handler half-decoded).
    if (!pathParametersDecode(route, path)) {
      sendJson(res, 404, errorBody('not_found', 'No such resource.'));
      return;
    }
    const tooLarge = () =>
      sendJson(res, 413, errorBody('payload_too_large', `The body exceeds ${maxBodyBytes} bytes.`), {
        connection: 'close',
      });
    // A declared length over the limit is refused before a byte of the body is read.
    if (declaredLength(req) > maxBodyBytes) {
      tooLarge();
      return;
    }
    const body = await readBody(req, maxBodyBytes);
    if (body === 'too_large') {
      tooLarge();
      return;
    }
    const requestId = randomUUID();
    const event = toApiGatewayEvent(route, {
      method,
      url,
      headers: req.headersDistinct,
      body,
      sourceIp: req.socket.remoteAddress?.replace(/^::ffff:/, '') ?? '127.0.0.1',
      now: new Date(),
      requestId,
    });
    let result: unknown;
    try {
      result = await route.handler(event, lambdaContext(route.functionName ?? 'http', functionTimeoutMs));
    } catch (error) {
      log(
        `${route.routeKey}: the handler threw: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      );
      sendJson(res, 500, errorBody('internal', 'Internal error; the request may be retried.'));
      return;
    }
    writeResult(res, result, requestId);
  }

  const server: Server = createServer(
    {
      // Slow or stalled clients (headers dribbled in, a body that never ends) lose their socket.
      headersTimeout: options.headersTimeoutMs ?? 10_000,
      requestTimeout: options.requestTimeoutMs ?? functionTimeoutMs + 10_000,
    },
    (req, res) => {
      handle(req, res).catch((error: unknown) => {
        log(`gateway: ${String(error)}`);
        if (!res.headersSent)
          sendJson(res, 500, errorBody('internal', 'Internal error; the request may be retried.'));
        else res.destroy();
      });
    },
  );
  await new Promise<void>((done, fail) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      const port = options.port ?? 0;
      fail(
        error.code === 'EADDRINUSE'
          ? new LocalRunError(
              `Port ${port} on ${host} is already in use: stop the other process or set PORT.`,
            )
          : new LocalRunError(`The local gateway could not listen on ${host}:${port}: ${error.message}`),
      );
    });
    server.listen(options.port ?? 0, host, () => done());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://${host}:${port}`,
    port,
    state: () => state,
    setState(next) {
      state = next;
    },
    setRoutes(next) {
      routes = next.map(compileRoute);
    },
    async close() {
      server.closeIdleConnections();
      const closed = new Promise<void>((done) => server.close(() => done()));
      // Requests still running get a moment to finish, then their sockets go.
      const timer = setTimeout(() => server.closeAllConnections(), 2_000);
      await closed;
      clearTimeout(timer);
    },
  };
}
