/**
 * Figures about one model's samples: counts, error rate and latency percentiles. Pure.
 */
import type { ProbeSample } from '../evidence.js';
import type { ModelStats } from './types.js';

/** The runbook reads the median and the tail; p99 is what `latency-threshold-ms` is compared with. */
const MEDIAN_PERCENTILE = 50;
const TAIL_PERCENTILE = 99;

/** A request reached the API (or a proxy in front of it) unless it failed on the runner's network. */
export function reachedApi(sample: ProbeSample): boolean {
  return sample.outcome !== 'network';
}

export function succeeded(sample: ProbeSample): boolean {
  return sample.outcome === 'ok';
}

/** Reached the API and did not succeed: these count in the error rate (429 included). */
export function failedAtApi(sample: ProbeSample): boolean {
  return reachedApi(sample) && !succeeded(sample);
}

/**
 * Total time of the requests that reached the API and got response headers: the latency population.
 * Requests without headers have no meaningful latency (they are timeouts, counted as failures instead).
 */
export function latencyPopulationMs(samples: readonly ProbeSample[]): number[] {
  const values: number[] = [];
  for (const sample of samples) {
    if (reachedApi(sample) && sample.timeToHeadersMs !== null && sample.totalMs !== null) {
      values.push(sample.totalMs);
    }
  }
  return values;
}

/**
 * Nearest-rank percentile: the smallest value such that at least `percentile`% of values are <= it.
 * With few samples p99 is simply the slowest one, which is what a reader expects from 5 requests.
 */
export function nearestRank(values: readonly number[], percentile: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((percentile / 100) * sorted.length));
  return sorted[rank - 1] ?? null;
}

/**
 * Key for `statusCounts`. A 2xx whose body then timed out, broke or was malformed is counted under the
 * outcome, not under "200", so the counts never show a failure as a success.
 */
export function statusKey(sample: ProbeSample): string {
  const statusIsTheStory =
    sample.outcome === 'ok' || sample.outcome === 'http_error' || sample.outcome === 'redirect';
  if (statusIsTheStory && sample.httpStatus !== null) return String(sample.httpStatus);
  return sample.outcome;
}

export function modelStats(model: string, samples: readonly ProbeSample[]): ModelStats {
  const reached = samples.filter(reachedApi).length;
  const ok = samples.filter(succeeded).length;
  const failed = samples.filter(failedAtApi).length;
  const latencies = latencyPopulationMs(samples);
  const statusCounts: Record<string, number> = {};
  for (const sample of samples) {
    const key = statusKey(sample);
    statusCounts[key] = (statusCounts[key] ?? 0) + 1;
  }
  return {
    model,
    samples: samples.length,
    succeeded: ok,
    failed,
    unreachable: samples.length - reached,
    errorRate: reached === 0 ? 0 : failed / reached,
    p50Ms: nearestRank(latencies, MEDIAN_PERCENTILE),
    p99Ms: nearestRank(latencies, TAIL_PERCENTILE),
    canaryFailures: samples.filter((s) => s.canaryPassed === false).length,
    statusCounts,
  };
}
