import { getOctokit } from '@actions/github';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import * as core from '@actions/core';

export type GitHubClient = ReturnType<typeof getOctokit>;

/**
 * The retry budget of every GitHub call, written down: 5xx answers and calls that got no answer are retried
 * twice (after 1 s and 4 s), rate limits (403/429 with retry-after) twice when GitHub asks to wait at most
 * 60 s. Past that the run fails with a message saying what to fix. A cron monitor must not hang for minutes
 * on a dead API.
 */
export const GITHUB_RETRY_BUDGET = { retries: 2, maxRetryAfterSeconds: 60 } as const;

/**
 * Statuses plugin-retry must leave alone: its defaults, plus 429. Rate limits (403 and 429) belong to
 * plugin-throttling, which honours retry-after; if both retried them, each of throttling's attempts would
 * be retried again by plugin-retry and the budget above would be 3 × 3 attempts, not 3.
 */
const NOT_RETRIED_BY_RETRY_PLUGIN = [400, 401, 403, 404, 410, 422, 429, 451];
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

/** Octokit's error for a call that got no HTTP answer at all: status 500, no response (@octokit/request). */
function gotNoAnswer(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { status, response, request } = error as { status?: unknown; response?: unknown; request?: unknown };
  return status === 500 && response === undefined && request !== undefined;
}

/**
 * A call that got no answer (refused, DNS, reset) is not "GitHub answered 500": it says so, with no status,
 * so that it is explained as GitHub being out of reach (check github-api-url, the network) rather than failing.
 */
export class GitHubUnreachableError extends Error {
  override name = 'GitHubUnreachableError';
  readonly status = null;
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
  const client = getOctokit(
    token,
    {
      // @actions/github reads GITHUB_API_URL at import time; pass the input explicitly (GHES: https://HOST/api/v3).
      baseUrl,
      userAgent: 'claude-incident-runbook-action',
      retry: {
        retries: GITHUB_RETRY_BUDGET.retries,
        retryAfterBaseValue: timeScale(),
        doNotRetry: NOT_RETRIED_BY_RETRY_PLUGIN,
      },
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
  // Registered after the plugins, so it wraps them: it sees the error once the retries are spent.
  client.hook.error('request', (error) => {
    if (gotNoAnswer(error)) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new GitHubUnreachableError(`no answer from ${baseUrl}: ${reason}`, { cause: error });
    }
    throw error;
  });
  client.hook.wrap('request', async (request, options) => {
    if (options.method !== 'POST' || options.url !== CREATE_COMMENT_ROUTE) return request(options);
    const send: RequestFn = async (attempt) => request(attempt as typeof options);
    return (await createCommentOnce(client, send, options)) as Awaited<ReturnType<typeof request>>;
  });
  return client;
}

/** GitHub's route for posting a comment: a write that must not land twice. */
const CREATE_COMMENT_ROUTE = '/repos/{owner}/{repo}/issues/{issue_number}/comments';
/** Comments per page when looking for one that landed (GitHub's maximum). */
const COMMENTS_PAGE_SIZE = 100;

type RequestFn = (options: object) => Promise<unknown>;

/** A 5xx or no answer at all: the write may have been applied before the answer was lost. */
function mayHaveLanded(error: unknown): boolean {
  if (error instanceof GitHubUnreachableError) return true;
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' && status >= 500;
}

/**
 * Posts a comment with the same budget as other calls, but never twice: after a 5xx or a lost answer it
 * first looks at the issue's newest comments, and a comment with the same body means the write landed.
 * plugin-retry would simply send it again and leave a duplicate comment on the incident.
 */
async function createCommentOnce(
  client: GitHubClient,
  request: RequestFn,
  options: object,
): Promise<unknown> {
  // Mutated, not copied: Octokit's hooks are bound to this very options object, a copy would not reach them.
  const call = options as { request?: Record<string, unknown> };
  call.request = call.request ?? {};
  call.request.retries = 0;
  for (let retry = 0; ; retry++) {
    try {
      return await request(options);
    } catch (error) {
      if (!mayHaveLanded(error) || retry >= GITHUB_RETRY_BUDGET.retries) throw error;
      const landed = await findLandedComment(client, options);
      if (landed !== null) return landed;
      // plugin-retry's own backoff: 1 s, then 4 s.
      await new Promise((resolve) => setTimeout(resolve, (retry + 1) ** 2 * timeScale()));
    }
  }
}

/** The response of the newest comment whose body is the one being posted, or null. */
async function findLandedComment(
  client: GitHubClient,
  options: { owner?: unknown; repo?: unknown; issue_number?: unknown; body?: unknown },
): Promise<{ status: number; url: string; headers: Record<string, string>; data: unknown } | null> {
  const issue = {
    owner: String(options.owner),
    repo: String(options.repo),
    issue_number: Number(options.issue_number),
  };
  const { data } = await client.rest.issues.get(issue);
  const lastPage = Math.max(1, Math.ceil(data.comments / COMMENTS_PAGE_SIZE));
  const newest = await client.rest.issues.listComments({
    ...issue,
    per_page: COMMENTS_PAGE_SIZE,
    page: lastPage,
  });
  const sameText = (text: string | undefined): boolean =>
    text !== undefined && text.replace(/\r\n/g, '\n') === String(options.body).replace(/\r\n/g, '\n');
  const landed = [...newest.data].reverse().find((comment) => sameText(comment.body));
  if (landed === undefined) return null;
  core.info(
    `The comment on #${issue.issue_number} landed although its answer was lost; not posting it again.`,
  );
  return { status: 201, url: landed.url, headers: {}, data: landed };
}
