/**
 * The runbook's decision tree as data: for each diagnosis, what it means and what to do. The issue
 * renderer prints it; the wording here is what on-call reads at 3 a.m., so every action is concrete.
 */
import type { Diagnosis, Severity } from './types.js';

export interface DiagnosisInfo {
  /** Short, for issue titles, e.g. 'API overloaded (529)'. */
  title: string;
  /** One sentence: what it means for users of the API. */
  meaning: string;
  /** The runbook's actions for this diagnosis, imperative, most useful first. */
  mitigations: string[];
}

export const SEVERITY_MEANING: Record<Severity, string> = {
  P1: 'all requests failing',
  P2: 'degraded: many requests failing, rate limited or slow',
  P3: 'some requests failing, or Anthropic reports a problem',
  P4: 'requests succeed but answers are wrong',
};

export const RUNBOOK: Record<Diagnosis, DiagnosisInfo> = {
  key_rejected: {
    title: 'API key rejected (401/403)',
    meaning: 'The API refuses our key, so every request made with it fails until the key is fixed.',
    mitigations: [
      'Check that the API key secret used by production and by this workflow is the current key: a key revoked or deleted in the Claude Console stops working at once.',
      'On 403 permission_error, the key is valid but not allowed: check in the Console that its workspace still exists and may use the model.',
      'Rotate: create a new key in the right workspace, update the secret everywhere it is deployed, then revoke the old key.',
      'If the key may have leaked, revoke it first and review the usage recorded for it in the Console.',
      'Make sure the key is sent in the x-api-key header and that no proxy or gateway strips or rewrites it.',
    ],
  },
  billing: {
    title: 'Billing problem (402 or no credit)',
    meaning:
      'The account has a billing problem (402, or a 400 saying the credit balance is too low), so the API refuses work until it is settled.',
    mitigations: [
      "Open Billing in the Claude Console and fix the failed payment or payment method, or add credit if the organisation's prepaid balance is used up.",
      'Tell whoever owns the Anthropic account: engineers often cannot change billing themselves.',
      'Route critical traffic through another provider route for Claude (Amazon Bedrock, Google Vertex AI) until billing is fixed.',
      'Do not retry in a loop: the answer will not change until the account does.',
    ],
  },
  spend_limit: {
    title: 'Spend limit reached',
    meaning:
      'The organisation hit a spend limit, so requests are refused until the limit is raised or the period resets.',
    mitigations: [
      'On a 400 "specified API usage limits", raise or remove the spend limit your organisation set in the Claude Console (Settings, Limits).',
      "On a 429 enforced_spend_limit_reached, the organisation reached its usage tier's monthly spend cap: move to a higher tier (tiers advance with credit purchases, or ask Anthropic sales for custom limits); otherwise access returns on the date given in the error message.",
      'Stop retrying: no retry can succeed until the limit changes.',
      'Find the workload that used the budget in the Console usage page before raising the limit.',
      'Route critical traffic through another provider route (Amazon Bedrock, Google Vertex AI) meanwhile.',
    ],
  },
  model_unavailable: {
    title: 'Model not found (404)',
    meaning: 'The model id we call is unknown or retired, so every request naming it fails.',
    mitigations: [
      'Compare the model id with GET /v1/models or the models overview in the docs: it may be misspelled or retired.',
      'Move to a current model id (for example claude-haiku-4-5) in the application and in the models input of this workflow.',
      'Read the model deprecations page and plan migrations before retirement dates: models retire on a published schedule.',
      'Keep model ids in configuration, not in code, so the switch is a deploy-free change.',
    ],
  },
  rate_limited: {
    title: 'Rate limited (429)',
    meaning: 'The API is refusing part of our traffic because we exceed one of our rate limits.',
    mitigations: [
      'Read the anthropic-ratelimit-*-remaining and -reset headers of the 429s to find which limit is exhausted: requests, input tokens or output tokens.',
      'Honour retry-after and back off with jitter; cap the retries so they do not add to the load.',
      'Reduce concurrency, spread bursts over time, and move work that can wait to the Message Batches API.',
      'Cut input tokens with prompt caching: cache reads do not count toward the input-token limit on most models.',
      'Check the workspace rate limits your organisation set in the Console (Settings, Limits); if the traffic is legitimate, move to a higher usage tier or ask Anthropic sales for custom limits.',
    ],
  },
  server_error: {
    title: 'API server errors (5xx)',
    meaning: 'The API or a proxy in front of it is failing requests with server errors.',
    mitigations: [
      'Retry with exponential backoff and jitter (the official SDKs retry 5xx twice by default); keep retries bounded.',
      'Check status.claude.com for an incident on the Claude API component and subscribe to its updates.',
      'Fail over critical paths to another model or another provider route (Amazon Bedrock, Google Vertex AI).',
      'If 502/503 answers carry HTML pages, check any proxy, gateway or base-URL override between you and api.anthropic.com first.',
      'Keep the request ids of failed requests: Anthropic support needs them.',
    ],
  },
  overloaded: {
    title: 'API overloaded (529)',
    meaning: 'Anthropic is overloaded for all users, so requests fail until capacity recovers.',
    mitigations: [
      'Back off with jitter, honouring retry-after and x-should-retry; never retry in a tight loop.',
      'Fail over to another model, or to another provider route for the same model (Amazon Bedrock, Google Vertex AI).',
      'Shed or defer non-critical traffic (batch jobs, background enrichment) to keep capacity for users.',
      'Check status.claude.com for an incident on the Claude API component.',
      'If overloads recur, consider Priority Tier for critical traffic.',
    ],
  },
  timeout: {
    title: 'Requests timing out',
    meaning: 'Requests get no complete answer in time, so users wait and then fail.',
    mitigations: [
      'Use streaming for long outputs, so tokens arrive before any client, proxy or load-balancer idle timeout.',
      'Raise the client timeout for requests with a large max_tokens; the SDKs refuse non-streaming requests expected to run longer than about 10 minutes.',
      'On 504 timeout_error the timeout happened inside the API: retry with backoff and check status.claude.com.',
      'Check the network path: proxies and load balancers with short idle timeouts cut long requests.',
      'Lower max_tokens where the answer does not need it.',
    ],
  },
  slow: {
    title: 'Slow responses',
    meaning: 'Requests succeed but take longer than our latency budget, so users notice delays.',
    mitigations: [
      'Stream responses so users see the first tokens quickly.',
      'Lower max_tokens and shorten prompts; use prompt caching for long repeated prefixes.',
      'Move latency-sensitive paths to a faster model (for example claude-haiku-4-5).',
      'Check status.claude.com for degraded performance, and compare p50 with p99 to tell a slow tail from general slowness.',
      'If the model is normally this slow for the probe, raise latency-threshold-ms instead of paging people.',
    ],
  },
  intermittent_errors: {
    title: 'Intermittent errors',
    meaning: 'Some requests fail for mixed reasons, so a share of users see errors.',
    mitigations: [
      'Make sure clients retry transient errors (429, 5xx, 529) with backoff and jitter, bounded.',
      'Read the breakdown in the evidence: if one cause starts to dominate, follow its branch of the runbook.',
      'Watch the next runs: the incident escalates to P2 when the error rate crosses error-rate-threshold.',
      'Keep the request ids of failed requests for Anthropic support if the errors persist.',
    ],
  },
  degraded_quality: {
    title: 'Wrong canary answers',
    meaning:
      'Requests succeed but the answers are wrong or empty, so users may get bad output without any error.',
    mitigations: [
      'Read the canary answers in the evidence to see whether they are empty, cut short, refused or only worded differently.',
      'Check that canary-expect still matches how the current model phrases the answer: model updates change wording.',
      'Compare with another model: if only one model answers wrong, route quality-sensitive traffic away from it.',
      'If wrong answers reproduce, report them to Anthropic with the request ids.',
    ],
  },
  upstream_incident: {
    title: 'Anthropic status page incident',
    meaning:
      'Anthropic reports a problem on a component we depend on, which can reach our users even if our probes still pass.',
    mitigations: [
      'Read the incident on status.claude.com and subscribe to its updates.',
      'Compare with our probes: if they pass, our models may be unaffected; keep watching.',
      'Prepare failover (another model, or Amazon Bedrock / Google Vertex AI) in case the incident spreads.',
      'Tell support and affected teams early when the component is in partial or major outage.',
    ],
  },
};
