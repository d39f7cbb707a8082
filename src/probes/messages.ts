import type { Config } from '../config/types.js';
import type { ProbeOutcome, ProbeSample } from '../evidence.js';
import { singleLine } from '../text/inert.js';
import { redact } from '../text/redact.js';
import { httpRequest, type Clock, type HttpResult } from './http.js';

/** The API version the probe speaks; the only one Anthropic documents. */
export const ANTHROPIC_VERSION = '2023-06-01';
/** Enough for a one-number answer: the canary must stay almost free. */
export const CANARY_MAX_TOKENS = 10;
/** A proxy's HTML error page can be hundreds of KB; the start is all the evidence we need. */
const MAX_BODY_BYTES = 256 * 1024;
/** Error messages and answers are kept short: they end up in tables. */
const MAX_MESSAGE_CHARS = 500;
const MAX_ANSWER_CHARS = 200;
/** Header values worth keeping are short (ids, counts, dates); longer ones are cut. */
const MAX_HEADER_CHARS = 100;
/** How much of an HTML page is searched for its title or a line of text. */
const TITLE_SEARCH_CHARS = 16 * 1024;
/** How much of an unexpected JSON body is quoted. */
const UNEXPECTED_JSON_CHARS = 160;

export type ProbeConfig = Pick<
  Config,
  'anthropicApiKey' | 'anthropicBaseUrl' | 'requestTimeoutMs' | 'canaryPrompt' | 'canaryExpect'
>;

type ErrorBody = {
  error?: { type?: unknown; message?: unknown; details?: { error_code?: unknown } | null };
  request_id?: unknown;
};

/** `{"type":"error","error":{...}}`: the documented error body, whatever its fields hold. */
function isErrorShape(json: unknown): boolean {
  if (!json || typeof json !== 'object' || Array.isArray(json)) return false;
  const error = (json as { error?: unknown }).error;
  return typeof error === 'object' && error !== null && !Array.isArray(error);
}

function asString(value: unknown): string | null {
  return typeof value === 'string' && value.length > 0 ? value : null;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Every rate-limit header, standard and Priority Tier, by lower-case name, each value cleaned. */
function rateLimitHeaders(
  headers: Record<string, string>,
  clean: (text: string) => string,
): Record<string, string> {
  const picked: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (name.startsWith('anthropic-ratelimit-') || name.startsWith('anthropic-priority-'))
      picked[clean(name)] = clean(value);
  }
  return picked;
}

/** RFC 9110's preferred HTTP date (IMF-fixdate), e.g. `Thu, 03 Dec 2026 09:00:17 GMT`. */
const HTTP_DATE = /^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/;
const MS_PER_SECOND = 1_000;

/**
 * `retry-after` in whole seconds, whichever of its two forms was sent (RFC 9110 10.2.3): delay-seconds stay
 * as they are, an HTTP date becomes the seconds from the answer's own `date` (the server's clock; the
 * request's start when it sent none) until then, never below 0. Anything else is kept as sent.
 */
export function normaliseRetryAfter(
  raw: string | null,
  answeredAt: string | null,
  startedAt: string,
): string | null {
  if (raw === null) return null;
  const value = raw.trim();
  if (/^\d+$/.test(value)) return String(Number(value));
  if (!HTTP_DATE.test(value)) return value;
  const until = Date.parse(value);
  const answerTime = answeredAt !== null && HTTP_DATE.test(answeredAt.trim()) ? Date.parse(answeredAt) : NaN;
  const reference = Number.isNaN(answerTime) ? Date.parse(startedAt) : answerTime;
  if (Number.isNaN(until) || Number.isNaN(reference)) return value;
  return String(Math.max(0, Math.ceil((until - reference) / MS_PER_SECOND)));
}

/** A readable one-line description of a non-JSON body, e.g. a proxy's HTML page. */
function describeNonJson(body: string, contentType: string | undefined): string {
  // Only the start is searched: a title sits near the top, and a 256 KB page must not cost a full scan.
  const title = /<title[^>]*>([^<]{0,200})<\/title>/i.exec(body.slice(0, TITLE_SEARCH_CHARS))?.[1]?.trim();
  const kind = contentType?.split(';')[0]?.trim() || 'unknown content type';
  if (title) return `non-JSON answer (${kind}): ${title}`;
  const text = body
    .slice(0, TITLE_SEARCH_CHARS)
    .replace(/<[^>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return `non-JSON answer (${kind})${text ? `: ${text.slice(0, 120)}` : ', empty body'}`;
}

/** JSON that is not the documented error shape, e.g. `{"error":"upstream connect error"}` from another gateway. */
function describeUnexpectedJson(json: unknown): string {
  const text = JSON.stringify(json) ?? String(json);
  return `JSON that is not an API error: ${text.slice(0, UNEXPECTED_JSON_CHARS)}${text.length > UNEXPECTED_JSON_CHARS ? '…' : ''}`;
}

function extractAnswer(body: unknown): string | null {
  if (!body || typeof body !== 'object') return null;
  const message = body as { type?: unknown; content?: unknown };
  if (message.type !== 'message' || !Array.isArray(message.content)) return null;
  return message.content
    .filter(
      (block): block is { type: 'text'; text: string } =>
        block?.type === 'text' && typeof block.text === 'string',
    )
    .map((block) => block.text)
    .join('');
}

/** Turns one HTTP exchange into a sample. Pure apart from the regex test. */
export function toSample(
  result: HttpResult,
  base: Pick<ProbeSample, 'model' | 'index' | 'startedAt'>,
  config: Pick<ProbeConfig, 'anthropicApiKey' | 'canaryExpect'>,
): ProbeSample {
  // Redacted before it is cut (a cut key would no longer be recognised), and made one line: it is logged.
  const clean = (text: string | null, max: number): string | null =>
    text === null ? null : singleLine(redact(text, [config.anthropicApiKey])).slice(0, max);
  const sample: ProbeSample = {
    ...base,
    outcome: 'ok',
    httpStatus: null,
    errorType: null,
    errorMessage: null,
    errorCode: null,
    requestId: null,
    timeToHeadersMs: result.timeToHeadersMs === null ? null : Math.round(result.timeToHeadersMs),
    totalMs: Math.round(result.totalMs),
    retryAfter: null,
    shouldRetry: null,
    rateLimit: rateLimitHeaders(result.headers, (text) => clean(text, MAX_HEADER_CHARS) ?? ''),
    location: null,
    answer: null,
    canaryPassed: null,
  };
  sample.requestId = clean(asString(result.headers['request-id']), 200);
  sample.retryAfter = clean(
    normaliseRetryAfter(
      asString(result.headers['retry-after']),
      asString(result.headers.date),
      base.startedAt,
    ),
    MAX_HEADER_CHARS,
  );
  sample.shouldRetry = clean(asString(result.headers['x-should-retry']), 20);

  if (result.kind === 'failure') {
    sample.httpStatus = result.status;
    sample.errorType = result.code;
    sample.errorMessage = clean(result.message, MAX_MESSAGE_CHARS);
    const outcomeByPhase: Record<typeof result.phase, ProbeOutcome> = {
      connect: 'network',
      headers: result.timedOut ? 'timeout_headers' : 'connection_lost',
      body: result.timedOut ? 'timeout_body' : 'connection_lost',
    };
    sample.outcome = outcomeByPhase[result.phase];
    return sample;
  }

  sample.httpStatus = result.status;
  const json = parseJson(result.body);
  if (result.status >= 300 && result.status < 400) {
    sample.outcome = 'redirect';
    sample.location = clean(asString(result.headers.location), 300);
    return sample;
  }
  if (result.status >= 200 && result.status < 300) {
    const answer = extractAnswer(json);
    if (answer === null) {
      sample.outcome = 'bad_response';
      sample.errorMessage = clean(
        json === undefined
          ? describeNonJson(result.body, result.headers['content-type'])
          : 'JSON that is not a Messages response',
        MAX_MESSAGE_CHARS,
      );
      return sample;
    }
    sample.answer = clean(answer, MAX_ANSWER_CHARS);
    // Matched against the start only: the API answers in a few tokens, and a user's regular expression
    // must not get a proxy's megabyte to backtrack over.
    sample.canaryPassed =
      answer.trim().length > 0 && config.canaryExpect.test(answer.slice(0, MAX_ANSWER_CHARS));
    return sample;
  }

  sample.outcome = 'http_error';
  const errorBody = (json && typeof json === 'object' && !Array.isArray(json) ? json : {}) as ErrorBody;
  sample.errorType = clean(asString(errorBody.error?.type), 100);
  const documented = isErrorShape(json);
  sample.errorMessage = clean(
    asString(errorBody.error?.message) ??
      (json === undefined
        ? describeNonJson(result.body, result.headers['content-type'])
        : documented
          ? null
          : describeUnexpectedJson(json)),
    MAX_MESSAGE_CHARS,
  );
  sample.errorCode = clean(asString(errorBody.error?.details?.error_code), 100);
  sample.requestId = clean(asString(errorBody.request_id), 200) ?? sample.requestId;
  return sample;
}

/** Sends one canary request to one model. Never throws, never retries. */
export async function probeOnce(
  config: ProbeConfig,
  model: string,
  index: number,
  now: () => Date = () => new Date(),
  clock?: Clock,
): Promise<ProbeSample> {
  const startedAt = now().toISOString();
  const result = await httpRequest(
    {
      url: `${config.anthropicBaseUrl}/v1/messages`,
      method: 'POST',
      headers: {
        'x-api-key': config.anthropicApiKey,
        'anthropic-version': ANTHROPIC_VERSION,
        'content-type': 'application/json',
        'user-agent': 'claude-incident-runbook-action',
      },
      body: JSON.stringify({
        model,
        max_tokens: CANARY_MAX_TOKENS,
        messages: [{ role: 'user', content: config.canaryPrompt }],
      }),
      timeoutMs: config.requestTimeoutMs,
      maxBodyBytes: MAX_BODY_BYTES,
    },
    clock,
  );
  return toSample(result, { model, index, startedAt }, config);
}

/** Runs `tasks` with at most `limit` in flight, keeping results in task order. */
export async function runBounded<T>(tasks: Array<() => Promise<T>>, limit: number): Promise<T[]> {
  const results = new Array<T>(tasks.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < tasks.length) {
      const position = next++;
      results[position] = await tasks[position]!();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  return results;
}

/** Every model's samples, `samples` per model, with bounded concurrency across all of them. */
export async function probeModels(
  config: ProbeConfig & Pick<Config, 'models' | 'samples' | 'concurrency'>,
  now?: () => Date,
): Promise<ProbeSample[]> {
  const tasks = config.models.flatMap((model) =>
    Array.from({ length: config.samples }, (_, index) => () => probeOnce(config, model, index, now)),
  );
  return runBounded(tasks, config.concurrency);
}
