/**
 * Evidence: what the probes observed, as plain data. Produced by `probes/`, consumed by the pure
 * classifier in `verdict/`. Nothing here performs I/O.
 */

/** How one Messages request ended. Every attempt is evidence: there are no hidden retries. */
export type ProbeOutcome =
  /** 2xx with a well-formed message body. */
  | 'ok'
  /** The API (or a proxy in front of it) answered with a non-2xx, non-3xx status. */
  | 'http_error'
  /** Connected, but no response headers arrived within `request-timeout-ms`. */
  | 'timeout_headers'
  /** Headers arrived, but the body did not complete within `request-timeout-ms`. */
  | 'timeout_body'
  /** The connection broke after it was established (reset mid-body, socket closed). */
  | 'connection_lost'
  /** Failed before reaching the API: DNS, refused, TLS, unreachable. The runner's network, not Anthropic. */
  | 'network'
  /** 3xx: the base URL points at something that redirects. A configuration problem. */
  | 'redirect'
  /** 2xx whose body is not a Messages response (invalid JSON, wrong shape). */
  | 'bad_response';

export interface ProbeSample {
  model: string;
  /** 0-based position of the request within this model's samples. */
  index: number;
  /** ISO 8601 time the request was started. */
  startedAt: string;
  outcome: ProbeOutcome;
  /** HTTP status, or null when no response arrived. */
  httpStatus: number | null;
  /** `error.type` from the API body (open string), or a network error code such as `ECONNREFUSED`. */
  errorType: string | null;
  /** Human-readable error message, already redacted and truncated. */
  errorMessage: string | null;
  /** `error.details.error_code`, e.g. `enforced_spend_limit_reached`. */
  errorCode: string | null;
  /** `request_id` from the body, else the `request-id` header. */
  requestId: string | null;
  /** Milliseconds from start until response headers arrived. */
  timeToHeadersMs: number | null;
  /** Milliseconds from start until the body was fully read (or the request failed). */
  totalMs: number | null;
  /** `retry-after` in whole seconds (an HTTP date is converted against the answer's `date`); other values as sent. */
  retryAfter: string | null;
  /** Raw `x-should-retry` header value. */
  shouldRetry: string | null;
  /** Every `anthropic-ratelimit-*` and `anthropic-priority-*` header, lower-cased names. */
  rateLimit: Record<string, string>;
  /** `location` header of a redirect. */
  location: string | null;
  /** Concatenated text of the answer (truncated), or null when there is no answer. */
  answer: string | null;
  /** Whether the answer matched `canary-expect`; null when there was no successful answer. */
  canaryPassed: boolean | null;
}

/** A component the user asked us to watch, as read from the status page. */
export interface WatchedComponent {
  id: string;
  name: string;
  /** Statuspage component status. Unknown enum values are kept verbatim. */
  status: string;
}

/** An unresolved status-page incident. Text fields are raw upstream text: render through `text/inert`. */
export interface StatusIncident {
  id: string;
  name: string;
  status: string;
  impact: string;
  shortlink: string | null;
  startedAt: string | null;
  /** Ids of the components the incident names (incident.components plus every update's affected_components). */
  componentIds: string[];
  /** True when it names a watched component, or names no component at all (Anthropic sometimes does that). */
  touchesWatched: boolean;
  latestUpdate: { status: string; body: string; at: string | null } | null;
}

export interface StatusPageReading {
  /** The page's base URL, e.g. https://status.claude.com */
  url: string;
  /** False when the page could not be read or parsed: the upstream status is then unknown, never healthy. */
  ok: boolean;
  /** Why the page is unknown (HTTP 403 challenge, invalid JSON, timeout...). Null when ok. */
  error: string | null;
  indicator: string | null;
  description: string | null;
  /** Watched components found on the page, in the order of `status-components`. */
  components: WatchedComponent[];
  /** Watched ids that the page does not list (reported so the user can fix `status-components`). */
  missingComponentIds: string[];
  /** Unresolved incidents. */
  incidents: StatusIncident[];
}

/** Everything one run observed. */
export interface Evidence {
  /** ISO time the run started. */
  startedAt: string;
  /** Samples of every model, in input order then sample order. */
  samples: ProbeSample[];
  statusPage: StatusPageReading;
}
