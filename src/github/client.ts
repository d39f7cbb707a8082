import { getOctokit } from '@actions/github';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import * as core from '@actions/core';

export type GitHubClient = ReturnType<typeof getOctokit>;

/**
 * The retry budget of every GitHub call, written down: 5xx answers are retried twice (after 1 s and 4 s),
 * rate limits (403/429 with retry-after) twice when GitHub asks to wait at most 60 s. Past that the run
 * fails with a message saying what to fix. A cron monitor must not hang for minutes on a dead API.
 */
export const GITHUB_RETRY_BUDGET = { retries: 2, maxRetryAfterSeconds: 60 } as const;
/** GitHub asks integrations to space writes (1 s) and content-creating writes (3 s) apart; plugin-throttling's values. */
const WRITE_SPACING_MS = 1_000;
const NOTIFYING_WRITE_SPACING_MS = 3_000;

/**
 * Milliseconds per second of waiting. 1000 in production; the test suite sets RUNBOOK_GITHUB_TIME_SCALE=1 so that
 * retries and write spacing against the loopback simulator take milliseconds instead of seconds.
 */
function timeScale(): number {
  const raw = Number(process.env.RUNBOOK_GITHUB_TIME_SCALE);
  return Number.isFinite(raw) && raw >= 0 ? raw : 1_000;
}

/**
 * A minimal stand-in for a Bottleneck group that spaces jobs `minTimeMs` apart, so that write spacing follows
 * the same time scale as retries. plugin-throttling only calls `.key(id).schedule(options, fn, ...args)`.
 */
function pacedGroup(minTimeMs: number): unknown {
  let chain: Promise<unknown> = Promise.resolve();
  let lastStart = 0;
  const limiter = {
    schedule(_options: unknown, fn: (...args: unknown[]) => unknown, ...args: unknown[]): Promise<unknown> {
      const run = chain.then(async () => {
        const wait = lastStart + minTimeMs - Date.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        lastStart = Date.now();
      });
      chain = run.catch(() => undefined);
      return run.then(() => fn(...args));
    },
  };
  return { key: () => limiter };
}

export function createGitHubClient(token: string, baseUrl: string): GitHubClient {
  const scale = timeScale() / 1_000;
  const wantRetry =
    (kind: string) =>
    (retryAfter: number, options: { method?: string; url?: string }, _o: unknown, retryCount: number) => {
      const retrying =
        retryCount < GITHUB_RETRY_BUDGET.retries && retryAfter <= GITHUB_RETRY_BUDGET.maxRetryAfterSeconds;
      core.warning(
        `GitHub ${kind} on ${options.method} ${options.url}: ${retrying ? `retrying in ${retryAfter} s` : 'giving up'} (attempt ${retryCount + 1}).`,
      );
      return retrying;
    };
  return getOctokit(
    token,
    {
      // @actions/github reads GITHUB_API_URL at import time; pass the input explicitly (GHES: https://HOST/api/v3).
      baseUrl,
      userAgent: 'claude-incident-runbook-action',
      retry: { retries: GITHUB_RETRY_BUDGET.retries, retryAfterBaseValue: timeScale() },
      throttle: {
        retryAfterBaseValue: timeScale(),
        fallbackSecondaryRateRetryAfter: 60,
        write: pacedGroup(WRITE_SPACING_MS * scale),
        notifications: pacedGroup(NOTIFYING_WRITE_SPACING_MS * scale),
        onRateLimit: wantRetry('rate limit'),
        onSecondaryRateLimit: wantRetry('secondary rate limit'),
      } as never,
    },
    retry,
    throttling,
  );
}
