/**
 * Fuzzing the triage: thousands of seeded random mutations of the real payloads (status page and Messages
 * API) go through the parsers and the classifier. None may throw, every run ends in a verdict, and nothing
 * shaped like a key survives into the evidence. A failure names its seed; FUZZ_SEED replays another series.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Evidence, ProbeSample, StatusPageReading } from '../../src/evidence.js';
import type { HttpResult } from '../../src/probes/http.js';
import { toSample } from '../../src/probes/messages.js';
import { parseSummary } from '../../src/probes/status-page.js';
import { classify } from '../../src/verdict/classify.js';
import type { VerdictKind } from '../../src/verdict/types.js';
import { mutatePayload, prng } from '../faults/mutate.js';

/** The first seed of the series; every case uses the next one, so any case can be replayed alone. */
const FIRST_SEED = Number(process.env.FUZZ_SEED ?? 20_261_203);
const PAGE_CASES = 2_000;
const ANSWER_CASES = 2_000;
const ERROR_CASES = 1_000;

const KEY = 'sk-ant-api03-FuzzKeyThatIsOurs0123456789abcdefghij';
const KEY_SHAPE = /sk-ant-[A-Za-z0-9_-]+/;
const KINDS: readonly VerdictKind[] = ['unhealthy', 'healthy', 'inconclusive', 'config_error'];
const OPTIONS = { latencyThresholdMs: 10_000, errorRateThreshold: 0.05, statusComponents: ['k8w3r06qmzrp'] };
const PAGE_CONFIG = {
  statusPageUrl: 'https://status.claude.com',
  statusComponents: ['k8w3r06qmzrp', '0qbwn08sd68x'],
  requestTimeoutMs: 30_000,
};

function fixture(path: string): unknown {
  return JSON.parse(readFileSync(new URL(`../fixtures/${path}`, import.meta.url), 'utf8')) as unknown;
}

const PAGES = [
  fixture('real/statuspage-claude-summary-incident.json'),
  fixture('real/statuspage-claude-summary-operational.json'),
  fixture('real/statuspage-summary-full-shape.json'),
  fixture('statuspage/api-major-outage.json'),
  fixture('statuspage/console-incident.json'),
];
const MESSAGE = (fixture('real/anthropic-messages-200-with-headers.json') as { body: unknown }).body;
const ERROR_BODIES = (
  fixture('real/anthropic-error-bodies.json') as { samples: { status: number; body: unknown }[] }
).samples;

const HEALTHY_SAMPLE: ProbeSample = {
  model: 'claude-haiku-4-5',
  index: 0,
  startedAt: '2026-12-03T09:00:00.000Z',
  outcome: 'ok',
  httpStatus: 200,
  errorType: null,
  errorMessage: null,
  errorCode: null,
  requestId: 'req_fuzz',
  timeToHeadersMs: 400,
  totalMs: 420,
  retryAfter: null,
  shouldRetry: null,
  rateLimit: {},
  location: null,
  answer: '42',
  canaryPassed: true,
};

function answer(status: number, body: string, headers: Record<string, string> = {}): HttpResult {
  return {
    kind: 'response',
    status,
    headers: { 'content-type': 'application/json', 'request-id': 'req_fuzz', ...headers },
    body,
    truncated: false,
    timeToHeadersMs: 300,
    totalMs: 320,
  };
}

const READING_OK: StatusPageReading = {
  url: 'https://status.claude.com',
  ok: true,
  error: null,
  indicator: 'none',
  description: 'All Systems Operational',
  components: [],
  missingComponentIds: [],
  incidents: [],
};

function evidence(samples: ProbeSample[], statusPage: StatusPageReading): Evidence {
  return { startedAt: '2026-12-03T09:00:00.000Z', samples, statusPage };
}

/** What every sample must be, whatever came in: bounded, one line where it is logged, free of keys. */
function sampleProblems(sample: ProbeSample): string[] {
  const problems: string[] = [];
  for (const [field, value] of Object.entries(sample)) {
    const text = typeof value === 'string' ? value : JSON.stringify(value);
    if (KEY_SHAPE.test(text)) problems.push(`${field} holds a key`);
  }
  for (const field of ['errorMessage', 'errorType', 'requestId', 'retryAfter', 'answer'] as const) {
    const value = sample[field];
    if (value !== null && /[\r\n]/.test(value)) problems.push(`${field} spans lines`);
  }
  if ((sample.errorMessage?.length ?? 0) > 500) problems.push('errorMessage longer than 500 characters');
  return problems;
}

describe('fuzzing the status-page reader', () => {
  it(`reads ${PAGE_CASES} mutated real pages without throwing, and every one classifies`, () => {
    for (let n = 0; n < PAGE_CASES; n++) {
      const seed = FIRST_SEED + n;
      const random = prng(seed);
      const text = mutatePayload(PAGES[n % PAGES.length], random);
      let reading: StatusPageReading;
      try {
        reading = parseSummary(PAGE_CONFIG, text);
      } catch (error) {
        throw new Error(`seed ${seed}: parseSummary threw ${String(error)}`, { cause: error });
      }
      const verdict = classify(evidence([HEALTHY_SAMPLE], reading), OPTIONS);
      expect(KINDS, `seed ${seed}`).toContain(verdict.kind);
      expect(verdict.statusPageKnown, `seed ${seed}`).toBe(reading.ok);
      for (const incident of reading.incidents) {
        expect(incident.name, `seed ${seed}: an incident name spans lines`).not.toMatch(/[\r\n]/);
        if (incident.latestUpdate !== null)
          expect(typeof incident.latestUpdate.body, `seed ${seed}`).toBe('string');
      }
      for (const component of reading.components)
        expect(component.name, `seed ${seed}`).not.toMatch(/[\r\n]/);
    }
  });
});

describe('fuzzing the Messages reader', () => {
  it(`turns ${ANSWER_CASES} mutated real 200 answers into samples that classify`, () => {
    for (let n = 0; n < ANSWER_CASES; n++) {
      const seed = FIRST_SEED + PAGE_CASES + n;
      const random = prng(seed);
      const text = mutatePayload(MESSAGE, random);
      const sample = toSample(answer(200, text), HEALTHY_SAMPLE, {
        anthropicApiKey: KEY,
        canaryExpect: /\b42\b/,
      });
      expect(sampleProblems(sample), `seed ${seed}`).toEqual([]);
      expect(['ok', 'bad_response'], `seed ${seed}`).toContain(sample.outcome);
      const verdict = classify(evidence([sample, sample, sample], READING_OK), OPTIONS);
      expect(KINDS, `seed ${seed}`).toContain(verdict.kind);
    }
  });

  it(`turns ${ERROR_CASES} mutated real error bodies, under every documented status, into samples that classify`, () => {
    const statuses = [400, 401, 402, 403, 404, 409, 413, 429, 500, 502, 503, 504, 529];
    for (let n = 0; n < ERROR_CASES; n++) {
      const seed = FIRST_SEED + PAGE_CASES + ANSWER_CASES + n;
      const random = prng(seed);
      const real = ERROR_BODIES[n % ERROR_BODIES.length]!;
      const status = statuses[Math.floor(random() * statuses.length)]!;
      const text = mutatePayload(real.body, random);
      const retryAfter = random() < 0.5 ? mutatePayload(['Thu, 03 Dec 2026 09:00:17 GMT'], random) : '17';
      const sample = toSample(
        answer(status, text, { 'retry-after': retryAfter, date: 'Thu, 03 Dec 2026 09:00:00 GMT' }),
        HEALTHY_SAMPLE,
        { anthropicApiKey: KEY, canaryExpect: /\b42\b/ },
      );
      expect(sampleProblems(sample), `seed ${seed}`).toEqual([]);
      expect(sample.outcome, `seed ${seed}`).toBe('http_error');
      const verdict = classify(evidence([sample, HEALTHY_SAMPLE], READING_OK), OPTIONS);
      expect(KINDS, `seed ${seed}`).toContain(verdict.kind);
    }
  });
});

describe('the fuzzer itself', () => {
  it('gives the same mutation for the same seed and different ones for different seeds', () => {
    const page = PAGES[0];
    expect(mutatePayload(page, prng(7))).toBe(mutatePayload(page, prng(7)));
    const distinct = new Set(Array.from({ length: 20 }, (_, seed) => mutatePayload(page, prng(seed))));
    expect(distinct.size).toBeGreaterThan(15);
  });
});
