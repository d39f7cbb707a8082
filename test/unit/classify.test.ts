import { describe, expect, it } from 'vitest';
import type { ProbeOutcome, ProbeSample, StatusIncident, StatusPageReading } from '../../src/evidence.js';
import { classify, type ClassifyOptions } from '../../src/verdict/classify.js';
import type { Verdict } from '../../src/verdict/types.js';

// ---------------------------------------------------------------------------------------------------
// Builders. Error bodies are real api.anthropic.com answers (type, message, request id verbatim); the
// sources are listed next to each one.

const HAIKU = 'claude-haiku-4-5';
const SONNET = 'claude-sonnet-4-5';
const CLAUDE_API = 'k8w3r06qmzrp';
const CLAUDE_CONSOLE = '0qbwn08sd68x';
const RUN_STARTED = '2026-03-04T10:00:00.000Z';

const OPTIONS: ClassifyOptions = {
  latencyThresholdMs: 10_000,
  errorRateThreshold: 0.5,
  statusComponents: [CLAUDE_API],
};

interface ErrorBody {
  status: number;
  type: string;
  message: string;
  code: string | null;
  requestId: string | null;
}

const BODY = {
  /** anthropics/claude-code issue #35777 */
  overloaded: {
    status: 529,
    type: 'overloaded_error',
    message: 'Overloaded',
    code: null,
    requestId: 'req_011CZAYNHHZc2dXw6vchbkhw',
  },
  /** ITSpecialist111/ai_automation_suggester issue #153 */
  invalidKey: {
    status: 401,
    type: 'authentication_error',
    message: 'invalid x-api-key',
    code: null,
    requestId: 'req_011CYhr1kdGzCrPHfrhibMen',
  },
  /** anthropics/claude-code issue #46401 */
  retiredModel: {
    status: 404,
    type: 'not_found_error',
    message: 'model: claude-3-5-haiku-20241022',
    code: null,
    requestId: 'req_011CZvgZeMk6J8vy4QXLjytR',
  },
  /** coder/aibridge issue #56 */
  promptTooLong: {
    status: 400,
    type: 'invalid_request_error',
    message: 'prompt is too long: 205351 tokens > 200000 maximum',
    code: null,
    requestId: 'req_011CV5J4YZo4J3KLTDZgDN7S',
  },
  /** platform.claude.com rate-limits docs: the tier's monthly spend cap */
  spendCap: {
    status: 429,
    type: 'rate_limit_error',
    message:
      "You have reached your API usage limits: your organization has crossed its monthly API usage threshold, set based on your organization's API tier. You will regain access on 2026-09-01 at 00:00 UTC.",
    code: 'enforced_spend_limit_reached',
    requestId: 'req_018EeWyXxfu5pfWkrYcMdjWG',
  },
  /** anthropics/claude-code issue #38035: the organisation's self-set spend limit */
  selfSetSpendLimit: {
    status: 400,
    type: 'invalid_request_error',
    message:
      'You have reached your specified API usage limits. You will regain access on 2026-04-01 at 00:00 UTC.',
    code: null,
    requestId: 'req_011CZLrUfBVkVHn5T6EqQaf7',
  },
  /** anthropics/claude-code issue #66314 */
  creditTooLow: {
    status: 400,
    type: 'invalid_request_error',
    message:
      'Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits.',
    code: null,
    requestId: 'req_011CbrFTcXhtiMzr3s6EocF7',
  },
  /** anthropics/claude-code issue #71669 */
  rateLimit: {
    status: 429,
    type: 'rate_limit_error',
    message: "This request would exceed your account's rate limit. Please try again later.",
    code: null,
    requestId: 'req_011CcR9mkMvXdaiWP4739PSN',
  },
  /** Error table of the API docs: 500 api_error. */
  internal: { status: 500, type: 'api_error', message: 'Internal server error', code: null, requestId: null },
  permission: {
    status: 403,
    type: 'permission_error',
    message: 'Your API key does not have permission to use the specified resource.',
    code: null,
    requestId: null,
  },
  billing: { status: 402, type: 'billing_error', message: 'Billing error', code: null, requestId: null },
  gatewayTimeout: {
    status: 504,
    type: 'timeout_error',
    message: 'Request timeout',
    code: null,
    requestId: null,
  },
  conflict: { status: 409, type: 'conflict_error', message: 'Conflict', code: null, requestId: null },
} satisfies Record<string, ErrorBody>;

/** Headers of a real 429 (anthropics/anthropic-sdk-typescript issue #357): the requests limit is spent. */
const RATE_LIMIT_HEADERS: Record<string, string> = {
  'anthropic-ratelimit-requests-limit': '5',
  'anthropic-ratelimit-requests-remaining': '0',
  'anthropic-ratelimit-requests-reset': '2024-03-26T20:00:00Z',
  'anthropic-ratelimit-tokens-limit': '25000',
  'anthropic-ratelimit-tokens-remaining': '16000',
  'anthropic-ratelimit-tokens-reset': '2024-03-26T20:00:00Z',
};

function startedAt(index: number): string {
  return new Date(Date.parse(RUN_STARTED) + index * 250).toISOString();
}

function okSample(model: string, index: number, extra: Partial<ProbeSample> = {}): ProbeSample {
  return {
    model,
    index,
    startedAt: startedAt(index),
    outcome: 'ok',
    httpStatus: 200,
    errorType: null,
    errorMessage: null,
    errorCode: null,
    requestId: `req_011CProbeOk${index}`,
    timeToHeadersMs: 640,
    totalMs: 700,
    retryAfter: null,
    shouldRetry: null,
    rateLimit: {
      'anthropic-ratelimit-requests-limit': '50',
      'anthropic-ratelimit-requests-remaining': '49',
    },
    location: null,
    answer: 'OK',
    canaryPassed: true,
    ...extra,
  };
}

function errorSample(
  model: string,
  index: number,
  body: ErrorBody,
  extra: Partial<ProbeSample> = {},
): ProbeSample {
  return okSample(model, index, {
    outcome: 'http_error',
    httpStatus: body.status,
    errorType: body.type,
    errorMessage: body.message,
    errorCode: body.code,
    requestId: body.requestId,
    timeToHeadersMs: 180,
    totalMs: 190,
    rateLimit: {},
    answer: null,
    canaryPassed: null,
    ...extra,
  });
}

function rateLimited(model: string, index: number): ProbeSample {
  return errorSample(model, index, BODY.rateLimit, {
    retryAfter: '12',
    shouldRetry: 'true',
    rateLimit: RATE_LIMIT_HEADERS,
  });
}

/** A proxy's 502/503 page: HTML, so no error type. */
function proxyError(model: string, index: number, status: number): ProbeSample {
  return okSample(model, index, {
    outcome: 'http_error',
    httpStatus: status,
    requestId: null,
    rateLimit: {},
    answer: null,
    canaryPassed: null,
  });
}

function transportFailure(model: string, index: number, outcome: ProbeOutcome): ProbeSample {
  const gotHeaders =
    outcome === 'timeout_body' || outcome === 'bad_response' || outcome === 'connection_lost';
  return okSample(model, index, {
    outcome,
    httpStatus: gotHeaders ? 200 : null,
    requestId: gotHeaders ? 'req_011CTransport' : null,
    timeToHeadersMs: gotHeaders ? 900 : null,
    totalMs: 30_000,
    rateLimit: {},
    answer: null,
    canaryPassed: null,
  });
}

function networkSample(model: string, index: number, code = 'ENOTFOUND'): ProbeSample {
  return okSample(model, index, {
    outcome: 'network',
    httpStatus: null,
    errorType: code,
    errorMessage: `getaddrinfo ${code} api.anthropic.com`,
    requestId: null,
    timeToHeadersMs: null,
    totalMs: 12,
    rateLimit: {},
    answer: null,
    canaryPassed: null,
  });
}

function redirectSample(model: string, index: number): ProbeSample {
  return okSample(model, index, {
    outcome: 'redirect',
    httpStatus: 301,
    requestId: null,
    rateLimit: {},
    location: 'https://gateway.example.com/v1/messages',
    answer: null,
    canaryPassed: null,
  });
}

function times(count: number, build: (index: number) => ProbeSample): ProbeSample[] {
  return Array.from({ length: count }, (_, index) => build(index));
}

function operationalPage(overrides: Partial<StatusPageReading> = {}): StatusPageReading {
  return {
    url: 'https://status.claude.com',
    ok: true,
    error: null,
    indicator: 'none',
    description: 'All Systems Operational',
    components: [{ id: CLAUDE_API, name: 'Claude API (api.anthropic.com)', status: 'operational' }],
    missingComponentIds: [],
    incidents: [],
    ...overrides,
  };
}

function pageWithApiStatus(status: string): StatusPageReading {
  return operationalPage({
    indicator: 'major',
    description: 'Major System Outage',
    components: [{ id: CLAUDE_API, name: 'Claude API (api.anthropic.com)', status }],
  });
}

function unreadablePage(error = 'HTTP 403 (challenge page)'): StatusPageReading {
  return {
    url: 'https://status.claude.com',
    ok: false,
    error,
    indicator: null,
    description: null,
    components: [],
    missingComponentIds: [],
    incidents: [],
  };
}

function incident(overrides: Partial<StatusIncident> = {}): StatusIncident {
  return {
    id: 'x1y2z3incident',
    name: 'Raised error rates on the Messages API',
    status: 'investigating',
    impact: 'critical',
    shortlink: 'https://stspg.io/abc123',
    startedAt: '2026-03-04T09:41:00.000Z',
    componentIds: [CLAUDE_API],
    touchesWatched: true,
    latestUpdate: { status: 'investigating', body: 'Looking into it.', at: '2026-03-04T09:41:00.000Z' },
    ...overrides,
  };
}

function run(samples: ProbeSample[], page = operationalPage(), options = OPTIONS): Verdict {
  return classify({ startedAt: RUN_STARTED, samples, statusPage: page }, options);
}

function headline(verdict: Verdict): [string, string | null, string | null] {
  return [verdict.kind, verdict.severity, verdict.diagnosis];
}

function reasons(verdict: Verdict): string[] {
  return verdict.findings.map((f) => `${f.severity} ${f.diagnosis}: ${f.reason}`);
}

// ---------------------------------------------------------------------------------------------------

describe('P1: every request that reached the API failed with an outage or access cause', () => {
  it('every request answering 529 is P1 overloaded', () => {
    const verdict = run(times(5, (i) => errorSample(HAIKU, i, BODY.overloaded)));
    expect(headline(verdict)).toEqual(['unhealthy', 'P1', 'overloaded']);
    expect(reasons(verdict)).toEqual([
      'P1 overloaded: claude-haiku-4-5: 5 of 5 requests failed: 529 overloaded_error ×5',
    ]);
  });

  it.each([
    ['401 authentication_error', BODY.invalidKey],
    ['403 permission_error', BODY.permission],
  ])('every request answering %s is P1 key_rejected', (_label, body) => {
    expect(headline(run(times(3, (i) => errorSample(HAIKU, i, body))))).toEqual([
      'unhealthy',
      'P1',
      'key_rejected',
    ]);
  });

  it('every request answering 402 billing_error is P1 billing', () => {
    expect(headline(run(times(3, (i) => errorSample(HAIKU, i, BODY.billing))))).toEqual([
      'unhealthy',
      'P1',
      'billing',
    ]);
  });

  it('a 400 saying the credit balance is too low is P1 billing, not a configuration error', () => {
    const verdict = run(times(3, (i) => errorSample(HAIKU, i, BODY.creditTooLow)));
    expect(headline(verdict)).toEqual(['unhealthy', 'P1', 'billing']);
  });

  it('every request answering 429 enforced_spend_limit_reached is P1 spend_limit and not a rate limit', () => {
    const verdict = run(times(5, (i) => errorSample(HAIKU, i, BODY.spendCap)));
    expect(headline(verdict)).toEqual(['unhealthy', 'P1', 'spend_limit']);
    expect(reasons(verdict)).toEqual([
      'P1 spend_limit: claude-haiku-4-5: 5 of 5 requests failed: 429 rate_limit_error (enforced_spend_limit_reached) ×5',
    ]);
  });

  it('a 400 saying the specified API usage limits are reached is P1 spend_limit, not a configuration error', () => {
    const verdict = run(times(5, (i) => errorSample(HAIKU, i, BODY.selfSetSpendLimit)));
    expect(headline(verdict)).toEqual(['unhealthy', 'P1', 'spend_limit']);
  });

  it('every request answering 404 for the model is P1 model_unavailable', () => {
    const verdict = run(times(2, (i) => errorSample('claude-3-5-haiku-20241022', i, BODY.retiredModel)));
    expect(headline(verdict)).toEqual(['unhealthy', 'P1', 'model_unavailable']);
    expect(verdict.findings[0]?.reason).toBe(
      'claude-3-5-haiku-20241022: 2 of 2 requests failed: 404 not_found_error ×2',
    );
  });

  it('a 404 that names no model is a configuration error pointing at anthropic-base-url, not an outage', () => {
    const wrongPath = {
      status: 404,
      type: 'not_found_error',
      message: 'Not Found',
      code: null,
      requestId: null,
    };
    const verdict = run(times(3, (i) => errorSample(HAIKU, i, wrongPath)));

    expect(headline(verdict)).toEqual(['config_error', null, null]);
    expect(verdict.notes).toContain(
      `${HAIKU}: anthropic-base-url answered 404 to POST /v1/messages without naming the model ("Not Found"): ` +
        'it does not serve the Messages API; set it to the API root such as https://api.anthropic.com ' +
        '(the action appends /v1/messages)',
    );
  });

  it.each([
    ['500 api_error', (i: number) => errorSample(HAIKU, i, BODY.internal), '500 api_error ×3'],
    ['a proxy 502', (i: number) => proxyError(HAIKU, i, 502), '502 ×3'],
    ['a proxy 503', (i: number) => proxyError(HAIKU, i, 503), '503 ×3'],
    ['409 conflict_error', (i: number) => errorSample(HAIKU, i, BODY.conflict), '409 conflict_error ×3'],
    ['413 from the CDN', (i: number) => proxyError(HAIKU, i, 413), '413 ×3'],
    ['an unexpected 418', (i: number) => proxyError(HAIKU, i, 418), '418 ×3'],
    [
      'a connection lost mid-body',
      (i: number) => transportFailure(HAIKU, i, 'connection_lost'),
      'connection lost mid-response ×3',
    ],
    [
      'a 200 with a malformed body',
      (i: number) => transportFailure(HAIKU, i, 'bad_response'),
      '200 with a body that is not a Messages response ×3',
    ],
  ])('every request failing with %s is P1 server_error', (_label, build, figures) => {
    const verdict = run(times(3, build));
    expect(headline(verdict)).toEqual(['unhealthy', 'P1', 'server_error']);
    expect(verdict.findings[0]?.reason).toBe(`claude-haiku-4-5: 3 of 3 requests failed: ${figures}`);
  });

  it.each([
    ['504 timeout_error', (i: number) => errorSample(HAIKU, i, BODY.gatewayTimeout)],
    ['no headers before the timeout', (i: number) => transportFailure(HAIKU, i, 'timeout_headers')],
    ['a body still incomplete at the timeout', (i: number) => transportFailure(HAIKU, i, 'timeout_body')],
  ])('every request failing with %s is P1 timeout', (_label, build) => {
    expect(headline(run(times(3, build)))).toMatchObject(['unhealthy', 'P1', 'timeout']);
  });

  it('a total failure is diagnosed by its most frequent cause', () => {
    const samples = [
      ...times(3, (i) => errorSample(HAIKU, i, BODY.overloaded)),
      ...times(2, (i) => errorSample(HAIKU, i + 3, BODY.internal)),
    ];
    const verdict = run(samples);
    expect(headline(verdict)).toEqual(['unhealthy', 'P1', 'overloaded']);
    expect(verdict.findings[0]?.reason).toBe(
      'claude-haiku-4-5: 5 of 5 requests failed: 529 overloaded_error ×3, 500 api_error ×2',
    );
  });

  it('a tie between causes goes to the branch listed first in the decision tree', () => {
    const samples = [
      errorSample(HAIKU, 0, BODY.overloaded),
      errorSample(HAIKU, 1, BODY.overloaded),
      errorSample(HAIKU, 2, BODY.internal),
      errorSample(HAIKU, 3, BODY.internal),
    ];
    expect(headline(run(samples))).toEqual(['unhealthy', 'P1', 'server_error']);
  });

  it('a total failure mixing 529 and 429 is still P1 overloaded, and the 429s are reported as P2 rate_limited', () => {
    const samples = [
      ...times(3, (i) => errorSample(HAIKU, i, BODY.overloaded)),
      rateLimited(HAIKU, 3),
      rateLimited(HAIKU, 4),
    ];
    const verdict = run(samples);
    expect(headline(verdict)).toEqual(['unhealthy', 'P1', 'overloaded']);
    expect(verdict.findings.map((f) => [f.severity, f.diagnosis])).toEqual([
      ['P1', 'overloaded'],
      ['P2', 'rate_limited'],
    ]);
  });

  it('requests that never reached the API do not dilute an outage, and the reason says how many there were', () => {
    const samples = [
      networkSample(HAIKU, 0, 'ECONNRESET'),
      ...times(2, (i) => errorSample(HAIKU, i + 1, BODY.overloaded)),
    ];
    const verdict = run(samples);
    expect(headline(verdict)).toEqual(['unhealthy', 'P1', 'overloaded']);
    expect(verdict.findings[0]?.reason).toBe(
      'claude-haiku-4-5: 2 of 2 requests failed: 529 overloaded_error ×2 (1 more request did not reach the API)',
    );
  });
});

describe('P2: rate limits, slowness, and error rates at or above the threshold', () => {
  it('every request answering 429 rate_limit_error is P2 rate_limited, not P1', () => {
    const verdict = run(times(5, (i) => rateLimited(HAIKU, i)));
    expect(headline(verdict)).toEqual(['unhealthy', 'P2', 'rate_limited']);
    expect(reasons(verdict)).toEqual([
      'P2 rate_limited: claude-haiku-4-5: 5 of 5 requests failed: 429 rate_limit_error ×5 (exhausted: requests; retry-after 12 s)',
    ]);
  });

  it('a single 429 among successes is P2 rate_limited', () => {
    const samples = [...times(4, (i) => okSample(HAIKU, i)), rateLimited(HAIKU, 4)];
    const verdict = run(samples);
    expect(headline(verdict)).toEqual(['unhealthy', 'P2', 'rate_limited']);
    expect(verdict.findings).toHaveLength(1);
    expect(verdict.findings[0]?.reason).toBe(
      'claude-haiku-4-5: 1 of 5 requests failed (20%, under the 50% threshold): 429 rate_limit_error ×1 (exhausted: requests; retry-after 12 s)',
    );
  });

  it('a 429 among other failures adds a P2 rate_limited finding next to the error-rate finding', () => {
    const samples = [
      ...times(8, (i) => okSample(HAIKU, i)),
      errorSample(HAIKU, 8, BODY.internal),
      rateLimited(HAIKU, 9),
    ];
    const verdict = run(samples);
    expect(reasons(verdict)).toEqual([
      'P2 rate_limited: claude-haiku-4-5: 1 of 10 requests were rate limited: 429 rate_limit_error ×1 (exhausted: requests; retry-after 12 s)',
      'P3 intermittent_errors: claude-haiku-4-5: 2 of 10 requests failed (20%, under the 50% threshold): 500 api_error ×1, 429 rate_limit_error ×1',
    ]);
  });

  it('a p99 latency over the threshold is P2 slow', () => {
    const samples = [
      ...times(4, (i) => okSample(HAIKU, i, { totalMs: 2_100 })),
      okSample(HAIKU, 4, { timeToHeadersMs: 9_000, totalMs: 12_400 }),
    ];
    const verdict = run(samples);
    expect(headline(verdict)).toEqual(['unhealthy', 'P2', 'slow']);
    expect(verdict.findings[0]?.reason).toBe(
      'claude-haiku-4-5: p99 latency 12.4 s over the 10 s threshold (5 requests)',
    );
  });

  it('a p99 latency exactly at the threshold is not over it', () => {
    const samples = [...times(4, (i) => okSample(HAIKU, i)), okSample(HAIKU, 4, { totalMs: 10_000 })];
    expect(headline(run(samples))).toEqual(['healthy', null, null]);
  });

  it('a p99 latency just over the threshold is worded so the figures differ', () => {
    const samples = [...times(4, (i) => okSample(HAIKU, i)), okSample(HAIKU, 4, { totalMs: 10_020 })];
    expect(run(samples).findings[0]?.reason).toBe(
      'claude-haiku-4-5: p99 latency 10020 ms over the 10000 ms threshold (5 requests)',
    );
  });

  it('an error rate exactly at the threshold is P2 with its cause', () => {
    const samples = [
      ...times(3, (i) => okSample(HAIKU, i)),
      ...times(2, (i) => errorSample(HAIKU, i + 3, BODY.internal)),
    ];
    const verdict = run(samples, operationalPage(), { ...OPTIONS, errorRateThreshold: 0.4 });
    expect(headline(verdict)).toEqual(['unhealthy', 'P2', 'server_error']);
    expect(verdict.findings[0]?.reason).toBe(
      'claude-haiku-4-5: 2 of 5 requests failed (40%, at or above the 40% threshold): 500 api_error ×2',
    );
  });

  it('an error rate over the threshold that is not total is P2 with the most frequent cause', () => {
    const samples = [
      okSample(HAIKU, 0),
      errorSample(HAIKU, 1, BODY.overloaded),
      errorSample(HAIKU, 2, BODY.overloaded),
      errorSample(HAIKU, 3, BODY.internal),
    ];
    const verdict = run(samples);
    expect(headline(verdict)).toEqual(['unhealthy', 'P2', 'overloaded']);
    expect(verdict.findings[0]?.reason).toBe(
      'claude-haiku-4-5: 3 of 4 requests failed (75%, at or above the 50% threshold): 529 overloaded_error ×2, 500 api_error ×1',
    );
  });
});

describe('P3 and P4: some requests failing, wrong answers', () => {
  it('an error rate under the threshold with a single cause is P3 with that cause', () => {
    const samples = [...times(4, (i) => okSample(HAIKU, i)), errorSample(HAIKU, 4, BODY.overloaded)];
    const verdict = run(samples);
    expect(headline(verdict)).toEqual(['unhealthy', 'P3', 'overloaded']);
    expect(verdict.findings[0]?.reason).toBe(
      'claude-haiku-4-5: 1 of 5 requests failed (20%, under the 50% threshold): 529 overloaded_error ×1',
    );
  });

  it('an error rate under the threshold with mixed causes is P3 intermittent_errors', () => {
    const samples = [
      ...times(8, (i) => okSample(HAIKU, i)),
      errorSample(HAIKU, 8, BODY.overloaded),
      transportFailure(HAIKU, 9, 'timeout_headers'),
    ];
    expect(headline(run(samples))).toEqual(['unhealthy', 'P3', 'intermittent_errors']);
  });

  it('successful requests with wrong canary answers are P4 degraded_quality, saying how many of how many', () => {
    const samples = [
      ...times(3, (i) => okSample(HAIKU, i)),
      ...times(2, (i) => okSample(HAIKU, i + 3, { answer: '', canaryPassed: false })),
    ];
    const verdict = run(samples);
    expect(headline(verdict)).toEqual(['unhealthy', 'P4', 'degraded_quality']);
    expect(verdict.findings[0]?.reason).toBe('claude-haiku-4-5: 2 of 5 answers did not match canary-expect');
  });

  it('every request succeeding with the right answer is healthy', () => {
    const verdict = run(times(5, (i) => okSample(HAIKU, i)));
    expect(verdict).toMatchObject({
      kind: 'healthy',
      severity: null,
      diagnosis: null,
      findings: [],
      notes: [],
    });
    expect(verdict.statusPageKnown).toBe(true);
  });

  it('requests that fail on the runner network are not API errors when others reached the API', () => {
    const samples = [...times(4, (i) => okSample(HAIKU, i)), networkSample(HAIKU, 4)];
    const verdict = run(samples);
    expect(headline(verdict)).toEqual(['healthy', null, null]);
    expect(verdict.models[0]?.stats.errorRate).toBe(0);
  });
});

describe('status page', () => {
  const healthyProbes = (): ProbeSample[] => times(3, (i) => okSample(HAIKU, i));

  it.each([
    ['major_outage', 'P1'],
    ['partial_outage', 'P2'],
    ['degraded_performance', 'P3'],
  ])('a watched component in %s is %s upstream_incident', (status, severity) => {
    const verdict = run(healthyProbes(), pageWithApiStatus(status));
    expect(headline(verdict)).toEqual(['unhealthy', severity, 'upstream_incident']);
    expect(verdict.findings[0]).toEqual({
      severity,
      diagnosis: 'upstream_incident',
      model: null,
      reason: `Status page: Claude API (api.anthropic.com) (k8w3r06qmzrp) is ${status}`,
    });
  });

  it('a component that is not watched does not count, whatever its status', () => {
    const page = operationalPage({
      components: [{ id: CLAUDE_CONSOLE, name: 'Claude Console', status: 'major_outage' }],
    });
    expect(headline(run(healthyProbes(), page))).toEqual(['healthy', null, null]);
  });

  it('an unresolved incident on the watched component is P3 and named, whatever its impact', () => {
    const verdict = run(healthyProbes(), operationalPage({ indicator: 'critical', incidents: [incident()] }));
    expect(headline(verdict)).toEqual(['unhealthy', 'P3', 'upstream_incident']);
    expect(verdict.findings[0]?.reason).toBe(
      'Status page incident "Raised error rates on the Messages API" is investigating (impact critical) since 2026-03-04T09:41:00.000Z: https://stspg.io/abc123',
    );
  });

  it('an incident naming no component is counted, and the reason says so', () => {
    const page = operationalPage({
      incidents: [incident({ componentIds: [], impact: 'major', shortlink: null })],
    });
    expect(run(healthyProbes(), page).findings[0]?.reason).toBe(
      'Status page incident "Raised error rates on the Messages API" is investigating (impact major, naming no component) since 2026-03-04T09:41:00.000Z',
    );
  });

  it('a console-only incident does not concern the API watcher', () => {
    const consoleOnly = incident({
      name: 'Console login failures',
      componentIds: [CLAUDE_CONSOLE],
      touchesWatched: false,
    });
    const verdict = run(healthyProbes(), operationalPage({ indicator: 'minor', incidents: [consoleOnly] }));
    expect(headline(verdict)).toEqual(['healthy', null, null]);
    expect(verdict.notes).toEqual([]);
  });

  it('under_maintenance, unknown statuses and missing component ids are notes, never findings', () => {
    const page = operationalPage({
      components: [
        { id: CLAUDE_API, name: 'Claude API (api.anthropic.com)', status: 'under_maintenance' },
        { id: 'rwppv331jlwc', name: 'claude.ai', status: 'sunny' },
      ],
      missingComponentIds: ['zzzz00000000'],
    });
    const verdict = run(healthyProbes(), page, {
      ...OPTIONS,
      statusComponents: [CLAUDE_API, 'rwppv331jlwc', 'zzzz00000000'],
    });
    expect(headline(verdict)).toEqual(['healthy', null, null]);
    expect(verdict.notes).toEqual([
      'Status page: Claude API (api.anthropic.com) (k8w3r06qmzrp) is under_maintenance (not counted as an incident)',
      'Status page: claude.ai (rwppv331jlwc) reports an unknown status "sunny" (not counted)',
      'Status page: watched component ids not found on https://status.claude.com: zzzz00000000 (check status-components)',
    ]);
  });

  it('scheduled maintenance listed as an incident is a note, not a finding', () => {
    const maintenance = incident({
      name: 'Planned database upgrade',
      impact: 'maintenance',
      status: 'in_progress',
    });
    const verdict = run(healthyProbes(), operationalPage({ incidents: [maintenance] }));
    expect(headline(verdict)).toEqual(['healthy', null, null]);
    expect(verdict.notes).toEqual([
      'Status page: scheduled maintenance "Planned database upgrade" is in_progress',
    ]);
  });

  it('an unreadable status page is unknown, never a finding, and healthy probes stay healthy', () => {
    const verdict = run(healthyProbes(), unreadablePage());
    expect(headline(verdict)).toEqual(['healthy', null, null]);
    expect(verdict.statusPageKnown).toBe(false);
    expect(verdict.notes).toEqual(['status page unknown: HTTP 403 (challenge page)']);
  });

  it('an unreadable status page keeps the probe findings', () => {
    const verdict = run(
      times(5, (i) => errorSample(HAIKU, i, BODY.overloaded)),
      unreadablePage(),
    );
    expect(headline(verdict)).toEqual(['unhealthy', 'P1', 'overloaded']);
    expect(verdict.statusPageKnown).toBe(false);
    expect(verdict.notes).toEqual(['status page unknown: HTTP 403 (challenge page)']);
  });
});

describe('configuration errors and inconclusive runs', () => {
  it('a redirect is a config_error naming the location, and wins over an outage elsewhere', () => {
    const samples = [redirectSample(HAIKU, 0), ...times(3, (i) => errorSample(SONNET, i, BODY.overloaded))];
    const verdict = run(samples, pageWithApiStatus('major_outage'));
    expect(verdict).toMatchObject({ kind: 'config_error', severity: null, diagnosis: null, findings: [] });
    expect(verdict.notes).toContain(
      'claude-haiku-4-5: the base URL answered 301 redirecting to https://gateway.example.com/v1/messages; set anthropic-base-url to the address that serves the API (the action never follows redirects, they would send the API key elsewhere)',
    );
    expect(verdict.models.map((m) => [m.model, m.severity, m.findings.length])).toEqual([
      [HAIKU, null, 0],
      [SONNET, null, 0],
    ]);
  });

  it('a 400 that is not a spend limit is a config_error quoting the API, listed once', () => {
    const verdict = run(times(3, (i) => errorSample(HAIKU, i, BODY.promptTooLong)));
    expect(verdict.kind).toBe('config_error');
    expect(verdict.notes).toEqual([
      'Configuration error, not an incident: fix the inputs named below and run again',
      'claude-haiku-4-5: the API rejected the probe as invalid (400 invalid_request_error: "prompt is too long: 205351 tokens > 200000 maximum"); check models, canary-prompt and anthropic-base-url',
    ]);
  });

  it('requests that all fail on the runner network are inconclusive, even during a status-page outage', () => {
    const samples = [
      ...times(3, (i) => networkSample(HAIKU, i)),
      ...times(2, (i) => networkSample(SONNET, i, 'ECONNREFUSED')),
    ];
    const verdict = run(samples, pageWithApiStatus('major_outage'));
    expect(verdict).toMatchObject({ kind: 'inconclusive', severity: null, diagnosis: null, findings: [] });
    expect(verdict.notes).toEqual([
      "No request reached the API: 5 requests failed on the runner's network (ENOTFOUND ×3, ECONNREFUSED ×2). This says nothing about the Claude API; check the runner's DNS, proxy and firewall",
      'The status page was readable (indicator major): Major System Outage',
      'Status page: Claude API (api.anthropic.com) (k8w3r06qmzrp) is major_outage',
    ]);
  });

  it('an inconclusive run says when the status page could not be read either', () => {
    const verdict = run(
      times(2, (i) => networkSample(HAIKU, i)),
      unreadablePage('timeout after 5000 ms'),
    );
    expect(verdict.kind).toBe('inconclusive');
    expect(verdict.statusPageKnown).toBe(false);
    expect(verdict.notes[1]).toBe('status page unknown: timeout after 5000 ms');
    expect(verdict.notes).toHaveLength(2);
  });
});

describe('several models', () => {
  it('each model gets its own verdict and the overall verdict is the most severe', () => {
    const samples = [
      ...times(4, (i) => okSample(HAIKU, i)),
      errorSample(HAIKU, 4, BODY.internal),
      ...times(3, (i) => errorSample(SONNET, i, BODY.overloaded)),
    ];
    const verdict = run(samples);
    expect(headline(verdict)).toEqual(['unhealthy', 'P1', 'overloaded']);
    expect(verdict.models.map((m) => [m.model, m.severity, m.diagnosis])).toEqual([
      [HAIKU, 'P3', 'server_error'],
      [SONNET, 'P1', 'overloaded'],
    ]);
    expect(verdict.findings.map((f) => [f.model, f.severity])).toEqual([
      [SONNET, 'P1'],
      [HAIKU, 'P3'],
    ]);
  });

  it('equally severe findings are ordered by the decision tree, across models and the status page', () => {
    const samples = [
      ...times(2, (i) => errorSample(HAIKU, i, BODY.overloaded)),
      ...times(2, (i) => errorSample(SONNET, i, BODY.invalidKey)),
    ];
    const verdict = run(samples, pageWithApiStatus('major_outage'));
    expect(headline(verdict)).toEqual(['unhealthy', 'P1', 'key_rejected']);
    expect(verdict.findings.map((f) => f.diagnosis)).toEqual([
      'key_rejected',
      'overloaded',
      'upstream_incident',
    ]);
  });

  it('a model whose requests never reached the API is a note, not a finding, when another model did', () => {
    const samples = [
      ...times(3, (i) => okSample(HAIKU, i)),
      ...times(3, (i) => networkSample(SONNET, i, 'ETIMEDOUT')),
    ];
    const verdict = run(samples);
    expect(headline(verdict)).toEqual(['healthy', null, null]);
    expect(verdict.notes).toEqual([
      'claude-sonnet-4-5: no request reached the API (ETIMEDOUT ×3) while other models did; not counted as an incident',
    ]);
    expect(verdict.models[1]).toMatchObject({ model: SONNET, severity: null, diagnosis: null, findings: [] });
  });
});

describe('model statistics', () => {
  it('fill every field from the samples', () => {
    const samples = [
      okSample(HAIKU, 0, { totalMs: 500 }),
      okSample(HAIKU, 1, { totalMs: 900, canaryPassed: false }),
      okSample(HAIKU, 2, { totalMs: 700 }),
      errorSample(HAIKU, 3, BODY.overloaded, { totalMs: 200 }),
      transportFailure(HAIKU, 4, 'timeout_headers'),
      transportFailure(HAIKU, 5, 'timeout_body'),
      networkSample(HAIKU, 6),
    ];
    expect(run(samples).models[0]?.stats).toEqual({
      model: HAIKU,
      samples: 7,
      succeeded: 3,
      failed: 3,
      unreachable: 1,
      errorRate: 0.5,
      // Latency population: the 4 answers with headers plus the body timeout (30 s): 200, 500, 700, 900, 30000.
      p50Ms: 700,
      p99Ms: 30_000,
      canaryFailures: 1,
      statusCounts: { '200': 3, '529': 1, timeout_headers: 1, timeout_body: 1, network: 1 },
    });
  });

  it('have no latency when no request got headers', () => {
    const stats = run([transportFailure(HAIKU, 0, 'timeout_headers'), okSample(SONNET, 0)]).models[0]?.stats;
    expect(stats).toMatchObject({ p50Ms: null, p99Ms: null, errorRate: 1 });
  });
});
