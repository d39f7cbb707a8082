/**
 * The verdict: severity says how hard the impact is, diagnosis says why (the runbook's decision tree).
 * Pure data, produced by `classify()`.
 */

export type Severity = 'P1' | 'P2' | 'P3' | 'P4';

/** Ordered most severe first; index = rank. */
export const SEVERITIES: readonly Severity[] = ['P1', 'P2', 'P3', 'P4'];

/** Lower number = more severe. */
export function severityRank(s: Severity): number {
  return SEVERITIES.indexOf(s);
}

/** The runbook's decision tree, one entry per branch. */
export type Diagnosis =
  /** 401/403: the API key is missing, revoked, rotated or lacks permission. */
  | 'key_rejected'
  /** 402: billing problem on the account. */
  | 'billing'
  /** 429 with `enforced_spend_limit_reached`, or a 400 saying the self-set usage limit is reached. */
  | 'spend_limit'
  /** 404 not_found_error: the model id is unknown or retired. */
  | 'model_unavailable'
  /** 429 rate_limit_error. */
  | 'rate_limited'
  /** 500 api_error, 502/503 from a proxy, other 5xx. */
  | 'server_error'
  /** 529 overloaded_error. */
  | 'overloaded'
  /** 504, or no answer within the timeout after connecting. */
  | 'timeout'
  /** p99 latency over `latency-threshold-ms`. */
  | 'slow'
  /** Some requests fail, no single cause dominates. */
  | 'intermittent_errors'
  /** Requests succeed but canary answers are wrong or empty. */
  | 'degraded_quality'
  /** The status page reports a watched component degraded or an unresolved incident. */
  | 'upstream_incident';

export interface Finding {
  severity: Severity;
  diagnosis: Diagnosis;
  /** The model the finding is about; null for status-page findings. */
  model: string | null;
  /** One sentence a person can read, with the figures behind it. */
  reason: string;
}

export interface ModelStats {
  model: string;
  samples: number;
  succeeded: number;
  /** Requests that got an answer from the API or its proxy and failed (excludes network-level failures). */
  failed: number;
  /** Requests that never reached the API (DNS, refused, TLS). */
  unreachable: number;
  /** failed / (samples - unreachable); 0 when nothing reached the API. */
  errorRate: number;
  /** Latency percentiles over requests that got headers, in ms; null when none did. */
  p50Ms: number | null;
  p99Ms: number | null;
  canaryFailures: number;
  /** Count of each status or outcome, e.g. { "529": 4, "200": 1, "timeout_headers": 0 }. */
  statusCounts: Record<string, number>;
}

export interface ModelVerdict {
  model: string;
  severity: Severity | null;
  diagnosis: Diagnosis | null;
  stats: ModelStats;
  findings: Finding[];
}

export type VerdictKind =
  /** At least one finding: an incident exists. */
  | 'unhealthy'
  /** No finding and the evidence is good enough to say so. */
  | 'healthy'
  /** Every request failed before reaching the API: the runner's network. No change to any incident. */
  | 'inconclusive'
  /** The API rejected our probe as invalid, or the base URL redirects: the run fails, no incident. */
  | 'config_error';

export interface Verdict {
  kind: VerdictKind;
  /** Most severe finding's severity; null unless kind is 'unhealthy'. */
  severity: Severity | null;
  /** Diagnosis of the most severe finding (ties: the order of Diagnosis above); null unless unhealthy. */
  diagnosis: Diagnosis | null;
  /** Every finding, most severe first. */
  findings: Finding[];
  models: ModelVerdict[];
  /** False when the status page could not be read: shown as "status page unknown". */
  statusPageKnown: boolean;
  /** Extra lines explaining inconclusive/config_error verdicts, and warnings (unknown status components). */
  notes: string[];
}

/**
 * Every diagnosis in the order of the `Diagnosis` union above: the tie-break order when two findings are
 * equally severe. A Record keyed by Diagnosis makes the compiler reject a missing or extra entry.
 */
const DIAGNOSIS_ORDER: Record<Diagnosis, number> = {
  key_rejected: 0,
  billing: 1,
  spend_limit: 2,
  model_unavailable: 3,
  rate_limited: 4,
  server_error: 5,
  overloaded: 6,
  timeout: 7,
  slow: 8,
  intermittent_errors: 9,
  degraded_quality: 10,
  upstream_incident: 11,
};

/** Every diagnosis, tie-break order first to last. */
export const DIAGNOSES: readonly Diagnosis[] = (Object.keys(DIAGNOSIS_ORDER) as Diagnosis[]).sort(
  (a, b) => DIAGNOSIS_ORDER[a] - DIAGNOSIS_ORDER[b],
);

/** Lower number = wins a tie between equally severe findings. */
export function diagnosisRank(d: Diagnosis): number {
  return DIAGNOSIS_ORDER[d];
}
