/**
 * The classifier: evidence in, verdict out. Pure: no I/O, no clock. The rules are documented, row by
 * row, in docs/classification.md; keep the two in step.
 */
import type {
  Evidence,
  ProbeSample,
  StatusIncident,
  StatusPageReading,
  WatchedComponent,
} from '../evidence.js';
import { modelStats, reachedApi, succeeded } from './stats.js';
import { diagnosisRank, severityRank } from './types.js';
import type { Diagnosis, Finding, ModelStats, ModelVerdict, Severity, Verdict } from './types.js';

export interface ClassifyOptions {
  latencyThresholdMs: number;
  /** Fraction of requests that reached the API, 0..1: at or above it failures are P2, below it P3. */
  errorRateThreshold: number;
  /** Status-page component ids to watch. */
  statusComponents: string[];
}

/** What one sample says, before any counting. */
export type SampleCause =
  | { kind: 'success' }
  /** Never reached the API: the runner's network. */
  | { kind: 'unreached' }
  /** Our probe or configuration is wrong: no incident, the run fails. `problem` says what to fix. */
  | { kind: 'config'; problem: string }
  | { kind: 'failure'; diagnosis: Diagnosis };

/** `error.details.error_code` of the monthly spend cap (API docs, rate limits page). */
const SPEND_CAP_ERROR_CODE = 'enforced_spend_limit_reached';

/**
 * Message of a 400 when the organisation's self-set usage limit is reached ("You have reached your
 * specified API usage limits"), and of the 429 spend cap ("You have reached your API usage limits").
 */
const USAGE_LIMIT_MESSAGE = /reached your (specified )?API usage limits/i;

/**
 * Message of the 400 the API sends when prepaid credit is used up ("Your credit balance is too low to
 * access the Anthropic API..."): a billing problem, not a malformed probe.
 */
const CREDIT_EXHAUSTED_MESSAGE = /credit balance is too low/i;

/** The message of the 404 for an unknown or retired model: `model: claude-haiku-4-20250514`. */
const MODEL_NOT_FOUND_MESSAGE = /\bmodel\b/i;

const HTTP_BAD_REQUEST = 400;
const HTTP_UNAUTHORIZED = 401;
const HTTP_PAYMENT_REQUIRED = 402;
const HTTP_FORBIDDEN = 403;
const HTTP_NOT_FOUND = 404;
const HTTP_TOO_MANY_REQUESTS = 429;
const HTTP_GATEWAY_TIMEOUT = 504;
/** Anthropic's own status for "overloaded for everyone". */
const HTTP_OVERLOADED = 529;

/** Causes that, when every reached request fails with them, mean the API is unusable for us: P1. */
const OUTAGE_OR_ACCESS_CAUSES: ReadonlySet<Diagnosis> = new Set<Diagnosis>([
  'server_error',
  'overloaded',
  'timeout',
  'key_rejected',
  'billing',
  'spend_limit',
  'model_unavailable',
]);

/** Statuspage component statuses (Statuspage API v2) and the severity each one means for our users. */
const COMPONENT_SEVERITY: Readonly<Record<string, Severity | null>> = {
  operational: null,
  major_outage: 'P1',
  partial_outage: 'P2',
  degraded_performance: 'P3',
};
const COMPONENT_UNDER_MAINTENANCE = 'under_maintenance';

/** Incidents in these states are over; an "unresolved" list should not hold them, but do not trust it. */
const FINISHED_INCIDENT_STATUSES: ReadonlySet<string> = new Set(['resolved', 'postmortem', 'completed']);
/** Scheduled maintenance shows as an incident with this impact: information, not an incident of ours. */
const MAINTENANCE_IMPACT = 'maintenance';

const MS_PER_SECOND = 1000;

export function causeOf(sample: ProbeSample): SampleCause {
  switch (sample.outcome) {
    case 'ok':
      return { kind: 'success' };
    case 'network':
      return { kind: 'unreached' };
    case 'redirect':
      return {
        kind: 'config',
        problem:
          `${sample.model}: the base URL answered ${sample.httpStatus ?? 'a redirect'} redirecting to ` +
          `${sample.location ?? '(no location header)'}; set anthropic-base-url to the address that serves the API ` +
          `(the action never follows redirects, they would send the API key elsewhere)`,
      };
    case 'timeout_headers':
    case 'timeout_body':
      return { kind: 'failure', diagnosis: 'timeout' };
    case 'connection_lost':
    case 'bad_response':
      return { kind: 'failure', diagnosis: 'server_error' };
    case 'http_error':
      return causeOfStatus(sample);
  }
}

function isSpendLimit(sample: ProbeSample): boolean {
  return (
    sample.errorCode === SPEND_CAP_ERROR_CODE ||
    (sample.errorMessage !== null && USAGE_LIMIT_MESSAGE.test(sample.errorMessage))
  );
}

/**
 * An unknown or retired model answers 404 `not_found_error` with the message `model: <id>` (FIELD-NOTES).
 * Any other 404 (a bare "Not Found", a proxy's HTML page) means the base URL points at the wrong place.
 */
function namesAModel(sample: ProbeSample): boolean {
  return sample.errorMessage !== null && MODEL_NOT_FOUND_MESSAGE.test(sample.errorMessage);
}

function causeOfStatus(sample: ProbeSample): SampleCause {
  const failure = (diagnosis: Diagnosis): SampleCause => ({ kind: 'failure', diagnosis });
  switch (sample.httpStatus) {
    case HTTP_BAD_REQUEST:
      if (isSpendLimit(sample)) return failure('spend_limit');
      if (sample.errorMessage !== null && CREDIT_EXHAUSTED_MESSAGE.test(sample.errorMessage))
        return failure('billing');
      return {
        kind: 'config',
        problem:
          `${sample.model}: the API rejected the probe as invalid (400 ${sample.errorType ?? 'without error type'}: ` +
          `"${sample.errorMessage ?? 'no message'}"); check models, canary-prompt and anthropic-base-url`,
      };
    case HTTP_UNAUTHORIZED:
    case HTTP_FORBIDDEN:
      return failure('key_rejected');
    case HTTP_PAYMENT_REQUIRED:
      return failure('billing');
    case HTTP_NOT_FOUND:
      if (namesAModel(sample)) return failure('model_unavailable');
      return {
        kind: 'config',
        problem:
          `${sample.model}: anthropic-base-url answered 404 to POST /v1/messages without naming the model ` +
          `("${sample.errorMessage ?? 'no message'}"): it does not serve the Messages API; set it to the API root ` +
          `such as https://api.anthropic.com (the action appends /v1/messages)`,
      };
    case HTTP_TOO_MANY_REQUESTS:
      return failure(isSpendLimit(sample) ? 'spend_limit' : 'rate_limited');
    case HTTP_OVERLOADED:
      return failure('overloaded');
    case HTTP_GATEWAY_TIMEOUT:
      return failure('timeout');
    default:
      // 500, 502, 503, other 5xx, 409, 413 and anything unexpected: the service misbehaved.
      return failure('server_error');
  }
}

// ---------------------------------------------------------------------------------------------------
// Wording: reasons are sentences with figures.

/** How a failed sample is named in a breakdown, e.g. "529 overloaded_error". */
function failureLabel(sample: ProbeSample): string {
  switch (sample.outcome) {
    case 'timeout_headers':
      return 'no response headers within the timeout';
    case 'timeout_body':
      return 'response body incomplete at the timeout';
    case 'connection_lost':
      return 'connection lost mid-response';
    case 'bad_response':
      return `${sample.httpStatus ?? 'response'} with a body that is not a Messages response`;
    case 'network':
      return sample.errorType ?? 'unknown network error';
    default: {
      const parts = [String(sample.httpStatus ?? sample.outcome)];
      if (sample.errorType !== null) parts.push(sample.errorType);
      if (sample.errorCode !== null) parts.push(`(${sample.errorCode})`);
      return parts.join(' ');
    }
  }
}

/** "529 overloaded_error ×4, 500 api_error ×1": most frequent first, then first seen. */
function breakdown(samples: readonly ProbeSample[]): string {
  const counts = new Map<string, number>();
  for (const sample of samples) {
    const label = failureLabel(sample);
    counts.set(label, (counts.get(label) ?? 0) + 1);
  }
  return [...counts.entries()]
    .map(([label, count], firstSeen) => ({ label, count, firstSeen }))
    .sort((a, b) => b.count - a.count || a.firstSeen - b.firstSeen)
    .map(({ label, count }) => `${label} ×${count}`)
    .join(', ');
}

/** "12.4 s", "850 ms". */
function formatMs(ms: number): string {
  if (ms < MS_PER_SECOND) return `${Math.round(ms)} ms`;
  return `${Number((ms / MS_PER_SECOND).toFixed(1))} s`;
}

/** Latency over its threshold, worded so the two figures never read the same ("10 s over 10 s"). */
function formatLatencyPair(valueMs: number, thresholdMs: number): [string, string] {
  const value = formatMs(valueMs);
  const threshold = formatMs(thresholdMs);
  return value === threshold
    ? [`${Math.round(valueMs)} ms`, `${Math.round(thresholdMs)} ms`]
    : [value, threshold];
}

function formatPercent(fraction: number): string {
  return `${Number((fraction * 100).toFixed(1))}%`;
}

function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** "(retry-after 12 s; exhausted: requests)" from the 429s' headers, or '' when they say nothing. */
function rateLimitDetail(samples: readonly ProbeSample[]): string {
  const retryAfter = new Set<string>();
  const exhausted = new Set<string>();
  for (const sample of samples) {
    if (sample.retryAfter !== null) {
      const value = sample.retryAfter.trim();
      retryAfter.add(/^\d+$/.test(value) ? `${value} s` : value);
    }
    for (const [name, value] of Object.entries(sample.rateLimit)) {
      const limit = /^anthropic-(?:ratelimit|priority)-(.+)-remaining$/.exec(name);
      if (limit?.[1] !== undefined && value.trim() === '0') {
        exhausted.add(name.startsWith('anthropic-priority-') ? `priority ${limit[1]}` : limit[1]);
      }
    }
  }
  const parts: string[] = [];
  if (exhausted.size > 0) parts.push(`exhausted: ${[...exhausted].join(', ')}`);
  if (retryAfter.size > 0) parts.push(`retry-after ${[...retryAfter].join(', ')}`);
  return parts.length === 0 ? '' : ` (${parts.join('; ')})`;
}

// ---------------------------------------------------------------------------------------------------
// Probe findings, per model.

interface FailedSample {
  sample: ProbeSample;
  diagnosis: Diagnosis;
}

/** Most frequent diagnosis; ties go to the earlier entry of the Diagnosis union. */
function mostFrequent(diagnoses: readonly Diagnosis[]): Diagnosis | null {
  const counts = new Map<Diagnosis, number>();
  for (const d of diagnoses) counts.set(d, (counts.get(d) ?? 0) + 1);
  let best: Diagnosis | null = null;
  let bestCount = 0;
  for (const [d, count] of counts) {
    if (
      count > bestCount ||
      (count === bestCount && best !== null && diagnosisRank(d) < diagnosisRank(best))
    ) {
      best = d;
      bestCount = count;
    }
  }
  return best;
}

/**
 * The failure finding of a model: P1 when nothing got through because of an outage or access cause,
 * P2 at or above the error-rate threshold, P3 below it. Null when nothing failed.
 */
function failureFinding(
  model: string,
  reached: readonly ProbeSample[],
  unreachable: number,
  failures: readonly FailedSample[],
  options: ClassifyOptions,
): Finding | null {
  if (failures.length === 0) return null;
  const diagnoses = failures.map((f) => f.diagnosis);
  const failedSamples = failures.map((f) => f.sample);
  const errorRate = failures.length / reached.length;
  const total = failures.length === reached.length;
  const unreachedNote =
    unreachable > 0 ? ` (${plural(unreachable, 'more request', 'more requests')} did not reach the API)` : '';
  const outageCauses = diagnoses.filter((d) => OUTAGE_OR_ACCESS_CAUSES.has(d));
  const figures = `${failures.length} of ${plural(reached.length, 'request', 'requests')} failed`;
  const rateLimited = failures.filter((f) => f.diagnosis === 'rate_limited').map((f) => f.sample);
  const rateDetail = (d: Diagnosis): string => (d === 'rate_limited' ? rateLimitDetail(rateLimited) : '');

  if (total && outageCauses.length > 0) {
    // Nothing got through. 429s among the failures do not make it less of an outage; only an
    // all-429 run is a quota problem (P2 below).
    const diagnosis = mostFrequent(outageCauses) ?? 'server_error';
    return {
      severity: 'P1',
      diagnosis,
      model,
      reason: `${model}: ${figures}: ${breakdown(failedSamples)}${unreachedNote}`,
    };
  }
  const diagnosis = mostFrequent(diagnoses) ?? 'server_error';
  if (total) {
    return {
      severity: 'P2',
      diagnosis,
      model,
      reason: `${model}: ${figures}: ${breakdown(failedSamples)}${rateDetail(diagnosis)}${unreachedNote}`,
    };
  }
  const threshold = formatPercent(options.errorRateThreshold);
  if (errorRate >= options.errorRateThreshold) {
    return {
      severity: 'P2',
      diagnosis,
      model,
      reason:
        `${model}: ${figures} (${formatPercent(errorRate)}, at or above the ${threshold} threshold): ` +
        `${breakdown(failedSamples)}${rateDetail(diagnosis)}${unreachedNote}`,
    };
  }
  const single = new Set(diagnoses).size === 1;
  const p3Diagnosis: Diagnosis = single ? diagnosis : 'intermittent_errors';
  return {
    severity: 'P3',
    diagnosis: p3Diagnosis,
    model,
    reason:
      `${model}: ${figures} (${formatPercent(errorRate)}, under the ${threshold} threshold): ` +
      `${breakdown(failedSamples)}${rateDetail(p3Diagnosis)}${unreachedNote}`,
  };
}

/** Any 429 rate limit is P2: somebody's traffic is being refused right now. */
function rateLimitFinding(
  model: string,
  reached: readonly ProbeSample[],
  failures: readonly FailedSample[],
): Finding {
  const limited = failures.filter((f) => f.diagnosis === 'rate_limited').map((f) => f.sample);
  return {
    severity: 'P2',
    diagnosis: 'rate_limited',
    model,
    reason:
      `${model}: ${limited.length} of ${plural(reached.length, 'request', 'requests')} were rate limited: ` +
      `${breakdown(limited)}${rateLimitDetail(limited)}`,
  };
}

function slowFinding(
  model: string,
  stats: ModelStats,
  latencyCount: number,
  options: ClassifyOptions,
): Finding | null {
  if (stats.p99Ms === null || stats.p99Ms <= options.latencyThresholdMs) return null;
  const [p99, threshold] = formatLatencyPair(stats.p99Ms, options.latencyThresholdMs);
  return {
    severity: 'P2',
    diagnosis: 'slow',
    model,
    reason: `${model}: p99 latency ${p99} over the ${threshold} threshold (${plural(latencyCount, 'request', 'requests')})`,
  };
}

function qualityFinding(model: string, samples: readonly ProbeSample[]): Finding | null {
  const answered = samples.filter(succeeded);
  const wrong = answered.filter((s) => s.canaryPassed === false).length;
  if (wrong === 0) return null;
  return {
    severity: 'P4',
    diagnosis: 'degraded_quality',
    model,
    reason: `${model}: ${wrong} of ${plural(answered.length, 'answer', 'answers')} did not match canary-expect`,
  };
}

function probeFindings(
  model: string,
  samples: readonly ProbeSample[],
  stats: ModelStats,
  options: ClassifyOptions,
): Finding[] {
  const reached = samples.filter(reachedApi);
  if (reached.length === 0) return [];
  const failures: FailedSample[] = [];
  for (const sample of reached) {
    const cause = causeOf(sample);
    if (cause.kind === 'failure') failures.push({ sample, diagnosis: cause.diagnosis });
  }
  const findings: Finding[] = [];
  const failure = failureFinding(model, reached, stats.unreachable, failures, options);
  if (failure?.diagnosis === 'rate_limited') {
    // The failures are all (or mostly) 429s: that finding already tells the rate-limit story, and any
    // 429 is at least P2, even under the error-rate threshold.
    findings.push(failure.severity === 'P3' ? { ...failure, severity: 'P2' } : failure);
  } else {
    if (failure !== null) findings.push(failure);
    if (failures.some((f) => f.diagnosis === 'rate_limited'))
      findings.push(rateLimitFinding(model, reached, failures));
  }
  const latencyCount = reached.filter((s) => s.timeToHeadersMs !== null && s.totalMs !== null).length;
  const slow = slowFinding(model, stats, latencyCount, options);
  if (slow !== null) findings.push(slow);
  const quality = qualityFinding(model, samples);
  if (quality !== null) findings.push(quality);
  return findings;
}

// ---------------------------------------------------------------------------------------------------
// Status page.

interface StatusPageJudgement {
  known: boolean;
  findings: Finding[];
  notes: string[];
}

function componentLabel(component: WatchedComponent): string {
  return `${component.name} (${component.id})`;
}

function componentJudgement(component: WatchedComponent, into: StatusPageJudgement): void {
  if (component.status === COMPONENT_UNDER_MAINTENANCE) {
    into.notes.push(
      `Status page: ${componentLabel(component)} is under_maintenance (not counted as an incident)`,
    );
    return;
  }
  if (!Object.hasOwn(COMPONENT_SEVERITY, component.status)) {
    into.notes.push(
      `Status page: ${componentLabel(component)} reports an unknown status "${component.status}" (not counted)`,
    );
    return;
  }
  const severity = COMPONENT_SEVERITY[component.status] ?? null;
  if (severity === null) return;
  into.findings.push({
    severity,
    diagnosis: 'upstream_incident',
    model: null,
    reason: `Status page: ${componentLabel(component)} is ${component.status}`,
  });
}

function incidentJudgement(incident: StatusIncident, into: StatusPageJudgement): void {
  if (!incident.touchesWatched || FINISHED_INCIDENT_STATUSES.has(incident.status)) return;
  if (incident.impact === MAINTENANCE_IMPACT) {
    into.notes.push(`Status page: scheduled maintenance "${incident.name}" is ${incident.status}`);
    return;
  }
  const since = incident.startedAt !== null ? ` since ${incident.startedAt}` : '';
  const link = incident.shortlink !== null ? `: ${incident.shortlink}` : '';
  const scope = incident.componentIds.length === 0 ? ', naming no component' : '';
  into.findings.push({
    // The incident's own impact does not raise the severity: component status does (Anthropic tags
    // incidents broadly and sometimes on nothing at all).
    severity: 'P3',
    diagnosis: 'upstream_incident',
    model: null,
    reason: `Status page incident "${incident.name}" is ${incident.status} (impact ${incident.impact}${scope})${since}${link}`,
  });
}

function judgeStatusPage(page: StatusPageReading, watchedIds: readonly string[]): StatusPageJudgement {
  const judgement: StatusPageJudgement = { known: page.ok, findings: [], notes: [] };
  if (!page.ok) {
    judgement.notes.push(`status page unknown: ${page.error ?? 'no reason given'}`);
    return judgement;
  }
  const watched = new Set(watchedIds);
  for (const component of page.components) {
    if (watched.has(component.id)) componentJudgement(component, judgement);
  }
  if (page.missingComponentIds.length > 0) {
    judgement.notes.push(
      `Status page: watched component ids not found on ${page.url}: ${page.missingComponentIds.join(', ')} ` +
        `(check status-components)`,
    );
  }
  for (const incident of page.incidents) incidentJudgement(incident, judgement);
  return judgement;
}

// ---------------------------------------------------------------------------------------------------
// The verdict.

function compareFindings(a: Finding, b: Finding): number {
  return (
    severityRank(a.severity) - severityRank(b.severity) ||
    diagnosisRank(a.diagnosis) - diagnosisRank(b.diagnosis)
  );
}

/** Most severe first, ties by the Diagnosis union's order; Array.prototype.sort is stable. */
function sortFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort(compareFindings);
}

function groupByModel(samples: readonly ProbeSample[]): Map<string, ProbeSample[]> {
  const byModel = new Map<string, ProbeSample[]>();
  for (const sample of samples) {
    const list = byModel.get(sample.model);
    if (list === undefined) byModel.set(sample.model, [sample]);
    else list.push(sample);
  }
  return byModel;
}

function modelVerdict(stats: ModelStats, findings: readonly Finding[]): ModelVerdict {
  const sorted = sortFindings(findings);
  const head = sorted[0];
  return {
    model: stats.model,
    severity: head?.severity ?? null,
    diagnosis: head?.diagnosis ?? null,
    stats,
    findings: sorted,
  };
}

function unique(lines: readonly string[]): string[] {
  return [...new Set(lines)];
}

function networkNote(samples: readonly ProbeSample[]): string {
  return (
    `No request reached the API: ${plural(samples.length, 'request', 'requests')} failed on the runner's network ` +
    `(${breakdown(samples)}). This says nothing about the Claude API; check the runner's DNS, proxy and firewall`
  );
}

function statusReadabilityNote(page: StatusPageReading): string {
  if (!page.ok) return `status page unknown: ${page.error ?? 'no reason given'}`;
  const indicator = page.indicator === null ? '' : ` (indicator ${page.indicator})`;
  const description = page.description === null ? '' : `: ${page.description}`;
  return `The status page was readable${indicator}${description}`;
}

export function classify(evidence: Evidence, options: ClassifyOptions): Verdict {
  const byModel = groupByModel(evidence.samples);
  const statsByModel = new Map<string, ModelStats>();
  for (const [model, samples] of byModel) statsByModel.set(model, modelStats(model, samples));
  const status = judgeStatusPage(evidence.statusPage, options.statusComponents);
  const quietModels = (): ModelVerdict[] =>
    [...statsByModel.values()].map((stats) => modelVerdict(stats, []));
  const noIncident = (kind: 'config_error' | 'inconclusive', notes: string[]): Verdict => ({
    kind,
    severity: null,
    diagnosis: null,
    findings: [],
    models: quietModels(),
    statusPageKnown: status.known,
    notes,
  });

  const configProblems: string[] = [];
  for (const sample of evidence.samples) {
    const cause = causeOf(sample);
    if (cause.kind === 'config') configProblems.push(cause.problem);
  }
  if (configProblems.length > 0) {
    return noIncident('config_error', [
      'Configuration error, not an incident: fix the inputs named below and run again',
      ...unique(configProblems),
      ...status.notes,
    ]);
  }

  if (!evidence.samples.some(reachedApi)) {
    // What the status page says is still worth reading, but it cannot make a run unhealthy on its own
    // when our own view is blind: the findings become notes.
    const notes = [
      networkNote(evidence.samples),
      statusReadabilityNote(evidence.statusPage),
      ...status.findings.map((f) => f.reason),
    ];
    return noIncident('inconclusive', unique([...notes, ...status.notes]));
  }

  const notes: string[] = [];
  const models: ModelVerdict[] = [];
  for (const [model, samples] of byModel) {
    const stats = statsByModel.get(model) ?? modelStats(model, samples);
    if (!samples.some(reachedApi)) {
      notes.push(
        `${model}: no request reached the API (${breakdown(samples)}) while other models did; ` +
          `not counted as an incident`,
      );
    }
    models.push(modelVerdict(stats, probeFindings(model, samples, stats, options)));
  }
  const findings = sortFindings([...models.flatMap((m) => m.findings), ...status.findings]);
  const head = findings[0];
  return {
    kind: head === undefined ? 'healthy' : 'unhealthy',
    severity: head?.severity ?? null,
    diagnosis: head?.diagnosis ?? null,
    findings,
    models,
    statusPageKnown: status.known,
    notes: [...notes, ...status.notes],
  };
}
