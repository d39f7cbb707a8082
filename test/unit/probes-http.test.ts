/**
 * The probes' one HTTP client over real loopback HTTP: what it reports for answers, for answers cut
 * short, and for each way an exchange can fail. It never follows redirects and never retries.
 */
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startAnthropicSim, refusedUrl, type AnthropicSim } from '../../sim/anthropic.js';
import { startGitHubSim } from '../../sim/github.js';
import { closeHttp, httpRequest, type HttpRequest } from '../../src/probes/http.js';

let api: AnthropicSim;

beforeEach(async () => {
  api = await startAnthropicSim({ now: () => new Date('2026-12-03T09:00:00Z') });
});
afterEach(async () => {
  await api.close();
});
afterAll(async () => {
  await closeHttp();
});

function canary(overrides: Partial<HttpRequest> = {}): HttpRequest {
  return {
    url: `${api.url}/v1/messages`,
    method: 'POST',
    headers: {
      'x-api-key': 'sk-ant-api03-unit-test-key',
      'anthropic-version': '2023-06-01',
      'content-type': 'application/json',
    },
    body: JSON.stringify({
      model: 'claude-haiku-4-5',
      max_tokens: 10,
      messages: [{ role: 'user', content: 'Reply with only the number: what is 17 + 25?' }],
    }),
    timeoutMs: 2_000,
    maxBodyBytes: 256 * 1024,
    ...overrides,
  };
}

/** A clock that answers the given readings in order, so timings are exact. */
function scriptedClock(...readings: number[]): () => number {
  let next = 0;
  return () => readings[Math.min(next++, readings.length - 1)]!;
}

describe('httpRequest', () => {
  it('returns the status, lower-cased headers and the whole body of an answer', async () => {
    const result = await httpRequest(canary());

    expect(result.kind).toBe('response');
    if (result.kind !== 'response') return;
    expect(result.status).toBe(200);
    expect(result.headers['request-id']).toBe('req_sim_000001');
    expect(result.headers['anthropic-ratelimit-requests-limit']).toBe('1000');
    expect(Object.keys(result.headers).every((name) => name === name.toLowerCase())).toBe(true);
    expect(JSON.parse(result.body)).toMatchObject({
      type: 'message',
      content: [{ type: 'text', text: '42' }],
    });
    expect(result.truncated).toBe(false);
  });

  it('measures time to headers and total time with the injected clock', async () => {
    const result = await httpRequest(canary(), scriptedClock(1_000, 1_250, 1_400));

    expect(result).toMatchObject({ kind: 'response', timeToHeadersMs: 250, totalMs: 400 });
  });

  it('keeps only the first maxBodyBytes of a 300 KB error page and says it was truncated', async () => {
    api.setBehaviour({ kind: 'proxy-html-502', sizeBytes: 300 * 1024 });

    const result = await httpRequest(canary({ maxBodyBytes: 256 * 1024 }));

    expect(result.kind).toBe('response');
    if (result.kind !== 'response') return;
    expect(result.status).toBe(502);
    expect(result.truncated).toBe(true);
    expect(Buffer.byteLength(result.body)).toBe(256 * 1024);
    expect(result.body).toContain('<title>502 Bad Gateway</title>');
  });

  it('does not follow a redirect: the 301 and its location are the answer', async () => {
    api.setBehaviour({ kind: 'redirect', location: 'https://elsewhere.example/v1/messages' });

    const result = await httpRequest(canary());

    expect(result).toMatchObject({ kind: 'response', status: 301 });
    if (result.kind === 'response')
      expect(result.headers.location).toBe('https://elsewhere.example/v1/messages');
    expect(api.requests).toHaveLength(1);
  });

  it('reports a refused connection as a connect failure, not a timeout', async () => {
    const result = await httpRequest(canary({ url: `${await refusedUrl()}/v1/messages` }));

    expect(result).toMatchObject({
      kind: 'failure',
      phase: 'connect',
      code: 'ECONNREFUSED',
      timedOut: false,
      status: null,
      timeToHeadersMs: null,
    });
  });

  it('reports no headers within the deadline as a timed-out headers failure', async () => {
    api.setBehaviour('hang');

    const result = await httpRequest(canary({ timeoutMs: 150 }));

    expect(result).toMatchObject({ kind: 'failure', phase: 'headers', timedOut: true, status: null });
    expect(result.totalMs).toBeGreaterThanOrEqual(140);
  });

  it('reports a body still arriving at the deadline as a timed-out body failure, with the status seen', async () => {
    api.setBehaviour({ kind: 'slow-body', delayMs: 2_000 });

    const result = await httpRequest(canary({ timeoutMs: 200 }));

    expect(result).toMatchObject({ kind: 'failure', phase: 'body', timedOut: true, status: 200 });
    if (result.kind === 'failure') {
      expect(result.timeToHeadersMs).not.toBeNull();
      expect(result.headers['request-id']).toBe('req_sim_000001');
    }
  });

  it('reports a connection reset mid-body as a body failure that did not time out', async () => {
    api.setBehaviour('reset-mid-body');

    const result = await httpRequest(canary());

    expect(result).toMatchObject({ kind: 'failure', phase: 'body', timedOut: false, status: 200 });
  });

  it('reports a connection dropped before any answer as a headers failure that did not time out', async () => {
    const github = await startGitHubSim();
    try {
      github.failNext({ path: /issues$/, status: 'drop' });

      const result = await httpRequest({
        url: `${github.url}/repos/${github.owner}/${github.repo}/issues`,
        method: 'GET',
        headers: { authorization: `token ${github.token}` },
        timeoutMs: 2_000,
        maxBodyBytes: 1024,
      });

      expect(result).toMatchObject({ kind: 'failure', phase: 'headers', timedOut: false, status: null });
    } finally {
      await github.close();
    }
  });
});
