import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  DEFAULT_CANARY_PROMPT,
  refusedUrl,
  startAnthropicSim,
  type AnthropicSim,
  type Behaviour,
} from '../../sim/anthropic.js';

const real200 = readJson('real/anthropic-messages-200-with-headers.json') as {
  headers: Record<string, string>;
};
const real529 = readJson('real/anthropic-529-overloaded-headers.json') as { headers: Record<string, string> };

function readJson(path: string): unknown {
  return JSON.parse(readFileSync(new URL(`../fixtures/${path}`, import.meta.url), 'utf8'));
}

const API_KEY = 'sk-ant-api03-test-key-0000';
const NOW = new Date('2026-12-03T09:00:00Z');
let sim: AnthropicSim;

beforeEach(async () => {
  sim = await startAnthropicSim({ now: () => NOW });
});
afterEach(async () => {
  await sim.close();
});

function canaryRequest(model = 'claude-haiku-4-5', overrides: Partial<RequestInit> = {}): Promise<Response> {
  return fetch(`${sim.url}/v1/messages`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'x-api-key': API_KEY, 'anthropic-version': '2023-06-01', 'content-type': 'application/json' },
    body: JSON.stringify({
      model,
      max_tokens: 5,
      messages: [{ role: 'user', content: DEFAULT_CANARY_PROMPT }],
    }),
    ...overrides,
  });
}

/** A Messages answer or an error body, as the API sends them. */
interface ApiBody {
  type: string;
  id?: string;
  request_id?: string;
  content?: { type: string; text: string }[];
  usage?: { input_tokens: number };
  error?: { type: string; message: string; details?: unknown };
}

async function jsonOf(response: Response): Promise<ApiBody> {
  return (await response.json()) as ApiBody;
}

// Connection management headers, which Node sets itself.
const HOP_BY_HOP = ['connection', 'keep-alive', 'content-length', 'content-encoding', 'transfer-encoding'];
function headerNames(headers: Record<string, string>): string[] {
  return Object.keys(headers)
    .map((name) => name.toLowerCase())
    .filter((name) => !HOP_BY_HOP.includes(name))
    .sort();
}

describe('the Anthropic simulator when healthy', () => {
  it('answers 42 to the canary in a Messages body that echoes the requested model', async () => {
    const response = await canaryRequest('claude-haiku-4-5');
    expect(response.status).toBe(200);
    const body = await jsonOf(response);
    expect(body).toMatchObject({
      type: 'message',
      role: 'assistant',
      model: 'claude-haiku-4-5',
      content: [{ type: 'text', text: '42' }],
      stop_reason: 'end_turn',
      stop_sequence: null,
    });
    expect(body.id).toMatch(/^msg_/);
    expect(body.usage?.input_tokens).toBeGreaterThan(0);
  });

  it('sends the real header set, with a fresh request-id each time and no gzip claim', async () => {
    const first = await canaryRequest();
    const second = await canaryRequest();
    const names = [...first.headers.keys()].filter((name) => !HOP_BY_HOP.includes(name)).sort();
    expect(names).toEqual(headerNames(real200.headers));
    expect(first.headers.get('content-encoding')).toBeNull();
    expect(first.headers.get('request-id')).toMatch(/^req_sim_/);
    expect(second.headers.get('request-id')).not.toBe(first.headers.get('request-id'));
    expect(first.headers.get('date')).toBe('Thu, 03 Dec 2026 09:00:00 GMT');
  });

  it('sends rate-limit headers whose remaining counts go down', async () => {
    const first = await canaryRequest();
    const second = await canaryRequest();
    const remaining = (r: Response) => Number(r.headers.get('anthropic-ratelimit-requests-remaining'));
    expect(remaining(first)).toBe(999);
    expect(remaining(second)).toBe(998);
    expect(first.headers.get('anthropic-ratelimit-tokens-reset')).toBe('2026-12-03T09:00:01Z');
  });

  it('answers the arithmetic of a custom canary', async () => {
    const response = await fetch(`${sim.url}/v1/messages`, {
      method: 'POST',
      headers: { 'x-api-key': API_KEY, 'anthropic-version': '2023-06-01' },
      body: JSON.stringify({
        model: 'm',
        max_tokens: 5,
        messages: [{ role: 'user', content: [{ type: 'text', text: 'What is 6 * 7 minus nothing? 6 x 7' }] }],
      }),
    });
    expect((await jsonOf(response)).content?.[0]?.text).toBe('42');
  });

  it('records each request with lower-case headers, the parsed body and the model', async () => {
    await canaryRequest('claude-sonnet-4-5');
    expect(sim.requests).toHaveLength(1);
    expect(sim.requests[0]).toMatchObject({
      method: 'POST',
      path: '/v1/messages',
      model: 'claude-sonnet-4-5',
      headers: { 'x-api-key': API_KEY, 'anthropic-version': '2023-06-01' },
      body: { max_tokens: 5 },
    });
  });
});

describe('the Anthropic simulator refuses requests the real API would refuse', () => {
  it.each([
    ['a GET', { method: 'GET', body: undefined }, 404, 'not_found_error'],
    ['a missing x-api-key', { headers: { 'anthropic-version': '2023-06-01' } }, 401, 'authentication_error'],
    ['a missing anthropic-version', { headers: { 'x-api-key': API_KEY } }, 400, 'invalid_request_error'],
    [
      'a body without max_tokens',
      { body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'hi' }] }) },
      400,
      'invalid_request_error',
    ],
    ['a body that is not JSON', { body: '{"model":' }, 400, 'invalid_request_error'],
  ] as const)('answers %s with %i %s', async (_label, overrides, status, type) => {
    const response = await canaryRequest('m', overrides as RequestInit);
    expect(response.status).toBe(status);
    const body = await jsonOf(response);
    expect(body.error?.type).toBe(type);
    expect(body.request_id).toBe(response.headers.get('request-id'));
  });

  it('answers other paths with 404', async () => {
    const response = await fetch(`${sim.url}/v1/models`, { headers: { 'x-api-key': API_KEY } });
    expect(response.status).toBe(404);
  });
});

describe('the Anthropic simulator plays API errors', () => {
  it.each<[Behaviour, number, string, string | RegExp]>([
    ['overloaded', 529, 'overloaded_error', 'Overloaded'],
    ['key-rejected', 401, 'authentication_error', 'invalid x-api-key'],
    ['permission', 403, 'permission_error', /permission/],
    ['billing', 402, 'billing_error', /credit balance/],
    ['model-not-found', 404, 'not_found_error', 'model: claude-retired-1'],
    ['server-error', 500, 'api_error', 'Internal server error'],
    ['gateway-timeout', 504, 'timeout_error', /timed out/],
    ['invalid-request', 400, 'invalid_request_error', /messages/],
    ['spend-limit-400', 400, 'invalid_request_error', /^You have reached your specified API usage limits/],
    ['rate-limited', 429, 'rate_limit_error', /rate limit/],
    ['spend-cap', 429, 'rate_limit_error', /API usage limits/],
  ])('%s answers %i %s', async (behaviour, status, type, message) => {
    sim.setBehaviour(behaviour);
    const response = await canaryRequest('claude-retired-1');
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toBe('application/json');
    const body = await jsonOf(response);
    expect(body.type).toBe('error');
    expect(body.error?.type).toBe(type);
    if (typeof message === 'string') expect(body.error?.message).toBe(message);
    else expect(body.error?.message).toMatch(message);
    expect(body.request_id).toBe(response.headers.get('request-id'));
  });

  it('overloaded carries the real 529 header set, x-should-retry included', async () => {
    sim.setBehaviour('overloaded');
    const response = await canaryRequest();
    const names = [...response.headers.keys()].filter((name) => !HOP_BY_HOP.includes(name)).sort();
    expect(names).toEqual(headerNames(real529.headers));
    expect(response.headers.get('x-should-retry')).toBe('true');
  });

  it('rate-limited says when to retry and shows no requests remaining', async () => {
    sim.setBehaviour('rate-limited');
    const response = await canaryRequest();
    expect(response.headers.get('retry-after')).toBe('17');
    expect(response.headers.get('x-should-retry')).toBe('true');
    expect(response.headers.get('anthropic-ratelimit-requests-remaining')).toBe('0');
  });

  it('spend-cap names enforced_spend_limit_reached and sends no retry-after', async () => {
    sim.setBehaviour('spend-cap');
    const response = await canaryRequest();
    expect(response.headers.get('retry-after')).toBeNull();
    expect((await jsonOf(response)).error?.details).toEqual({
      error_code: 'enforced_spend_limit_reached',
    });
  });

  it('echo-key repeats the API key in the error message', async () => {
    sim.setBehaviour('echo-key');
    const response = await canaryRequest();
    expect(response.status).toBe(500);
    expect((await jsonOf(response)).error?.message).toContain(API_KEY);
  });

  it('the older shape leaves request_id out of the body but keeps the header', async () => {
    sim.setBehaviour(['older-shape', { kind: 'server-error', olderShape: true }]);
    for (const status of [529, 500]) {
      const response = await canaryRequest();
      expect(response.status).toBe(status);
      expect(response.headers.get('request-id')).toMatch(/^req_sim_/);
      expect('request_id' in (await jsonOf(response))).toBe(false);
    }
  });

  it('wrong-answer answers 41 and empty-answer answers no content', async () => {
    sim.setBehaviour(['wrong-answer', 'empty-answer']);
    expect((await jsonOf(await canaryRequest())).content).toEqual([{ type: 'text', text: '41' }]);
    const empty = await canaryRequest();
    expect(empty.status).toBe(200);
    expect((await jsonOf(empty)).content).toEqual([]);
  });
});

describe('the Anthropic simulator plays what breaks between us and the API', () => {
  it('proxy-html-502 answers an HTML page of the requested size without a request-id', async () => {
    sim.setBehaviour({ kind: 'proxy-html-502', sizeBytes: 300_000 });
    const response = await canaryRequest();
    expect(response.status).toBe(502);
    expect(response.headers.get('content-type')).toBe('text/html');
    expect(response.headers.get('request-id')).toBeNull();
    const page = await response.text();
    expect(page).toMatch(/^<!DOCTYPE html>/);
    expect(page.length).toBeGreaterThan(299_000);
    expect(page.length).toBeLessThanOrEqual(300_000);
  });

  it('redirect answers 301 with a location', async () => {
    sim.setBehaviour({ kind: 'redirect', location: 'https://example.invalid/v1/messages' });
    const response = await canaryRequest();
    expect(response.status).toBe(301);
    expect(response.headers.get('location')).toBe('https://example.invalid/v1/messages');
  });

  it('bad-json answers 200 application/json that does not parse', async () => {
    sim.setBehaviour('bad-json');
    const response = await canaryRequest();
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    const text = await response.text();
    expect(() => JSON.parse(text)).toThrow();
  });

  it('wrong-shape answers valid JSON that is not a message', async () => {
    sim.setBehaviour('wrong-shape');
    expect(await jsonOf(await canaryRequest())).toEqual({ ok: true });
  });

  it('hang never answers, and close() still returns', async () => {
    sim.setBehaviour('hang');
    await expect(canaryRequest('m', { signal: AbortSignal.timeout(50) })).rejects.toThrow();
  });

  it('reset-mid-body sends 200 headers, then breaks the connection inside the body', async () => {
    sim.setBehaviour('reset-mid-body');
    const response = await canaryRequest();
    expect(response.status).toBe(200);
    await expect(response.text()).rejects.toThrow();
  });

  it('slow delays the headers by delayMs, then answers', async () => {
    sim.setBehaviour({ kind: 'slow', delayMs: 60 });
    const started = performance.now();
    const response = await canaryRequest();
    expect(performance.now() - started).toBeGreaterThanOrEqual(55);
    expect((await jsonOf(response)).content?.[0]?.text).toBe('42');
  });

  it('slow-body sends the headers at once and the body after delayMs', async () => {
    sim.setBehaviour({ kind: 'slow-body', delayMs: 80 });
    const started = performance.now();
    const response = await canaryRequest();
    const headersAfter = performance.now() - started;
    await response.text();
    const bodyAfter = performance.now() - started;
    // Measured as a gap: headers and body are separated by about delayMs, whatever the machine's load.
    expect(bodyAfter - headersAfter).toBeGreaterThanOrEqual(40);
    expect(bodyAfter).toBeGreaterThanOrEqual(75);
  });

  it('refusedUrl points at a port that refuses connections', async () => {
    const url = await refusedUrl();
    const failure = await fetch(`${url}/v1/messages`, { method: 'POST' }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(TypeError);
    expect(((failure as TypeError).cause as { code?: string }).code).toBe('ECONNREFUSED');
  });
});

describe('the Anthropic simulator scripts behaviours per model and per request', () => {
  it('cycles through an array, each model keeping its own place', async () => {
    sim.setBehaviour(['overloaded', 'healthy']);
    const statuses = [];
    for (const model of ['a', 'b', 'a', 'b', 'a']) statuses.push((await canaryRequest(model)).status);
    expect(statuses).toEqual([529, 529, 200, 200, 529]);
  });

  it('applies a model-specific behaviour to that model only', async () => {
    sim.setBehaviour('model-not-found', 'claude-haiku-4-20250514');
    expect((await canaryRequest('claude-haiku-4-20250514')).status).toBe(404);
    expect((await canaryRequest('claude-haiku-4-5')).status).toBe(200);
  });
});
