/**
 * GitHub failures as the person reading a failed run sees them: real Octokit errors from the simulated
 * GitHub, through the client's retry budget, explained with what to fix.
 */
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { refusedUrl } from '../../sim/loopback.js';
import { secondaryRateLimit, startGitHubSim, type GitHubSim } from '../../sim/github.js';
import { createGitHubClient, GITHUB_RETRY_BUDGET, type GitHubClient } from '../../src/github/client.js';
import { explainGitHubError, GitHubError, hintFor } from '../../src/github/errors.js';

let github: GitHubSim;
let client: GitHubClient;

beforeAll(() => {
  // Waits in milliseconds, not seconds: the budget is the same, the test is fast.
  process.env.RUNBOOK_GITHUB_TIME_SCALE = '1';
});
beforeEach(async () => {
  github = await startGitHubSim();
  client = createGitHubClient(github.token, github.url);
});
afterEach(async () => {
  await github.close();
});

const ISSUES = /\/issues$/;

/** What listing the issues throws, explained; fails the test when it does not throw. */
async function listFailure(): Promise<GitHubError> {
  try {
    await client.rest.issues.listForRepo({ owner: github.owner, repo: github.repo });
  } catch (error) {
    return explainGitHubError(error, 'listing open incident issues');
  }
  throw new Error('the list succeeded');
}

async function createFailure(): Promise<GitHubError> {
  try {
    await client.rest.issues.create({ owner: github.owner, repo: github.repo, title: 't', body: 'b' });
  } catch (error) {
    return explainGitHubError(error, 'creating the incident issue');
  }
  throw new Error('the create succeeded');
}

function listCalls(): number {
  return github.requests.filter((r) => r.method === 'GET' && ISSUES.test(r.path.split('?')[0]!)).length;
}

describe('the GitHub retry budget', () => {
  it('retries a 5xx twice and then explains that GitHub is failing', async () => {
    github.failNext({ method: 'GET', path: ISSUES, status: 502, times: 3 });

    const error = await listFailure();

    expect(listCalls()).toBe(1 + GITHUB_RETRY_BUDGET.retries);
    expect(error.status).toBe(502);
    expect(error.message).toBe(
      'GitHub listing open incident issues failed (HTTP 502): Bad Gateway - https://docs.github.com/rest. ' +
        'GitHub is failing right now (it answered 502 after 2 retries): the next run will try again.',
    );
  });

  it('succeeds when a 5xx clears within the budget', async () => {
    github.failNext({ method: 'GET', path: ISSUES, status: 503, times: 2 });

    await expect(
      client.rest.issues.listForRepo({ owner: github.owner, repo: github.repo }),
    ).resolves.toMatchObject({
      status: 200,
    });
    expect(listCalls()).toBe(3);
  });

  it('retries a 429 secondary rate limit twice in all, not twice per attempt', async () => {
    github.failNext({ method: 'GET', path: ISSUES, ...secondaryRateLimit(1, 429), times: 9 });

    const error = await listFailure();

    expect(listCalls()).toBe(1 + GITHUB_RETRY_BUDGET.retries);
    expect(error.status).toBe(429);
    expect(error.message).toContain(
      'GitHub rate-limited the run past its retry budget (2 retries, waiting at most 60 s)',
    );
  });

  it('does not wait for a rate limit that asks for more than 60 s', async () => {
    github.failNext({ method: 'POST', path: ISSUES, ...secondaryRateLimit(120), times: 3 });

    const error = await createFailure();

    expect(github.requests.filter((r) => r.method === 'POST')).toHaveLength(1);
    expect(error.message).toMatch(
      /^GitHub creating the incident issue failed \(HTTP 403\): You have exceeded a secondary rate limit/,
    );
    expect(error.message).toContain('the next scheduled run will try again');
  });

  it('says GitHub could not be reached, with no HTTP status, when nothing answers', async () => {
    client = createGitHubClient(github.token, await refusedUrl());

    const error = await listFailure();

    expect(error.status).toBeNull();
    expect(error.message).toMatch(
      /^GitHub listing open incident issues failed: no answer from http:\/\/127\.0\.0\.1:\d+: connect ECONNREFUSED/,
    );
    expect(error.message).toContain('check the github-api-url input');
  });
});

describe('a comment whose answer was lost', () => {
  const COMMENTS = /\/issues\/\d+\/comments$/;

  async function comment(body: string) {
    const issue = github.seedIssue({ title: 'P1 Claude API incident', body: 'incident' });
    const posted = await client.rest.issues.createComment({
      owner: github.owner,
      repo: github.repo,
      issue_number: issue.number,
      body,
    });
    return { issue, posted };
  }

  it('is found on the issue instead of being posted a second time', async () => {
    github.failNext({ method: 'POST', path: COMMENTS, status: 502, applyWrite: true });

    const { issue, posted } = await comment('Severity changed: P2 to P1.');

    expect(github.comments(issue.number).map((c) => c.body)).toEqual(['Severity changed: P2 to P1.']);
    expect(posted).toMatchObject({ status: 201, data: { body: 'Severity changed: P2 to P1.' } });
    expect(github.requests.filter((r) => r.method === 'POST')).toHaveLength(1);
  });

  it('is found when the connection dropped after the write', async () => {
    github.failNext({ method: 'POST', path: COMMENTS, status: 'drop', applyWrite: true });

    const { issue } = await comment('Recovered.');

    expect(github.comments(issue.number)).toHaveLength(1);
  });

  it('is posted again when it did not land, within the budget', async () => {
    github.failNext({ method: 'POST', path: COMMENTS, status: 503, times: 2 });

    const { issue } = await comment('Diagnosis changed.');

    expect(github.comments(issue.number).map((c) => c.body)).toEqual(['Diagnosis changed.']);
    expect(github.requests.filter((r) => r.method === 'POST')).toHaveLength(3);
  });

  it('fails after the budget when it never lands', async () => {
    github.failNext({ method: 'POST', path: COMMENTS, status: 500, times: 3 });

    await expect(comment('Never lands.')).rejects.toMatchObject({ status: 500 });
    expect(github.requests.filter((r) => r.method === 'POST')).toHaveLength(3);
  });
});

describe('what to fix, per answer', () => {
  it('a token without issues: write is told to add the permission', async () => {
    github.setPermissions('read');

    const error = await createFailure();

    expect(error.message).toBe(
      'GitHub creating the incident issue failed (HTTP 403): Resource not accessible by integration - ' +
        'https://docs.github.com/rest/issues/issues#create-an-issue. ' +
        'The token may not write issues: add "permissions: issues: write" to the workflow job.',
    );
  });

  it('disabled issues (410) say where to enable them', async () => {
    github.setIssuesEnabled(false);
    expect((await listFailure()).message).toContain(
      '(HTTP 410): Issues are disabled for this repo - https://docs.github.com/rest/issues/issues#get-an-issue. ' +
        'Issues are disabled in this repository: enable them in Settings > General > Features > Issues.',
    );
  });

  it('a missing repository (404) names the inputs to check', async () => {
    try {
      await client.rest.issues.listForRepo({ owner: github.owner, repo: 'no-such-repo' });
      throw new Error('the list succeeded');
    } catch (error) {
      expect(explainGitHubError(error, 'listing open incident issues').message).toContain(
        'The repository was not found: check the repository and github-api-url inputs',
      );
    }
  });

  it('a rejected token (401) names the github-token input', async () => {
    client = createGitHubClient('ghs_revoked', github.url);
    expect((await listFailure()).message).toContain('(HTTP 401): Bad credentials');
    expect((await listFailure()).message).toContain('The github-token input was rejected');
  });

  it('a body GitHub finds too long (422) is reported as a bug of the action, with GitHub’s reason', async () => {
    github.failNext({
      method: 'POST',
      path: ISSUES,
      status: 422,
      body: {
        message: 'Validation Failed',
        errors: [
          {
            resource: 'Issue',
            code: 'custom',
            field: 'body',
            message: 'body is too long (maximum is 65536 characters)',
          },
        ],
        documentation_url: 'https://docs.github.com/rest/issues/issues#create-an-issue',
        status: '422',
      },
    });

    const error = await createFailure();

    expect(error.message).toContain('body is too long (maximum is 65536 characters)');
    expect(error.message).toContain(
      'The text is longer than GitHub accepts (65,536 characters). The action keeps every body under that limit, so this is a bug',
    );
  });

  it('a locked issue, a plain 403 and an unexplained 4xx each get their own sentence', () => {
    expect(hintFor(403, 'Unable to create comment because issue is locked')).toBe(
      'The issue is locked: the workflow token cannot comment on it.',
    );
    expect(hintFor(403, 'Forbidden')).toContain('the token needs "permissions: issues: write"');
    expect(hintFor(418, "I'm a teapot")).toBe('');
  });

  it('never repeats an explanation already given', () => {
    const explained = new GitHubError('GitHub reading issue #3 failed (HTTP 301): moved.', 301);
    expect(explainGitHubError(explained, 'updating issue #3')).toBe(explained);
  });
});
