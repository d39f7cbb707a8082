/**
 * GitHub failures explained: what happened, and what the person reading the failed run should do about
 * it. Pure: it reads the error Octokit threw (status, message) and never its request, whose headers carry
 * the token.
 */
import { GITHUB_RETRY_BUDGET } from './client.js';

/** A GitHub failure explained: what happened and what the user should fix. */
export class GitHubError extends Error {
  override name = 'GitHubError';
  constructor(
    message: string,
    readonly status: number | null,
    /** GitHub's own message, without our hint: what callers classify on. */
    readonly detail: string = '',
  ) {
    super(message);
  }
}

/** GitHub refuses issue bodies and comments longer than this (REST docs; FIELD-NOTES). */
const GITHUB_BODY_LIMIT = 65_536;
/** The first line of GitHub's message is kept, up to this many characters. */
const MAX_DETAIL_CHARS = 300;

/** The HTTP status of an Octokit error; null when no answer arrived. */
export function statusOf(error: unknown): number | null {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' ? status : null;
}

/** GitHub's message, one line: Octokit puts the response's `message` (and `errors`) on the first line. */
function detailOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return (message.split('\n')[0] ?? '').trim().slice(0, MAX_DETAIL_CHARS);
}

const RETRIES = `${GITHUB_RETRY_BUDGET.retries} retries`;
const RATE_LIMITED =
  `GitHub rate-limited the run past its retry budget (${RETRIES}, waiting at most ` +
  `${GITHUB_RETRY_BUDGET.maxRetryAfterSeconds} s): nothing more was written and the next scheduled run will ` +
  'try again; if it keeps happening, schedule the workflow less often.';

/** What to do about a failure, as a sentence; '' when there is nothing useful to add. */
export function hintFor(status: number | null, detail: string): string {
  if (status === null) {
    return (
      'GitHub could not be reached: check the github-api-url input (on GitHub Enterprise Server ' +
      'https://HOST/api/v3) and the runner’s network or proxy.'
    );
  }
  if (/secondary rate|rate limit/i.test(detail) && (status === 403 || status === 429)) return RATE_LIMITED;
  switch (status) {
    case 401:
      return 'The github-token input was rejected: pass ${{ github.token }} or a token that is still valid.';
    case 403:
      if (/not accessible by integration/i.test(detail))
        return 'The token may not write issues: add "permissions: issues: write" to the workflow job.';
      if (/locked/i.test(detail)) return 'The issue is locked: the workflow token cannot comment on it.';
      return 'GitHub refused the request: the token needs "permissions: issues: write", and the issue must not be locked.';
    case 404:
      return (
        'The repository was not found: check the repository and github-api-url inputs, and that the token ' +
        'can see that repository.'
      );
    case 410:
      return 'Issues are disabled in this repository: enable them in Settings > General > Features > Issues.';
    case 422:
      if (/too long/i.test(detail)) {
        return (
          `The text is longer than GitHub accepts (${GITHUB_BODY_LIMIT.toLocaleString('en-US')} characters). ` +
          'The action keeps every body under that limit, so this is a bug: please report it with this message.'
        );
      }
      return 'GitHub rejected the content (validation failed): see its reason above.';
    case 429:
      return RATE_LIMITED;
    default:
      return status >= 500
        ? `GitHub is failing right now (it answered ${status} after ${RETRIES}): the next run will try again.`
        : '';
  }
}

/**
 * Turns an Octokit error into a message that says what failed and what to fix, e.g.
 * `GitHub creating the incident issue failed (HTTP 403): Resource not accessible by integration. The token
 * may not write issues: add "permissions: issues: write" to the workflow job.`
 */
export function explainGitHubError(error: unknown, doing: string): GitHubError {
  if (error instanceof GitHubError) return error;
  const status = statusOf(error);
  const detail = detailOf(error).replace(/\.$/, '');
  const hint = hintFor(status, detail);
  const what = `GitHub ${doing} failed${status === null ? '' : ` (HTTP ${status})`}`;
  return new GitHubError(`${what}: ${detail}.${hint === '' ? '' : ` ${hint}`}`, status, detail);
}
