/**
 * Builders for the incident tests (markers, memory, render, plan). Samples carry real api.anthropic.com
 * answers (error types, messages, request ids and rate-limit headers from test/fixtures/real); verdicts
 * come from the real classifier, so the issue is rendered from the same data a run produces.
 */
import { readFixtureJson } from '../../sim/fixtures.js';
import type { Evidence, ProbeSample, StatusIncident, StatusPageReading } from '../../src/evidence.js';
import type { IncidentIssue } from '../../src/incident/types.js';
import type { PlanConfig } from '../../src/incident/plan.js';
import { classify } from '../../src/verdict/classify.js';
import type { Verdict } from '../../src/verdict/types.js';

export const HAIKU = 'claude-haiku-4-5';
export const SONNET = 'claude-sonnet-4-5';
export const CLAUDE_API = 'k8w3r06qmzrp';
export const API_KEY =
  'sk-ant-api03-T3stK3y_notReal-0123456789abcdefghijklmnopqrstuvwxyzABCDEFG-hijklmnopQRSTUV';
export const GITHUB_TOKEN = 'ghs_testTokenNotReal0123456789abcdefghij';
export const RUN_URL = 'https://github.com/acme/api/actions/runs/1234567890';

/** Real request ids of 529 overloaded answers (anthropic-error-bodies.json, anthropic-529-overloaded-headers.json). */
export const OVERLOADED_IDS = [
  'req_011CZAYNHHZc2dXw6vchbkhw',
  'req_01ICfHarEhQMSJqNvS9fBxcw',
  'req_01RCc7MbLyQNtGKzBTv8VCep',
];

interface HeadersFixture {
  status: number;
  headers: Record<string, string>;
}

/** The anthropic-ratelimit-* headers of a real 429 (anthropic-429-headers-2024.json). */
export function realRateLimitHeaders(): Record<string, string> {
  const fixture = readFixtureJson<HeadersFixture>('real/anthropic-429-headers-2024.json');
  return Object.fromEntries(
    Object.entries(fixture.headers).filter(([name]) => name.startsWith('anthropic-ratelimit-')),
  );
}

export const CONFIG: PlanConfig = {
  models: [HAIKU],
  latencyThresholdMs: 10_000,
  errorRateThreshold: 0.5,
  recoveryRuns: 2,
  runUrl: RUN_URL,
  statusPageUrl: 'https://status.claude.com',
  anthropicApiKey: API_KEY,
  githubToken: GITHUB_TOKEN,
  labels: ['incident', 'claude-api'],
  openRuns: 2,
  reminderIntervalMs: null,
  reopenWindowMs: 60 * 60 * 1000,
};

export function okSample(model: string, index: number, startedAt: string): ProbeSample {
  return {
    model,
    index,
    startedAt,
    outcome: 'ok',
    httpStatus: 200,
    errorType: null,
    errorMessage: null,
    errorCode: null,
    requestId: `req_01Ok${model.length}${index}XyZ`,
    timeToHeadersMs: 420,
    totalMs: 610,
    retryAfter: null,
    shouldRetry: null,
    rateLimit: {
      'anthropic-ratelimit-requests-limit': '50',
      'anthropic-ratelimit-requests-remaining': '49',
      'anthropic-ratelimit-requests-reset': '2026-03-04T10:00:01Z',
    },
    location: null,
    answer: '42',
    canaryPassed: true,
  };
}

export function overloadedSample(
  model: string,
  index: number,
  startedAt: string,
  requestId: string,
): ProbeSample {
  return {
    ...okSample(model, index, startedAt),
    outcome: 'http_error',
    httpStatus: 529,
    errorType: 'overloaded_error',
    errorMessage: 'Overloaded',
    requestId,
    timeToHeadersMs: 180,
    totalMs: 190,
    shouldRetry: 'true',
    rateLimit: {},
    answer: null,
    canaryPassed: null,
  };
}

export function operationalPage(): StatusPageReading {
  return {
    url: 'https://status.claude.com',
    ok: true,
    error: null,
    indicator: 'none',
    description: 'All Systems Operational',
    components: [{ id: CLAUDE_API, name: 'Claude API (api.anthropic.com)', status: 'operational' }],
    missingComponentIds: [],
    incidents: [],
  };
}

export function statusIncident(overrides: Partial<StatusIncident> = {}): StatusIncident {
  return {
    id: 'x1c9sl8zkyvh',
    name: 'Raised error rates on the Messages API',
    status: 'investigating',
    impact: 'major',
    shortlink: 'https://stspg.io/x1c9sl8z',
    startedAt: '2026-03-04T09:52:00.000Z',
    componentIds: [CLAUDE_API],
    touchesWatched: true,
    latestUpdate: {
      status: 'investigating',
      body: 'We are looking into it.',
      at: '2026-03-04T09:55:00.000Z',
    },
    ...overrides,
  };
}

export function evidenceOf(
  samples: ProbeSample[],
  statusPage: StatusPageReading = operationalPage(),
): Evidence {
  return { startedAt: samples[0]?.startedAt ?? '2026-03-04T10:00:00.000Z', samples, statusPage };
}

/** Every request of every model answered 529: the runbook's P1 overloaded case. */
export function overloadedEvidence(startedAt: string, ids: readonly string[] = OVERLOADED_IDS): Evidence {
  return evidenceOf(ids.map((id, i) => overloadedSample(HAIKU, i, startedAt, id)));
}

export function healthyEvidence(startedAt: string): Evidence {
  return evidenceOf([0, 1, 2].map((i) => okSample(HAIKU, i, startedAt)));
}

export function verdictOf(evidence: Evidence, config: PlanConfig = CONFIG): Verdict {
  return classify(evidence, {
    latencyThresholdMs: config.latencyThresholdMs,
    errorRateThreshold: config.errorRateThreshold,
    statusComponents: [CLAUDE_API],
  });
}

export function issueWith(body: string, overrides: Partial<IncidentIssue> = {}): IncidentIssue {
  return {
    number: 42,
    title: 'P1 Claude API incident: API overloaded (529) on claude-haiku-4-5',
    body,
    state: 'open',
    stateReason: null,
    labels: ['incident', 'claude-api', 'severity:P1'],
    htmlUrl: 'https://github.com/acme/api/issues/42',
    locked: false,
    createdAt: '2026-03-04T10:00:05Z',
    ...overrides,
  };
}
