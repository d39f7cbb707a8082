import { Agent, EnvHttpProxyAgent, errors, request, type Dispatcher } from 'undici';

/**
 * The one HTTP client of the probes. It never retries and never follows redirects: every attempt and
 * every answer is evidence. Timings are measured with an injectable monotonic clock.
 */

export interface HttpRequest {
  url: string;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: string;
  /** Deadline for the whole exchange, headers and body. */
  timeoutMs: number;
  /** Stop reading the body after this many bytes (a proxy's error page can be huge). */
  maxBodyBytes: number;
}

export type HttpResult =
  | {
      kind: 'response';
      status: number;
      headers: Record<string, string>;
      body: string;
      /** True when the body was longer than maxBodyBytes and only its start was kept. */
      truncated: boolean;
      timeToHeadersMs: number;
      totalMs: number;
    }
  | {
      kind: 'failure';
      /** connect: never reached the server; headers: connected, no answer; body: answer cut short. */
      phase: 'connect' | 'headers' | 'body';
      /**
       * What went wrong: a Node/undici error code (ECONNREFUSED, UND_ERR_HEADERS_TIMEOUT), 'TIMEOUT' (the
       * deadline passed after connecting) or CONNECT_TIMEOUT (it passed while still connecting).
       */
      code: string;
      timedOut: boolean;
      message: string;
      status: number | null;
      headers: Record<string, string>;
      timeToHeadersMs: number | null;
      totalMs: number;
    };

export type Clock = () => number;

/** Node error codes that mean the request never reached the server: the runner's network, not the API. */
const BEFORE_CONNECT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EAI_FAIL',
  'EAI_NODATA',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'ENETDOWN',
  'EHOSTDOWN',
  'EADDRNOTAVAIL',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_CONNECT',
]);

/** The code of a deadline that passed while the connection (TCP or TLS) was still being set up. */
export const CONNECT_DEADLINE_CODE = 'CONNECT_TIMEOUT';

function isTlsFailure(code: string): boolean {
  return (
    code.startsWith('ERR_TLS') || code.startsWith('ERR_SSL') || code.includes('CERT') || code === 'EPROTO'
  );
}

function errorCode(error: unknown): string {
  let current: unknown = error;
  // undici wraps socket errors: the useful code can sit on `cause`.
  for (let depth = 0; depth < 4 && current && typeof current === 'object'; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && code !== 'UND_ERR_SOCKET' && code !== 'UND_ERR_ABORTED') return code;
    current = (current as { cause?: unknown }).cause;
  }
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : 'UNKNOWN';
}

function flattenHeaders(raw: Record<string, string | string[] | undefined>): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

let sharedDispatcher: Dispatcher | undefined;

/** Honour HTTPS_PROXY/NO_PROXY on self-hosted runners that need a proxy; a plain agent otherwise. */
function dispatcher(): Dispatcher {
  if (!sharedDispatcher) {
    const proxied = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy'].some(
      (name) => process.env[name],
    );
    // Connection setup gets its own bound so that a dead network is told apart from a slow API.
    const options = { connectTimeout: 10_000, keepAliveTimeout: 4_000 };
    sharedDispatcher = proxied ? new EnvHttpProxyAgent(options) : new Agent(options);
  }
  return sharedDispatcher;
}

/** Closes idle keep-alive sockets so that the process can exit promptly. */
export async function closeHttp(): Promise<void> {
  const current = sharedDispatcher;
  sharedDispatcher = undefined;
  await current?.close();
}

/**
 * The shared dispatcher, seen by one request: it notes when undici starts writing the request on a
 * connected socket (TCP and TLS done). A deadline that fires before that moment caught the runner still
 * connecting, which says nothing about how fast the API answers.
 */
function trackingDispatcher(onConnected: () => void): Dispatcher {
  return dispatcher().compose(
    (dispatch) => (options, handler) =>
      dispatch(options, {
        ...bindAll(handler),
        onRequestStart(controller, context) {
          onConnected();
          return handler.onRequestStart?.(controller, context);
        },
      }),
  );
}

/** The handler's own methods bound to it, so that a spread copy still calls them on the original. */
function bindAll(handler: Dispatcher.DispatchHandler): Dispatcher.DispatchHandler {
  const bound: Record<string, unknown> = {};
  for (
    let proto: object | null = handler;
    proto && proto !== Object.prototype;
    proto = Object.getPrototypeOf(proto)
  ) {
    for (const name of Object.getOwnPropertyNames(proto)) {
      const value = (handler as Record<string, unknown>)[name];
      if (name !== 'constructor' && typeof value === 'function' && !(name in bound))
        bound[name] = (value as (...args: unknown[]) => unknown).bind(handler);
    }
  }
  return bound as Dispatcher.DispatchHandler;
}

export async function httpRequest(
  req: HttpRequest,
  clock: Clock = () => performance.now(),
): Promise<HttpResult> {
  const started = clock();
  const controller = new AbortController();
  let timedOut = false;
  let connected = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, req.timeoutMs);
  let status: number | null = null;
  let headers: Record<string, string> = {};
  let timeToHeadersMs: number | null = null;
  try {
    const response = await request(req.url, {
      method: req.method,
      headers: req.headers,
      body: req.body,
      signal: controller.signal,
      dispatcher: trackingDispatcher(() => (connected = true)),
      headersTimeout: req.timeoutMs,
      bodyTimeout: req.timeoutMs,
    });
    timeToHeadersMs = clock() - started;
    status = response.statusCode;
    headers = flattenHeaders(response.headers);
    const chunks: Buffer[] = [];
    let kept = 0;
    let truncated = false;
    for await (const chunk of response.body) {
      const buffer = chunk as Buffer;
      if (kept + buffer.length > req.maxBodyBytes) {
        chunks.push(buffer.subarray(0, req.maxBodyBytes - kept));
        kept = req.maxBodyBytes;
        truncated = true;
        response.body.destroy();
        break;
      }
      chunks.push(buffer);
      kept += buffer.length;
    }
    return {
      kind: 'response',
      status,
      headers,
      body: Buffer.concat(chunks).toString('utf8'),
      truncated,
      timeToHeadersMs,
      totalMs: clock() - started,
    };
  } catch (error) {
    const totalMs = clock() - started;
    const stillConnecting = timedOut && !connected;
    const code = stillConnecting ? CONNECT_DEADLINE_CODE : timedOut ? 'TIMEOUT' : errorCode(error);
    const isTimeout =
      timedOut || error instanceof errors.HeadersTimeoutError || error instanceof errors.BodyTimeoutError;
    let phase: 'connect' | 'headers' | 'body';
    if (timeToHeadersMs !== null) phase = 'body';
    else if (!connected || BEFORE_CONNECT_CODES.has(code) || isTlsFailure(code)) phase = 'connect';
    else phase = 'headers';
    return {
      kind: 'failure',
      phase,
      code,
      timedOut: isTimeout && code !== 'UND_ERR_CONNECT_TIMEOUT',
      message: stillConnecting
        ? `still connecting when the ${req.timeoutMs} ms deadline passed`
        : error instanceof Error
          ? error.message
          : String(error),
      status,
      headers,
      timeToHeadersMs,
      totalMs,
    };
  } finally {
    clearTimeout(timer);
  }
}
