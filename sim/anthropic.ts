/**
 * A loopback stand-in for the Anthropic Messages API (POST /v1/messages) with scripted behaviours:
 * healthy answers, every documented error, and the ways a network or proxy in between can fail.
 * Headers and bodies come from the real captures in test/fixtures/real.
 */
import { STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import {
  isRecord,
  listenOnLoopback,
  parseJson,
  plainHeaders,
  readBody,
  type LoopbackServer,
} from './loopback.js';
import { readFixtureJson } from './fixtures.js';

export { refusedUrl, stalledTlsServer, type StalledServer } from './loopback.js';

export type BehaviourKind =
  | 'healthy'
  | 'wrong-answer'
  | 'empty-answer'
  | 'overloaded'
  | 'older-shape'
  | 'rate-limited'
  | 'spend-cap'
  | 'key-rejected'
  | 'permission'
  | 'billing'
  | 'model-not-found'
  | 'server-error'
  | 'gateway-timeout'
  | 'invalid-request'
  | 'spend-limit-400'
  | 'proxy-html-502'
  | 'redirect'
  | 'bad-json'
  | 'wrong-shape'
  | 'hang'
  | 'reset-mid-body'
  | 'slow'
  | 'slow-body'
  | 'echo-key'
  | 'conflict'
  | 'request-too-large'
  | 'rate-limited-until'
  | 'error-wrong-shape'
  | 'raw';

export interface BehaviourOptions {
  kind: BehaviourKind;
  /** `slow`: real ms before the headers; `slow-body`: real ms between headers and body. Tests use tens of ms. */
  delayMs?: number;
  /** `slow` and `slow-body`: what arrives once the delay is over (default `healthy`). */
  then?: Behaviour;
  /** `proxy-html-502`: size of the HTML page in bytes (default: a small page). */
  sizeBytes?: number;
  /** `redirect`: the Location header (default: a path on this simulator). */
  location?: string;
  /** Error behaviours: leave `request_id` out of the body, as the API did before 2025 (header only). */
  olderShape?: boolean;
  /**
   * Error behaviours worded by the simulator (server-error, rate-limited, permission, billing, invalid-request...):
   * the `error.message` to send instead of the usual one, e.g. hostile or huge text.
   */
  message?: string;
  /** `proxy-html-502`: the status of the proxy page (502 or 503; default 502). `raw`: the status (default 200). */
  status?: number;
  /** `raw`: extra headers (a request-id is always sent). */
  headers?: Record<string, string>;
  /** `raw`: the body; strings are sent verbatim, anything else as JSON. */
  body?: unknown;
}

export type Behaviour = BehaviourKind | BehaviourOptions;

export interface RecordedRequest {
  method: string;
  path: string;
  /** Lower-cased names. */
  headers: Record<string, string>;
  /** Parsed JSON body, or the raw text when it is not JSON. */
  body: unknown;
  /** `model` from the body, or null. */
  model: string | null;
}

export interface AnthropicSim {
  /** Base URL, e.g. http://127.0.0.1:43121 (POST {url}/v1/messages). */
  url: string;
  /**
   * Sets what the API does. An array is cycled through request by request; each model keeps its own
   * position in the cycle. With a model, applies to that model only; without, to every other model.
   */
  setBehaviour(behaviour: Behaviour | Behaviour[], model?: string): void;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

/** The prompt the action sends by default, and the number the healthy API answers to it. */
export const DEFAULT_CANARY_PROMPT = 'Reply with only the number: what is 17 + 25?';

interface RecordedFixture {
  headers: Record<string, string>;
  body?: unknown;
}

interface ErrorBodySamples {
  samples: { status: number; body: ErrorBody }[];
}

interface ErrorBody {
  type: 'error';
  error: { type: string; message: string; details?: unknown };
  request_id?: string;
}

const REAL_200 = readFixtureJson<RecordedFixture>('real/anthropic-messages-200-with-headers.json');
const REAL_529 = readFixtureJson<RecordedFixture>('real/anthropic-529-overloaded-headers.json');
const REAL_429 = readFixtureJson<RecordedFixture>('real/anthropic-429-headers-2024.json');
const REAL_ERROR_BODIES = readFixtureJson<ErrorBodySamples>('real/anthropic-error-bodies.json').samples;

/** Headers Node computes itself, or that we cannot honour (we never gzip). */
const HOP_BY_HOP = new Set(['connection', 'content-length', 'content-encoding', 'transfer-encoding']);

/** An organisation id of our own: the real capture's id belongs to someone else. */
const SIM_ORGANIZATION_ID = '5e1f0c2a-9b7d-4c3e-8a61-0d2f4b6c8e90';

/** Seconds the rate-limited behaviour asks clients to wait (any value works; 17 is easy to spot). */
const RATE_LIMIT_RETRY_AFTER_S = '17';

/** Healthy rate limits, the values of the real 2025-08-21 capture. */
const REQUESTS_LIMIT = Number(REAL_200.headers['anthropic-ratelimit-requests-limit'] ?? '1000');
const TOKENS_LIMIT = Number(REAL_200.headers['anthropic-ratelimit-tokens-limit'] ?? '96000');
const INPUT_TOKENS_LIMIT = Number(REAL_200.headers['anthropic-ratelimit-input-tokens-limit'] ?? '80000');
const OUTPUT_TOKENS_LIMIT = Number(REAL_200.headers['anthropic-ratelimit-output-tokens-limit'] ?? '16000');

/** Default size of a proxy's error page: about what nginx or Cloudflare send. */
const DEFAULT_PROXY_PAGE_BYTES = 1_500;

const DEFAULT_KEY = Symbol('every model');

interface Exchange {
  req: IncomingMessage;
  res: ServerResponse;
  requestId: string;
  model: string;
  apiKey: string;
  prompt: string;
  now: Date;
}

export async function startAnthropicSim(options: { now?: () => Date } = {}): Promise<AnthropicSim> {
  const now = options.now ?? (() => new Date());
  const scripts = new Map<string | typeof DEFAULT_KEY, Behaviour[]>([[DEFAULT_KEY, ['healthy']]]);
  const positions = new Map<string, number>();
  const requests: RecordedRequest[] = [];
  let served = 0;
  let tokensUsed = 0;

  const nextBehaviour = (model: string): Behaviour => {
    const key = scripts.has(model) ? model : DEFAULT_KEY;
    const script = scripts.get(key) ?? ['healthy'];
    const positionKey = `${String(key === DEFAULT_KEY ? '*' : key)}\u0000${model}`;
    const position = positions.get(positionKey) ?? 0;
    positions.set(positionKey, position + 1);
    return script[position % script.length] ?? 'healthy';
  };

  let server: LoopbackServer | null = null;
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    served += 1;
    const requestId = `req_sim_${String(served).padStart(6, '0')}`;
    const rawBody = await readBody(req);
    const parsed = parseJson(rawBody);
    const body = parsed === undefined ? rawBody : parsed;
    const model = isRecord(body) && typeof body['model'] === 'string' ? body['model'] : null;
    const path = req.url ?? '/';
    requests.push({ method: req.method ?? 'GET', path, headers: plainHeaders(req), body, model });

    const at = now();
    const refusal = refuseLikeTheApi(req, path, body);
    if (refusal) {
      sendJson(
        res,
        refusal.status,
        errorHeaders(requestId, at),
        errorBody(refusal.type, refusal.message, requestId),
      );
      return;
    }
    const exchange: Exchange = {
      req,
      res,
      requestId,
      model: model ?? '',
      apiKey: headerValue(req, 'x-api-key'),
      prompt: lastUserText(body),
      now: at,
    };
    const usage = estimateUsage(exchange.prompt);
    tokensUsed += usage.input_tokens + usage.output_tokens;
    const limits: RateLimitState = { served, tokensUsed };
    if (!server) throw new Error('simulator not started');
    answer(server, exchange, nextBehaviour(exchange.model), limits);
  };

  server = await listenOnLoopback(handle);
  const started = server;
  return {
    url: started.url,
    requests,
    setBehaviour(behaviour, model) {
      const script = Array.isArray(behaviour) ? behaviour : [behaviour];
      if (script.length === 0) throw new Error('setBehaviour needs at least one behaviour');
      scripts.set(model ?? DEFAULT_KEY, script);
      for (const key of positions.keys()) {
        if (model === undefined || key.endsWith(`\u0000${model}`)) positions.delete(key);
      }
    },
    close: () => started.close(),
  };
}

interface Refusal {
  status: number;
  type: string;
  message: string;
}

/** What the real API refuses before any behaviour applies: wrong route, missing key or version, bad body. */
function refuseLikeTheApi(req: IncomingMessage, path: string, body: unknown): Refusal | null {
  const pathname = path.split('?')[0];
  if (req.method !== 'POST' || pathname !== '/v1/messages') {
    return { status: 404, type: 'not_found_error', message: 'Not Found' };
  }
  if (headerValue(req, 'x-api-key') === '') {
    return { status: 401, type: 'authentication_error', message: 'x-api-key header is required' };
  }
  if (headerValue(req, 'anthropic-version') === '') {
    return { status: 400, type: 'invalid_request_error', message: 'anthropic-version: header is required' };
  }
  if (!isRecord(body)) {
    return {
      status: 400,
      type: 'invalid_request_error',
      message: 'The request body is not a valid JSON object.',
    };
  }
  for (const field of ['model', 'max_tokens', 'messages'] as const) {
    if (body[field] === undefined) {
      return { status: 400, type: 'invalid_request_error', message: `${field}: Field required` };
    }
  }
  if (typeof body['model'] !== 'string') {
    return { status: 400, type: 'invalid_request_error', message: 'model: Input should be a valid string' };
  }
  if (!Number.isInteger(body['max_tokens']) || (body['max_tokens'] as number) < 1) {
    return {
      status: 400,
      type: 'invalid_request_error',
      message: 'max_tokens: Input should be greater than or equal to 1',
    };
  }
  if (!Array.isArray(body['messages']) || body['messages'].length === 0) {
    return {
      status: 400,
      type: 'invalid_request_error',
      message: 'messages: at least one message is required',
    };
  }
  return null;
}

function headerValue(req: IncomingMessage, name: string): string {
  const value = req.headers[name];
  return (Array.isArray(value) ? value[0] : value)?.trim() ?? '';
}

interface RateLimitState {
  served: number;
  tokensUsed: number;
}

function answer(
  server: LoopbackServer,
  exchange: Exchange,
  behaviour: Behaviour,
  limits: RateLimitState,
): void {
  const options: BehaviourOptions = typeof behaviour === 'string' ? { kind: behaviour } : behaviour;
  const { res, requestId, now } = exchange;
  const apiError = (
    status: number,
    type: string,
    message: string,
    extraHeaders: Record<string, string> = {},
  ) =>
    sendJson(
      res,
      status,
      { ...errorHeaders(requestId, now), ...extraHeaders },
      errorBody(type, options.message ?? message, options.olderShape ? null : requestId),
    );

  switch (options.kind) {
    case 'healthy':
      return sendJson(
        res,
        200,
        healthyHeaders(requestId, now, limits),
        messageBody(exchange, canaryAnswer(exchange.prompt)),
      );
    case 'wrong-answer':
      return sendJson(
        res,
        200,
        healthyHeaders(requestId, now, limits),
        messageBody(exchange, String(Number(canaryAnswer(exchange.prompt)) - 1)),
      );
    case 'empty-answer':
      return sendJson(res, 200, healthyHeaders(requestId, now, limits), messageBody(exchange, null));
    case 'overloaded':
      return sendJson(
        res,
        529,
        overloadedHeaders(requestId, now),
        withRequestId(realErrorBody('overloaded_error'), options.olderShape ? null : requestId),
      );
    case 'older-shape':
      return sendJson(
        res,
        529,
        overloadedHeaders(requestId, now),
        withRequestId(realErrorBody('overloaded_error'), null),
      );
    case 'rate-limited':
      return apiError(
        429,
        'rate_limit_error',
        'This request would exceed the rate limit for your organization of 5 requests per minute. Please wait and try again.',
        rateLimitedHeaders(now),
      );
    case 'spend-cap':
      // The monthly spend cap: the real documented body, and no retry-after because waiting minutes cannot help.
      return sendJson(
        res,
        429,
        errorHeaders(requestId, now),
        withRequestId(realErrorBody('rate_limit_error'), options.olderShape ? null : requestId),
      );
    case 'key-rejected':
      return sendJson(
        res,
        401,
        errorHeaders(requestId, now),
        withRequestId(realErrorBody('authentication_error'), options.olderShape ? null : requestId),
      );
    case 'permission':
      return apiError(
        403,
        'permission_error',
        'Your API key does not have permission to use the specified resource.',
      );
    case 'billing':
      return apiError(
        402,
        'billing_error',
        'Your credit balance is too low to access the API. Add credits in Plans & Billing.',
      );
    case 'model-not-found':
      return apiError(404, 'not_found_error', `model: ${exchange.model}`);
    case 'server-error':
      return apiError(500, 'api_error', 'Internal server error');
    case 'gateway-timeout':
      return apiError(504, 'timeout_error', 'Request timed out');
    case 'invalid-request':
      return apiError(400, 'invalid_request_error', 'messages.0.content: Input should be a valid list');
    case 'spend-limit-400':
      return apiError(
        400,
        'invalid_request_error',
        'You have reached your specified API usage limits. You will regain access on 2026-11-01 at 00:00 UTC.',
      );
    case 'echo-key':
      // A misbehaving upstream that repeats the credential: the action must never post or log it.
      return apiError(500, 'api_error', `Internal server error while authorising key ${exchange.apiKey}`);
    case 'proxy-html-502':
      return sendProxyPage(res, now, options.sizeBytes ?? DEFAULT_PROXY_PAGE_BYTES, options.status ?? 502);
    case 'conflict':
      return apiError(409, 'conflict_error', 'Conflict: the request conflicted with another one. Try again.');
    case 'request-too-large':
      // Sent by the CDN before the API sees the request: HTML, no request-id (FIELD-NOTES).
      return sendRaw(
        res,
        413,
        { date: now.toUTCString(), 'content-type': 'text/html', server: 'cloudflare', 'cf-ray': cfRay() },
        '<html><head><title>413 Request Entity Too Large</title></head><body><center><h1>413 Request Entity Too Large</h1></center></body></html>\n',
      );
    case 'rate-limited-until':
      // The same 429, with retry-after as an HTTP date (RFC 9110 allows both forms).
      return apiError(
        429,
        'rate_limit_error',
        'This request would exceed the rate limit for your organization. Please wait and try again.',
        {
          ...rateLimitedHeaders(now),
          'retry-after': new Date(now.getTime() + Number(RATE_LIMIT_RETRY_AFTER_S) * 1_000).toUTCString(),
        },
      );
    case 'error-wrong-shape':
      // JSON, but not the documented error shape: a gateway of some other vendor in between.
      return sendJson(res, 500, errorHeaders(requestId, now), {
        error: 'upstream connect error or disconnect/reset before headers',
        code: 500,
      });
    case 'raw':
      return sendRaw(
        res,
        options.status ?? 200,
        { ...edgeHeaders(requestId, now), 'content-type': 'application/json', ...options.headers },
        typeof options.body === 'string' ? options.body : JSON.stringify(options.body ?? null),
      );
    case 'redirect':
      return sendRedirect(res, now, options.location ?? `${server.url}/moved/v1/messages`);
    case 'bad-json':
      return sendRaw(
        res,
        200,
        healthyHeaders(requestId, now, limits),
        JSON.stringify(messageBody(exchange, '42')).slice(0, 60),
      );
    case 'wrong-shape':
      return sendJson(res, 200, healthyHeaders(requestId, now, limits), { ok: true });
    case 'hang':
      // Accept the request and say nothing; close() destroys the socket.
      return;
    case 'reset-mid-body':
      return sendHalfThenReset(res, healthyHeaders(requestId, now, limits), messageBody(exchange, '42'));
    case 'slow':
      server.later(options.delayMs ?? 0, () => answer(server, exchange, options.then ?? 'healthy', limits));
      return;
    case 'slow-body':
      return sendBodyLater(server, exchange, options, limits);
  }
}

function canaryAnswer(prompt: string): string {
  // Answers simple arithmetic like the default canary (17 + 25); anything else gets the default's answer.
  const sum = /(-?\d+)\s*([+\-*x×])\s*(-?\d+)/.exec(prompt);
  if (!sum) return '42';
  const left = Number(sum[1]);
  const right = Number(sum[3]);
  const operator = sum[2];
  if (operator === '+') return String(left + right);
  if (operator === '-') return String(left - right);
  return String(left * right);
}

function lastUserText(body: unknown): string {
  if (!isRecord(body) || !Array.isArray(body['messages'])) return '';
  const userMessages = body['messages'].filter(
    (m): m is Record<string, unknown> => isRecord(m) && m['role'] === 'user',
  );
  const content = userMessages.at(-1)?.['content'];
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .filter((block): block is Record<string, unknown> => isRecord(block) && typeof block['text'] === 'string')
    .map((block) => block['text'] as string)
    .join('\n');
}

/** Roughly four characters a token: close enough for usage fields and rate-limit arithmetic. */
function estimateUsage(prompt: string): { input_tokens: number; output_tokens: number } {
  return { input_tokens: 8 + Math.ceil(prompt.length / 4), output_tokens: 2 };
}

function messageBody(exchange: Exchange, text: string | null): Record<string, unknown> {
  const real = REAL_200.body as Record<string, unknown>;
  const usage = estimateUsage(exchange.prompt);
  return {
    ...real,
    id: `msg_sim_${exchange.requestId.slice('req_sim_'.length)}`,
    model: exchange.model,
    content: text === null ? [] : [{ type: 'text', text }],
    stop_reason: 'end_turn',
    stop_sequence: null,
    usage: {
      ...(real['usage'] as Record<string, unknown>),
      ...usage,
      output_tokens: text === null ? 0 : usage.output_tokens,
    },
  };
}

function errorBody(type: string, message: string, requestId: string | null): ErrorBody {
  return withRequestId({ type: 'error', error: { type, message } }, requestId);
}

function realErrorBody(errorType: string): ErrorBody {
  const sample = REAL_ERROR_BODIES.find((s) => s.body.error.type === errorType);
  if (!sample) throw new Error(`no real error body of type ${errorType} in the fixtures`);
  return structuredClone(sample.body);
}

function withRequestId(body: ErrorBody, requestId: string | null): ErrorBody {
  const { request_id: _dropped, ...rest } = body;
  return requestId === null ? rest : { ...rest, request_id: requestId };
}

function realHeaders(fixture: RecordedFixture): Record<string, string> {
  return Object.fromEntries(
    Object.entries(fixture.headers).filter(([name]) => !HOP_BY_HOP.has(name.toLowerCase())),
  );
}

let rayCounter = 0;
function cfRay(): string {
  rayCounter += 1;
  return `${(0x9f00000000000000n + BigInt(rayCounter)).toString(16)}-FRA`;
}

function edgeHeaders(requestId: string, now: Date): Record<string, string> {
  return { date: now.toUTCString(), 'request-id': requestId, 'cf-ray': cfRay() };
}

function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function healthyHeaders(requestId: string, now: Date, limits: RateLimitState): Record<string, string> {
  const reset = isoSeconds(new Date(now.getTime() + 1_000));
  const remaining = (limit: number, used: number) => String(Math.max(0, limit - used));
  return {
    ...realHeaders(REAL_200),
    ...edgeHeaders(requestId, now),
    'anthropic-ratelimit-input-tokens-remaining': remaining(INPUT_TOKENS_LIMIT, limits.tokensUsed),
    'anthropic-ratelimit-input-tokens-reset': reset,
    'anthropic-ratelimit-output-tokens-remaining': remaining(OUTPUT_TOKENS_LIMIT, limits.served * 2),
    'anthropic-ratelimit-output-tokens-reset': reset,
    'anthropic-ratelimit-requests-remaining': remaining(REQUESTS_LIMIT, limits.served),
    'anthropic-ratelimit-requests-reset': reset,
    'anthropic-ratelimit-tokens-remaining': remaining(TOKENS_LIMIT, limits.tokensUsed),
    'anthropic-ratelimit-tokens-reset': reset,
    'anthropic-organization-id': SIM_ORGANIZATION_ID,
    'x-envoy-upstream-service-time': '412',
  };
}

/** The header set the real 529 carried, minus x-should-retry: the base of every JSON error. */
function errorHeaders(requestId: string, now: Date): Record<string, string> {
  const { 'x-should-retry': _retry, ...rest } = realHeaders(REAL_529);
  return { ...rest, ...edgeHeaders(requestId, now) };
}

function overloadedHeaders(requestId: string, now: Date): Record<string, string> {
  return { ...realHeaders(REAL_529), ...edgeHeaders(requestId, now) };
}

function rateLimitedHeaders(now: Date): Record<string, string> {
  const reset = isoSeconds(new Date(now.getTime() + Number(RATE_LIMIT_RETRY_AFTER_S) * 1_000));
  const fromCapture = Object.fromEntries(
    Object.entries(REAL_429.headers).filter(([name]) => name.startsWith('anthropic-ratelimit-')),
  );
  return {
    ...fromCapture,
    'anthropic-ratelimit-requests-remaining': '0',
    'anthropic-ratelimit-requests-reset': reset,
    'anthropic-ratelimit-tokens-reset': reset,
    'retry-after': RATE_LIMIT_RETRY_AFTER_S,
    'x-should-retry': 'true',
  };
}

function sendJson(res: ServerResponse, status: number, headers: Record<string, string>, body: unknown): void {
  sendRaw(res, status, headers, JSON.stringify(body));
}

function sendRaw(res: ServerResponse, status: number, headers: Record<string, string>, text: string): void {
  const bytes = Buffer.from(text, 'utf8');
  res.writeHead(status, { ...headers, 'content-length': String(bytes.length) });
  res.end(bytes);
}

/** A CDN's own error page: HTML, no request-id (the API never saw the request). */
function sendProxyPage(res: ServerResponse, now: Date, sizeBytes: number, status: number): void {
  const title = `${status} ${STATUS_CODES[status] ?? 'Bad Gateway'}`;
  const head =
    `<!DOCTYPE html>\n<html><head><title>${title}</title></head>\n<body>\n<center><h1>${title}</h1></center>\n` +
    '<p>The upstream server returned an invalid response. Ray ID: ' +
    cfRay() +
    '</p>\n';
  const tail = '<hr><center>cloudflare</center>\n</body></html>\n';
  const padding = '<!-- a padding comment to make the error page heavier -->\n';
  let filler = '';
  while (head.length + filler.length + tail.length + padding.length <= sizeBytes) filler += padding;
  sendRaw(
    res,
    status,
    { date: now.toUTCString(), 'content-type': 'text/html', server: 'cloudflare', 'cf-ray': cfRay() },
    head + filler + tail,
  );
}

function sendRedirect(res: ServerResponse, now: Date, location: string): void {
  sendRaw(
    res,
    301,
    { date: now.toUTCString(), 'content-type': 'text/html', location, server: 'cloudflare' },
    `<html><head><title>301 Moved Permanently</title></head><body><a href="${location}">Moved</a></body></html>\n`,
  );
}

/** Announces the whole body, sends half of it, then kills the socket: a connection lost mid-body. */
function sendHalfThenReset(res: ServerResponse, headers: Record<string, string>, body: unknown): void {
  const bytes = Buffer.from(JSON.stringify(body), 'utf8');
  res.writeHead(200, { ...headers, 'content-length': String(bytes.length) });
  res.write(bytes.subarray(0, Math.floor(bytes.length / 2)), () => res.socket?.destroy());
}

function sendBodyLater(
  server: LoopbackServer,
  exchange: Exchange,
  options: BehaviourOptions,
  limits: RateLimitState,
): void {
  const { res } = exchange;
  const then = options.then ?? 'healthy';
  // Capture what the follow-up behaviour would send, send its headers now and its body after the delay.
  const captured = captureResponse(exchange, then, server, limits);
  res.writeHead(captured.status, captured.headers);
  res.flushHeaders();
  server.later(options.delayMs ?? 0, () => res.end(captured.body));
}

interface CapturedResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

function captureResponse(
  exchange: Exchange,
  behaviour: Behaviour,
  server: LoopbackServer,
  limits: RateLimitState,
): CapturedResponse {
  const captured: CapturedResponse = { status: 200, headers: {}, body: Buffer.alloc(0) };
  let complete = false;
  // Only the methods sendRaw uses: behaviours that stall or break the socket cannot be captured.
  const recorder = {
    writeHead(status: number, headers: Record<string, string>) {
      captured.status = status;
      captured.headers = headers;
    },
    end(bytes: Buffer) {
      captured.body = bytes;
      complete = true;
    },
  } as unknown as ServerResponse;
  answer(server, { ...exchange, res: recorder }, behaviour, limits);
  if (!complete)
    throw new Error(`slow-body cannot delay a behaviour that never completes: ${JSON.stringify(behaviour)}`);
  return captured;
}
