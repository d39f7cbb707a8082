/**
 * Canary requests against the simulated Messages API over real loopback HTTP: every way an exchange
 * ends becomes one sample with the evidence a person needs (status, error type, request id, headers).
 */
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startAnthropicSim, refusedUrl, type AnthropicSim, type Behaviour } from '../../sim/anthropic.js';
import type { ProbeSample } from '../../src/evidence.js';
import { closeHttp, type HttpResult } from '../../src/probes/http.js';
import {
  ANTHROPIC_VERSION,
  probeModels,
  probeOnce,
  toSample,
  type ProbeConfig,
} from '../../src/probes/messages.js';

const API_KEY = 'sk-ant-api03-Probe7UnitTestKeyValue-0123456789abcdefghijklmnopqrstuvwxyz_AA';
const NOW = new Date('2026-12-03T09:00:00Z');
const MODEL = 'claude-haiku-4-5';

/** Every rate-limit header the API sends on a success: four families, each with limit, remaining, reset. */
const RATE_LIMIT_HEADERS = ['requests', 'tokens', 'input-tokens', 'output-tokens'].flatMap((family) =>
  ['limit', 'remaining', 'reset'].map((field) => `anthropic-ratelimit-${family}-${field}`),
);

let api: AnthropicSim;

beforeEach(async () => {
  api = await startAnthropicSim({ now: () => NOW });
});
afterEach(async () => {
  await api.close();
});
afterAll(async () => {
  await closeHttp();
});

function config(overrides: Partial<ProbeConfig> = {}): ProbeConfig {
  return {
    anthropicApiKey: API_KEY,
    anthropicBaseUrl: api.url,
    requestTimeoutMs: 2_000,
    canaryPrompt: 'Reply with only the number: what is 17 + 25?',
    canaryExpect: /\b42\b/,
    ...overrides,
  };
}

async function probe(behaviour: Behaviour, overrides: Partial<ProbeConfig> = {}): Promise<ProbeSample> {
  api.setBehaviour(behaviour);
  return probeOnce(config(overrides), MODEL, 0, () => NOW);
}

describe('probeOnce', () => {
  it('sends one small Messages request with the key and the API version', async () => {
    await probe('healthy');

    expect(api.requests).toHaveLength(1);
    const sent = api.requests[0]!;
    expect(sent.method).toBe('POST');
    expect(sent.path).toBe('/v1/messages');
    expect(sent.headers['x-api-key']).toBe(API_KEY);
    expect(sent.headers['anthropic-version']).toBe(ANTHROPIC_VERSION);
    expect(sent.body).toEqual({
      model: MODEL,
      max_tokens: 10,
      messages: [{ role: 'user', content: 'Reply with only the number: what is 17 + 25?' }],
    });
  });

  it('records a correct answer with its request id and every rate-limit header', async () => {
    const sample = await probe('healthy');

    expect(sample).toMatchObject({
      model: MODEL,
      index: 0,
      startedAt: NOW.toISOString(),
      outcome: 'ok',
      httpStatus: 200,
      errorType: null,
      requestId: 'req_sim_000001',
      answer: '42',
      canaryPassed: true,
    });
    expect(Object.keys(sample.rateLimit).sort()).toEqual([...RATE_LIMIT_HEADERS].sort());
    expect(sample.rateLimit['anthropic-ratelimit-requests-limit']).toBe('1000');
    expect(sample.timeToHeadersMs).not.toBeNull();
    expect(sample.totalMs).toBeGreaterThanOrEqual(sample.timeToHeadersMs!);
  });

  it('marks a wrong answer and an empty answer as failing the canary', async () => {
    expect(await probe('wrong-answer')).toMatchObject({ outcome: 'ok', answer: '41', canaryPassed: false });
    expect(await probe('empty-answer')).toMatchObject({ outcome: 'ok', answer: '', canaryPassed: false });
  });

  it('reads a 529 as an http_error with the request id from the body and x-should-retry', async () => {
    const sample = await probe('overloaded');

    expect(sample).toMatchObject({
      outcome: 'http_error',
      httpStatus: 529,
      errorType: 'overloaded_error',
      errorMessage: 'Overloaded',
      requestId: 'req_sim_000001',
      shouldRetry: 'true',
      answer: null,
      canaryPassed: null,
    });
  });

  it('falls back to the request-id header when the error body has no request_id', async () => {
    const sample = await probe({ kind: 'server-error', olderShape: true });

    expect(sample).toMatchObject({ outcome: 'http_error', httpStatus: 500, requestId: 'req_sim_000001' });
  });

  it('keeps retry-after, x-should-retry and the exhausted limits of a 429', async () => {
    const sample = await probe('rate-limited');

    expect(sample).toMatchObject({
      outcome: 'http_error',
      httpStatus: 429,
      errorType: 'rate_limit_error',
      retryAfter: '17',
      shouldRetry: 'true',
      errorCode: null,
    });
    expect(sample.rateLimit['anthropic-ratelimit-requests-remaining']).toBe('0');
    expect(sample.rateLimit['anthropic-ratelimit-tokens-limit']).toBe('25000');
  });

  it('keeps the error code of the monthly spend cap', async () => {
    const sample = await probe('spend-cap');

    expect(sample).toMatchObject({
      httpStatus: 429,
      errorType: 'rate_limit_error',
      errorCode: 'enforced_spend_limit_reached',
      retryAfter: null,
    });
  });

  it('describes a 300 KB HTML error page by its title', async () => {
    const sample = await probe({ kind: 'proxy-html-502', sizeBytes: 300 * 1024 });

    expect(sample).toMatchObject({
      outcome: 'http_error',
      httpStatus: 502,
      errorType: null,
      errorMessage: 'non-JSON answer (text/html): 502 Bad Gateway',
      requestId: null,
    });
  });

  it('reads a redirect as a redirect, with its location, and never follows it', async () => {
    const sample = await probe({ kind: 'redirect', location: 'https://gateway.example/v1/messages' });

    expect(sample).toMatchObject({
      outcome: 'redirect',
      httpStatus: 301,
      location: 'https://gateway.example/v1/messages',
    });
    expect(api.requests).toHaveLength(1);
  });

  it('reads a 200 whose body is cut JSON, or JSON of another shape, as a bad response', async () => {
    const cut = await probe('bad-json');
    expect(cut).toMatchObject({ outcome: 'bad_response', httpStatus: 200, answer: null, canaryPassed: null });
    expect(cut.errorMessage).toMatch(/^non-JSON answer \(application\/json\)/);

    expect(await probe('wrong-shape')).toMatchObject({
      outcome: 'bad_response',
      errorMessage: 'JSON that is not a Messages response',
    });
  });

  it('reads no headers within request-timeout-ms as timeout_headers', async () => {
    const sample = await probe('hang', { requestTimeoutMs: 150 });

    expect(sample).toMatchObject({ outcome: 'timeout_headers', httpStatus: null, timeToHeadersMs: null });
  });

  it('reads a body unfinished at request-timeout-ms as timeout_body, keeping the status and request id', async () => {
    const sample = await probe({ kind: 'slow-body', delayMs: 2_000 }, { requestTimeoutMs: 200 });

    expect(sample).toMatchObject({ outcome: 'timeout_body', httpStatus: 200, requestId: 'req_sim_000001' });
  });

  it('reads a reset mid-body as connection_lost', async () => {
    expect(await probe('reset-mid-body')).toMatchObject({ outcome: 'connection_lost', httpStatus: 200 });
  });

  it('reads a refused connection as network, naming the error code', async () => {
    const sample = await probe('healthy', { anthropicBaseUrl: await refusedUrl() });

    expect(sample).toMatchObject({ outcome: 'network', errorType: 'ECONNREFUSED', httpStatus: null });
  });

  it('redacts the key when the API repeats it in an error message', async () => {
    const sample = await probe('echo-key');

    expect(sample.errorMessage).toBe('Internal server error while authorising key [REDACTED]');
    expect(JSON.stringify(sample)).not.toContain(API_KEY);
  });
});

describe('toSample', () => {
  const base = { model: MODEL, index: 2, startedAt: NOW.toISOString() };
  const response = (status: number, headers: Record<string, string>, body: string): HttpResult => ({
    kind: 'response',
    status,
    headers,
    body,
    truncated: false,
    timeToHeadersMs: 12.4,
    totalMs: 20.6,
  });

  it('prefers the request id of the body over the request-id header', () => {
    const body = JSON.stringify({
      type: 'error',
      error: { type: 'api_error', message: 'Internal server error' },
      request_id: 'req_from_body',
    });
    const sample = toSample(response(500, { 'request-id': 'req_from_header' }, body), base, config());

    expect(sample.requestId).toBe('req_from_body');
    expect(sample).toMatchObject({ timeToHeadersMs: 12, totalMs: 21, index: 2 });
  });

  it('captures Priority Tier headers with the standard rate-limit headers, and nothing else', () => {
    const headers = {
      'anthropic-ratelimit-tokens-remaining': '90000',
      'anthropic-priority-input-tokens-remaining': '0',
      'anthropic-organization-id': 'org',
      'x-envoy-upstream-service-time': '412',
    };
    const sample = toSample(response(200, headers, '{"type":"message","content":[]}'), base, config());

    expect(sample.rateLimit).toEqual({
      'anthropic-ratelimit-tokens-remaining': '90000',
      'anthropic-priority-input-tokens-remaining': '0',
    });
  });
});

/**
 * A pass-through proxy in front of the simulator that counts requests in flight at the server side:
 * from the moment a request arrives until its answer has been fully sent.
 */
async function startCountingProxy(
  target: string,
): Promise<{ url: string; maxInFlight: () => number; close: () => Promise<void> }> {
  let inFlight = 0;
  let max = 0;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    inFlight += 1;
    max = Math.max(max, inFlight);
    const upstream = httpRequest(
      `${target}${req.url ?? '/'}`,
      { method: req.method, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    res.on('close', () => (inFlight -= 1));
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    maxInFlight: () => max,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe('probeModels', () => {
  it('returns every model’s samples in input order, then sample order', async () => {
    api.setBehaviour('overloaded', 'claude-sonnet-4-5');

    const samples = await probeModels({
      ...config(),
      models: [MODEL, 'claude-sonnet-4-5'],
      samples: 3,
      concurrency: 4,
    });

    expect(samples.map((s) => [s.model, s.index, s.outcome])).toEqual([
      [MODEL, 0, 'ok'],
      [MODEL, 1, 'ok'],
      [MODEL, 2, 'ok'],
      ['claude-sonnet-4-5', 0, 'http_error'],
      ['claude-sonnet-4-5', 1, 'http_error'],
      ['claude-sonnet-4-5', 2, 'http_error'],
    ]);
  });

  it.each([1, 3])('never has more than %i request(s) in flight at the server', async (concurrency) => {
    // Answers that take a while, so that requests would pile up if nothing held them back.
    api.setBehaviour({ kind: 'slow', delayMs: 100 });
    const proxy = await startCountingProxy(api.url);
    try {
      const samples = await probeModels({
        ...config({ anthropicBaseUrl: proxy.url }),
        models: [MODEL, 'claude-sonnet-4-5'],
        samples: 4,
        concurrency,
      });

      expect(samples.every((s) => s.outcome === 'ok')).toBe(true);
      expect(api.requests).toHaveLength(8);
      expect(proxy.maxInFlight()).toBe(concurrency);
    } finally {
      await proxy.close();
    }
  });
});
