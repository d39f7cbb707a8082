/**
 * Hysteresis: opening and closing are decided over a rolling window of observations, never over one
 * run. One run of 5 requests can only tell 0 %, 20 %, 40 %…, so an error rate under the runbook's 5 %
 * line is measured over the window; a single bad run does not open a P3; a single good run does not
 * close an incident that is still failing half the time. Pure: data in, data out.
 *
 * Counting uses observations (runs with a healthy or unhealthy verdict; inconclusive and configuration
 * errors are not observations). Durations use timestamps, because cron starts runs late or skips them.
 */
import { DIAGNOSES, SEVERITIES, diagnosisRank, severityRank } from '../verdict/types.js';
import type { Diagnosis, Finding, ModelVerdict, Severity, Verdict } from '../verdict/types.js';

/** What one model's requests did in one run: enough to add error rates over runs, no more. */
export interface ModelCount {
  model: string;
  /** Requests that reached the API (runner network failures excluded). */
  reached: number;
  failed: number;
}

/** One run with a verdict, as the window remembers it. */
export interface Observation {
  /** ISO time of the run. */
  at: string;
  kind: 'healthy' | 'unhealthy';
  /** Severity and diagnosis after grading by the window; null when healthy. */
  severity: Severity | null;
  diagnosis: Diagnosis | null;
  models: ModelCount[];
}

/** The rolling window and the counters for opening and closing, wherever they are stored. */
export interface History {
  /** ISO time of the newest observation: of two copies (issue, state file), the newer wins. */
  updatedAt: string;
  /** Oldest first, at most KEPT_OBSERVATIONS, none older than KEPT_AGE_MS. */
  observations: Observation[];
  /** Consecutive healthy observations ending with the newest. */
  healthyStreak: number;
  /** Consecutive unhealthy observations ending with the newest. */
  unhealthyStreak: number;
}

/** Observations kept: the largest `window-runs`, and 4 hours of a 10-minute schedule. */
export const KEPT_OBSERVATIONS = 24;
/** Observations older than a day say nothing about today's error rate. */
export const KEPT_AGE_MS = 24 * 60 * 60 * 1000;

/** A gap in monitoring is at least this long, however often the schedule runs (GitHub starts cron late). */
export const MIN_GAP_MS = 30 * 60 * 1000;
/** …and at least this many typical intervals between observations. */
const GAP_INTERVALS = 3;

/** Findings whose severity does not come from an error rate: the window does not regrade them. */
const NOT_RATE_DIAGNOSES: ReadonlySet<Diagnosis> = new Set<Diagnosis>([
  'slow',
  'rate_limited',
  'degraded_quality',
  'upstream_incident',
]);

// ---------------------------------------------------------------------------------------------------
// Observations and the window

export function countsOf(verdict: Verdict): ModelCount[] {
  return verdict.models.map((m) => ({
    model: m.model,
    reached: m.stats.samples - m.stats.unreachable,
    failed: m.stats.failed,
  }));
}

/** The observation a graded verdict makes; null for verdicts that are not observations. */
export function observationOf(verdict: Verdict, at: Date): Observation | null {
  if (verdict.kind !== 'healthy' && verdict.kind !== 'unhealthy') return null;
  return {
    at: at.toISOString(),
    kind: verdict.kind,
    severity: verdict.severity,
    diagnosis: verdict.diagnosis,
    models: countsOf(verdict),
  };
}

/** The last `runs` observations. */
export function lastRuns(observations: readonly Observation[], runs: number): Observation[] {
  return observations.slice(Math.max(0, observations.length - runs));
}

export interface WindowRate {
  runs: number;
  reached: number;
  failed: number;
  /** failed / reached; null when nothing reached the API in these runs. */
  rate: number | null;
}

/** One model's error rate over some observations. */
export function modelRate(observations: readonly Observation[], model: string): WindowRate {
  let reached = 0;
  let failed = 0;
  for (const observation of observations) {
    for (const count of observation.models) {
      if (count.model !== model) continue;
      reached += count.reached;
      failed += count.failed;
    }
  }
  return { runs: observations.length, reached, failed, rate: reached === 0 ? null : failed / reached };
}

/** The highest per-model error rate over some observations, and whose it is; null when nothing reached. */
export function worstRate(observations: readonly Observation[]): (WindowRate & { model: string }) | null {
  const models = new Set(observations.flatMap((o) => o.models.map((m) => m.model)));
  let worst: (WindowRate & { model: string }) | null = null;
  for (const model of models) {
    const rate = modelRate(observations, model);
    if (rate.rate === null) continue;
    if (worst === null || rate.rate > (worst.rate ?? 0)) worst = { ...rate, model };
  }
  return worst;
}

// ---------------------------------------------------------------------------------------------------
// Grading a run by the window

/**
 * A finding whose severity comes from the run's error rate: P2 at or above the threshold, P3 below it.
 * P1 (nothing got through), any 429, latency, quality and status-page findings are not.
 */
function isRateFinding(finding: Finding, model: ModelVerdict): boolean {
  if (finding.model !== model.model) return false;
  if (finding.severity !== 'P2' && finding.severity !== 'P3') return false;
  if (NOT_RATE_DIAGNOSES.has(finding.diagnosis)) return false;
  const reached = model.stats.samples - model.stats.unreachable;
  return model.stats.failed > 0 && model.stats.failed < reached;
}

function percent(fraction: number): string {
  return `${Number((fraction * 100).toFixed(1))}%`;
}

function compareFindings(a: Finding, b: Finding): number {
  return (
    severityRank(a.severity) - severityRank(b.severity) ||
    diagnosisRank(a.diagnosis) - diagnosisRank(b.diagnosis)
  );
}

function regraded(finding: Finding, rate: WindowRate, threshold: number): Finding {
  if (rate.rate === null) return finding;
  const severity: Severity = rate.rate >= threshold ? 'P2' : 'P3';
  const side = rate.rate >= threshold ? 'at or above' : 'under';
  const runs = `${rate.runs} run${rate.runs === 1 ? '' : 's'}`;
  return {
    ...finding,
    severity,
    reason:
      `${finding.reason}; over the last ${runs} ${rate.failed} of ${rate.reached} requests failed ` +
      `(${percent(rate.rate)}, ${side} the ${percent(threshold)} threshold)`,
  };
}

/**
 * The verdict with every error-rate finding graded by the window (this run included) instead of by
 * this run alone: ≥ threshold P2, below P3. So 1 failure in 5 after 25 good requests is 3.3 %, P3.
 * A window of this run alone leaves the verdict as it is.
 */
export function gradeByWindow(verdict: Verdict, window: readonly Observation[], threshold: number): Verdict {
  if (verdict.kind !== 'unhealthy' || window.length <= 1) return verdict;
  const models = verdict.models.map((model): ModelVerdict => {
    const rate = modelRate(window, model.model);
    const findings = model.findings
      .map((f) => (isRateFinding(f, model) ? regraded(f, rate, threshold) : f))
      .sort(compareFindings);
    return {
      ...model,
      findings,
      severity: findings[0]?.severity ?? null,
      diagnosis: findings[0]?.diagnosis ?? null,
    };
  });
  const statusFindings = verdict.findings.filter((f) => f.model === null);
  const findings = [...models.flatMap((m) => m.findings), ...statusFindings].sort(compareFindings);
  return {
    ...verdict,
    models,
    findings,
    severity: findings[0]?.severity ?? verdict.severity,
    diagnosis: findings[0]?.diagnosis ?? verdict.diagnosis,
  };
}

// ---------------------------------------------------------------------------------------------------
// Recording

/** The history with this observation appended, the counters moved on, and old observations dropped. */
export function record(prior: History | null, observation: Observation): History {
  const now = Date.parse(observation.at);
  const kept = [...(prior?.observations ?? []), observation].filter(
    (o) => now - Date.parse(o.at) <= KEPT_AGE_MS,
  );
  const healthy = observation.kind === 'healthy';
  return {
    updatedAt: observation.at,
    observations: lastRuns(kept, KEPT_OBSERVATIONS),
    healthyStreak: healthy ? (prior?.healthyStreak ?? 0) + 1 : 0,
    unhealthyStreak: healthy ? 0 : (prior?.unhealthyStreak ?? 0) + 1,
  };
}

/** The newer of several copies of the history (the first wins a tie: pass the first). */
export function newest(copies: readonly (History | null)[]): History | null {
  let best: History | null = null;
  for (const copy of copies) {
    if (copy === null) continue;
    if (best === null || Date.parse(copy.updatedAt) > Date.parse(best.updatedAt)) best = copy;
  }
  return best;
}

// ---------------------------------------------------------------------------------------------------
// Opening and closing

export interface OpenGate {
  open: boolean;
  /** Consecutive unhealthy observations ending with this run. */
  have: number;
  needed: number;
}

/**
 * P1 and P2 open at once; P3 and P4 need `openRuns` consecutive unhealthy observations. When nothing
 * can remember the count until the next run (no state file and no incident), waiting would mean never
 * opening: the run opens at once and the caller says why.
 */
export function openGate(
  history: History,
  severity: Severity,
  openRuns: number,
  remembered: boolean,
): OpenGate {
  const immediate = severityRank(severity) <= severityRank('P2') || !remembered;
  const needed = immediate ? 1 : Math.max(1, openRuns);
  return { open: history.unhealthyStreak >= needed, have: history.unhealthyStreak, needed };
}

/** Closing always looks at least this many observations back (see closeGate). */
const MIN_CLOSE_LOOKBACK = 2;

export interface CloseGate {
  close: boolean;
  streak: number;
  needed: number;
  /** Observations the error rate was measured over: the last max(recovery-runs, 2). */
  lookback: number;
  /** The worst model's error rate over them; null when nothing reached the API. */
  worst: (WindowRate & { model: string }) | null;
}

/**
 * Closing needs `recoveryRuns` healthy observations in a row AND the error rate over the last
 * max(recoveryRuns, 2) observations back under the threshold. With recovery-runs 2 or more the streak
 * already spans the lookback, so a total outage closes after exactly recovery-runs healthy runs; with
 * recovery-runs 1 the lookback still reaches the run before, so an incident that fails every other run
 * (failing half the time) never closes on one lucky run.
 */
export function closeGate(history: History, recoveryRuns: number, threshold: number): CloseGate {
  const needed = Math.max(1, recoveryRuns);
  const lookback = Math.min(Math.max(needed, MIN_CLOSE_LOOKBACK), history.observations.length);
  const worst = worstRate(lastRuns(history.observations, lookback));
  const rateOk = worst === null || worst.rate === null || worst.rate < threshold;
  return {
    close: history.healthyStreak >= needed && rateOk,
    streak: history.healthyStreak,
    needed,
    lookback,
    worst,
  };
}

// ---------------------------------------------------------------------------------------------------
// Gaps in monitoring

function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** How long without an observation counts as a gap: 3 × the median interval, at least 30 minutes. */
export function gapThresholdMs(observations: readonly Observation[]): number {
  const times = observations.map((o) => Date.parse(o.at)).sort((a, b) => a - b);
  const intervals = times.slice(1).map((t, i) => t - times[i]!);
  return Math.max(MIN_GAP_MS, GAP_INTERVALS * (median(intervals) ?? 0));
}

export interface Gap {
  from: string;
  to: string;
}

/** The gap between the previous observation and now, or null when monitoring was continuous. */
export function gapBefore(previous: History | null, now: Date): Gap | null {
  if (previous === null) return null;
  const since = now.getTime() - Date.parse(previous.updatedAt);
  if (since <= gapThresholdMs(previous.observations)) return null;
  return { from: previous.updatedAt, to: now.toISOString() };
}

// ---------------------------------------------------------------------------------------------------
// Reading stored copies (issue memory, state file): never throws, drops what does not fit.

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isTime(value: unknown): value is string {
  return typeof value === 'string' && !Number.isNaN(Date.parse(value));
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}

function validCount(value: unknown): ModelCount | null {
  if (!isRecord(value)) return null;
  const { model, reached, failed } = value;
  if (typeof model !== 'string' || !isCount(reached) || !isCount(failed) || failed > reached) return null;
  return { model, reached, failed };
}

export function validObservation(value: unknown): Observation | null {
  if (!isRecord(value)) return null;
  const { at, kind, severity, diagnosis, models } = value;
  if (!isTime(at) || (kind !== 'healthy' && kind !== 'unhealthy') || !Array.isArray(models)) return null;
  const validSeverity = severity === null || SEVERITIES.includes(severity as Severity);
  const validDiagnosis = diagnosis === null || DIAGNOSES.includes(diagnosis as Diagnosis);
  if (!validSeverity || !validDiagnosis) return null;
  const counts = models.map(validCount);
  if (counts.some((c) => c === null)) return null;
  return {
    at,
    kind,
    severity: severity as Severity | null,
    diagnosis: diagnosis as Diagnosis | null,
    models: counts as ModelCount[],
  };
}

/** Observations that parse, oldest first; null when the value is not a list. */
export function validObservations(value: unknown): Observation[] | null {
  if (!Array.isArray(value)) return null;
  return value
    .map(validObservation)
    .filter((o): o is Observation => o !== null)
    .sort((a, b) => Date.parse(a.at) - Date.parse(b.at))
    .slice(-KEPT_OBSERVATIONS);
}

export function validHistory(value: unknown): History | null {
  if (!isRecord(value)) return null;
  const { updatedAt, healthyStreak, unhealthyStreak } = value;
  const observations = validObservations(value.observations);
  if (!isTime(updatedAt) || observations === null || !isCount(healthyStreak) || !isCount(unhealthyStreak)) {
    return null;
  }
  return { updatedAt, observations, healthyStreak, unhealthyStreak };
}
