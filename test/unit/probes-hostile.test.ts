/**
 * What the probes keep from answers that are broken, oddly shaped or hostile: retry-after in either of
 * its forms, JSON of the wrong shape on an error status, upstream text that could forge log commands or
 * carry the key, and watched status-page components the page does not list.
 */
import { describe, expect, it } from 'vitest';
import type { HttpResult } from '../../src/probes/http.js';
import { normaliseRetryAfter, toSample } from '../../src/probes/messages.js';
import {
  missingComponentsWarning,
  parseSummary,
  type ListedComponent,
} from '../../src/probes/status-page.js';
import { singleLine } from '../../src/text/inert.js';

const KEY = 'sk-ant-api03-ProbesHostileTestKey0123456789';
const STARTED = '2026-12-03T09:00:00.000Z';
const base = { model: 'claude-haiku-4-5', index: 0, startedAt: STARTED };
const config = { anthropicApiKey: KEY, canaryExpect: /\b42\b/ };

function answer(status: number, body: string, headers: Record<string, string> = {}): HttpResult {
  return {
    kind: 'response',
    status,
    headers: { 'request-id': 'req_header', ...headers },
    body,
    truncated: false,
    timeToHeadersMs: 50,
    totalMs: 60,
  };
}

describe('retry-after', () => {
  it('keeps delay-seconds as they are', () => {
    expect(normaliseRetryAfter('17', null, STARTED)).toBe('17');
    expect(normaliseRetryAfter(' 007 ', null, STARTED)).toBe('7');
  });

  it('turns an HTTP date into the seconds from the answer’s own date until then', () => {
    expect(
      normaliseRetryAfter('Thu, 03 Dec 2026 09:00:17 GMT', 'Thu, 03 Dec 2026 09:00:00 GMT', STARTED),
    ).toBe('17');
  });

  it('counts from the request’s start when the answer has no date, and never below zero', () => {
    expect(normaliseRetryAfter('Thu, 03 Dec 2026 09:01:00 GMT', null, STARTED)).toBe('60');
    expect(normaliseRetryAfter('Thu, 03 Dec 2026 08:59:00 GMT', null, STARTED)).toBe('0');
  });

  it('keeps anything else as it was sent, rather than guessing', () => {
    expect(normaliseRetryAfter('soon', null, STARTED)).toBe('soon');
    // Date.parse would read "17.5" as a date in 2001; only the RFC 9110 form is a date here.
    expect(normaliseRetryAfter('17.5', null, STARTED)).toBe('17.5');
    expect(normaliseRetryAfter(null, null, STARTED)).toBeNull();
  });

  it('is recorded normalised in the sample of a 429', () => {
    const body = JSON.stringify({ type: 'error', error: { type: 'rate_limit_error', message: 'slow down' } });
    const sample = toSample(
      answer(429, body, {
        'retry-after': 'Thu, 03 Dec 2026 09:00:17 GMT',
        date: 'Thu, 03 Dec 2026 09:00:00 GMT',
      }),
      base,
      config,
    );
    expect(sample).toMatchObject({ outcome: 'http_error', httpStatus: 429, retryAfter: '17' });
  });
});

describe('error answers of an unexpected shape', () => {
  it('quotes JSON that is not the documented error body, keeping the request id of the header', () => {
    const sample = toSample(answer(500, '{"error":"upstream connect error","code":500}'), base, config);

    expect(sample).toMatchObject({
      outcome: 'http_error',
      httpStatus: 500,
      errorType: null,
      errorMessage: 'JSON that is not an API error: {"error":"upstream connect error","code":500}',
      requestId: 'req_header',
    });
  });

  it('reads an array, a string or null as JSON of the wrong shape, not as a crash', () => {
    for (const body of ['[1,2]', '"text"', 'null']) {
      expect(toSample(answer(502, body), base, config).errorMessage).toMatch(
        /^JSON that is not an API error: /,
      );
    }
  });

  it('keeps a documented error body whose message is missing without inventing one', () => {
    const sample = toSample(
      answer(529, '{"type":"error","error":{"type":"overloaded_error"}}'),
      base,
      config,
    );
    expect(sample).toMatchObject({ errorType: 'overloaded_error', errorMessage: null });
  });

  it('describes a 300 KB HTML page by its title, reading only its start', () => {
    const page = `<html><head><title>503 Service Unavailable</title></head><body>${'x'.repeat(300_000)}</body></html>`;
    expect(toSample(answer(503, page, { 'content-type': 'text/html' }), base, config).errorMessage).toBe(
      'non-JSON answer (text/html): 503 Service Unavailable',
    );
  });
});

describe('upstream text in a sample', () => {
  it('is one line, so that it cannot start a workflow command in the log', () => {
    const body = JSON.stringify({
      type: 'error',
      error: { type: 'invalid_request_error', message: 'bad\n::error::forged\r\n::add-mask::x' },
    });
    const sample = toSample(answer(400, body), base, config);
    expect(sample.errorMessage).toBe('bad ::error::forged ::add-mask::x');
  });

  it('never holds the key, whichever header or field echoes it', () => {
    const body = JSON.stringify({
      type: 'error',
      error: { type: 'api_error', message: `key ${KEY}` },
      request_id: KEY,
    });
    const sample = toSample(
      answer(500, body, {
        'retry-after': KEY,
        'x-should-retry': KEY,
        'anthropic-ratelimit-requests-remaining': KEY,
        location: KEY,
      }),
      base,
      config,
    );
    expect(JSON.stringify(sample)).not.toMatch(/sk-ant-/);
    expect(sample.rateLimit['anthropic-ratelimit-requests-remaining']).toBe('[REDACTED]');
  });
});

describe('status-page text', () => {
  const page = (name: string) =>
    JSON.stringify({
      status: { indicator: 'minor', description: 'Minor\nOutage' },
      components: [
        { id: 'k8w3r06qmzrp', name: `Claude API\n::error::forged`, status: 'degraded_performance' },
      ],
      incidents: [
        {
          id: 'abc',
          name,
          status: 'investigating',
          impact: 'minor',
          incident_updates: [{ status: 'investigating', body: 'line one\nline two', created_at: STARTED }],
        },
      ],
    });
  const watch = {
    statusPageUrl: 'https://status.claude.com',
    statusComponents: ['k8w3r06qmzrp'],
    requestTimeoutMs: 1,
  };

  it('keeps names and descriptions on one line, and an update’s body as written', () => {
    const reading = parseSummary(watch, page('Elevated errors\r\n::warning::forged'));

    expect(reading.incidents[0]).toMatchObject({
      name: 'Elevated errors ::warning::forged',
      latestUpdate: { body: 'line one\nline two' },
    });
    expect(reading.components[0]?.name).toBe('Claude API ::error::forged');
    expect(reading.description).toBe('Minor Outage');
  });
});

describe('watched components the page does not list', () => {
  const listed: ListedComponent[] = [
    { id: 'rwppv331jlwc', name: 'claude.ai' },
    { id: 'k8w3r06qmzrp', name: 'Claude API (api.anthropic.com)' },
  ];
  const reading = {
    url: 'https://status.claude.com',
    ok: true,
    error: null,
    indicator: 'none',
    description: null,
    components: [],
    missingComponentIds: ['zzzz0000nope'],
    incidents: [],
  };

  it('are a warning naming the input, the ids, and what the page lists instead', () => {
    expect(missingComponentsWarning(reading, listed)).toBe(
      'Input "status-components" has ids that https://status.claude.com does not list: zzzz0000nope. ' +
        'They are not watched; the page lists rwppv331jlwc (claude.ai), k8w3r06qmzrp (Claude API (api.anthropic.com)). ' +
        'Accepted: component ids from https://status.claude.com/api/v2/components.json.',
    );
  });

  it('list at most eight of the page’s components', () => {
    const many = Array.from({ length: 12 }, (_, i) => ({ id: `c${i}`, name: `Component ${i}` }));
    expect(missingComponentsWarning(reading, many)).toContain('c7 (Component 7), and 4 more.');
  });

  it('say nothing when every id was found or the page was not read', () => {
    expect(missingComponentsWarning({ ...reading, missingComponentIds: [] }, listed)).toBeNull();
    expect(missingComponentsWarning({ ...reading, ok: false }, listed)).toBeNull();
  });
});

describe('singleLine', () => {
  it('drops control and bidirectional characters and folds every line break into a space', () => {
    expect(singleLine(' a\r\n\tb\u0000c\u202Ed\n')).toBe('a bcd');
  });
});
