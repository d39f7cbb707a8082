import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { GITHUB_BODY_LIMIT, secondaryRateLimit, startGitHubSim, type GitHubSim } from '../../sim/github.js';
import { loadGitHubOpenApi, type GitHubOpenApi } from './openapi.js';

const ISSUES = '/repos/{owner}/{repo}/issues';
const ISSUE = '/repos/{owner}/{repo}/issues/{issue_number}';
const COMMENTS = '/repos/{owner}/{repo}/issues/{issue_number}/comments';

let openApi: GitHubOpenApi;
let sim: GitHubSim;
const clock = { now: new Date('2026-12-03T09:00:00Z') };

beforeAll(() => {
  openApi = loadGitHubOpenApi();
});
beforeEach(async () => {
  clock.now = new Date('2026-12-03T09:00:00Z');
  sim = await startGitHubSim({ owner: 'acme', repo: 'service', token: 'ghs_test', now: () => clock.now });
});
afterEach(async () => {
  await sim.close();
});

interface Answer {
  status: number;
  headers: Headers;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON read by assertions
  body: any;
}

async function call(method: string, path: string, body?: unknown, token = sim.token): Promise<Answer> {
  const url = path.startsWith('http') ? path : `${sim.url}${path}`;
  const response = await fetch(url, {
    method,
    redirect: 'manual',
    headers: {
      authorization: `token ${token}`,
      accept: 'application/vnd.github+json',
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: text === '' ? undefined : JSON.parse(text),
  };
}

function later(minutes: number): void {
  clock.now = new Date(clock.now.getTime() + minutes * 60_000);
}

describe('the GitHub simulator answers in the shapes of GitHub OpenAPI description', () => {
  it('rejects a thin hand-made issue, so the shape checks below can fail', () => {
    const errors = openApi.checkResponse(ISSUE, 'get', 200, { number: 1, title: 'x', state: 'open' });
    expect(errors).toContain('$: missing required property node_id');
  });

  it('creates an issue with 201, labels created on the fly, authored by the token bot', async () => {
    const created = await call('POST', '/repos/acme/service/issues', {
      title: 'P1: Claude API overloaded',
      body: 'Detected at 09:00',
      labels: ['incident', 'claude-api'],
    });
    expect(created.status).toBe(201);
    expect(created.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(openApi.checkResponse(ISSUES, 'post', 201, created.body)).toEqual([]);
    expect(created.body.user.login).toBe('github-actions[bot]');
    expect(created.body.labels.map((l: { name: string }) => l.name)).toEqual(['incident', 'claude-api']);
    expect(created.body.created_at).toBe('2026-12-03T09:00:00Z');
    expect(sim.labels().map((l) => l.name)).toEqual(['incident', 'claude-api']);
  });

  it('gets and lists issues and pull requests in the issue schema', async () => {
    sim.seedIssue({ title: 'A person wrote this', labels: ['bug'], comments: ['me too'] });
    sim.seedPullRequest({ title: 'Fix the thing' });
    const one = await call('GET', '/repos/acme/service/issues/1');
    expect(one.status).toBe(200);
    expect(openApi.checkResponse(ISSUE, 'get', 200, one.body)).toEqual([]);
    expect(one.body.comments).toBe(1);

    const list = await call('GET', '/repos/acme/service/issues');
    expect(openApi.checkResponse(ISSUES, 'get', 200, list.body)).toEqual([]);
    expect(list.body.map((i: { number: number }) => i.number)).toEqual([2, 1]);
    expect(list.body[0].pull_request.html_url).toBe('https://github.com/acme/service/pull/2');
    expect('pull_request' in list.body[1]).toBe(false);
  });

  it('updates an issue with PATCH in the update schema, closing it as completed', async () => {
    sim.seedIssue({ title: 'Open incident', labels: ['incident'] });
    later(5);
    const updated = await call('PATCH', '/repos/acme/service/issues/1', {
      state: 'closed',
      body: 'Resolved',
    });
    expect(updated.status).toBe(200);
    expect(openApi.checkResponse(ISSUE, 'patch', 200, updated.body)).toEqual([]);
    expect(updated.body).toMatchObject({ state: 'closed', state_reason: 'completed', body: 'Resolved' });
    expect(updated.body.closed_at).toBe('2026-12-03T09:05:00Z');
    expect(updated.body.closed_by.login).toBe('github-actions[bot]');
  });

  it('creates a comment in the issue-comment schema and counts it on the issue', async () => {
    sim.seedIssue({ title: 'Open incident' });
    const comment = await call('POST', '/repos/acme/service/issues/1/comments', {
      body: 'Severity rose to P1',
    });
    expect(comment.status).toBe(201);
    expect(openApi.checkResponse(COMMENTS, 'post', 201, comment.body)).toEqual([]);
    expect(sim.issue(1)?.comments).toBe(1);
    const listed = await call('GET', '/repos/acme/service/issues/1/comments');
    expect(openApi.checkResponse(COMMENTS, 'get', 200, listed.body)).toEqual([]);
    expect(listed.body.map((c: { body: string }) => c.body)).toEqual(['Severity rose to P1']);
  });

  it('refuses an issue body over 65,536 characters with 422 in the validation-error schema', async () => {
    const refused = await call('POST', '/repos/acme/service/issues', {
      title: 'Huge',
      body: 'x'.repeat(GITHUB_BODY_LIMIT + 1),
    });
    expect(refused.status).toBe(422);
    expect(openApi.checkResponse(ISSUES, 'post', 422, refused.body)).toEqual([]);
    expect(refused.body.errors[0]).toMatchObject({ resource: 'Issue', field: 'body' });
    expect(sim.issues()).toEqual([]);

    const exact = await call('POST', '/repos/acme/service/issues', {
      title: 'Fits',
      body: 'é'.repeat(GITHUB_BODY_LIMIT),
    });
    expect(exact.status).toBe(201);
  });

  it('refuses a comment over 65,536 characters with 422', async () => {
    sim.seedIssue({ title: 'Open incident' });
    const refused = await call('POST', '/repos/acme/service/issues/1/comments', {
      body: 'x'.repeat(GITHUB_BODY_LIMIT + 1),
    });
    expect(refused.status).toBe(422);
    expect(openApi.checkResponse(COMMENTS, 'post', 422, refused.body)).toEqual([]);
    expect(refused.body.errors[0].message).toBe('Body is too long (maximum is 65536 characters)');
  });

  it('refuses a comment on a locked issue with 403 in the basic-error schema', async () => {
    sim.seedIssue({ title: 'Open incident' });
    sim.lock(1);
    const refused = await call('POST', '/repos/acme/service/issues/1/comments', { body: 'update' });
    expect(refused.status).toBe(403);
    expect(openApi.checkResponse(COMMENTS, 'post', 403, refused.body)).toEqual([]);
    expect(refused.body.message).toBe('Unable to create comment because issue is locked.');
    expect(sim.comments(1)).toEqual([]);
  });

  it('answers every write of a read-only token with 403 "Resource not accessible by integration"', async () => {
    sim.seedIssue({ title: 'Open incident' });
    sim.setPermissions('read');
    const create = await call('POST', '/repos/acme/service/issues', { title: 'New' });
    const update = await call('PATCH', '/repos/acme/service/issues/1', { state: 'closed' });
    expect([create.status, update.status]).toEqual([403, 403]);
    expect(openApi.checkResponse(ISSUES, 'post', 403, create.body)).toEqual([]);
    expect(update.body.message).toBe('Resource not accessible by integration');
    expect((await call('GET', '/repos/acme/service/issues')).status).toBe(200);
    expect(sim.issue(1)?.state).toBe('open');
  });
});

describe('the GitHub simulator behaves like GitHub', () => {
  it('accepts "token" and "Bearer" credentials and refuses others with 401 Bad credentials', async () => {
    const bearer = await fetch(`${sim.url}/repos/acme/service/issues`, {
      headers: { authorization: `Bearer ${sim.token}` },
    });
    expect(bearer.status).toBe(200);
    const wrong = await call('GET', '/repos/acme/service/issues', undefined, 'ghs_wrong');
    expect(wrong.status).toBe(401);
    expect(wrong.body.message).toBe('Bad credentials');
    const none = await fetch(`${sim.url}/repos/acme/service/issues`);
    expect(none.status).toBe(401);
  });

  it('paginates with a Link header like GitHub, through /repositories/{id}', async () => {
    for (let i = 1; i <= 5; i += 1) {
      sim.seedIssue({ title: `Issue ${i}`, createdAt: `2026-12-0${i}T00:00:00Z` });
    }
    const first = await call('GET', '/repos/acme/service/issues?state=all&per_page=2');
    expect(first.body.map((i: { number: number }) => i.number)).toEqual([5, 4]);
    const link = first.headers.get('link') ?? '';
    const repositoryId = /repositories\/(\d+)\//.exec(link)?.[1];
    const base = `${sim.url}/repositories/${repositoryId}/issues`;
    expect(link).toBe(
      `<${base}?state=all&per_page=2&page=2>; rel="next", <${base}?state=all&per_page=2&page=3>; rel="last"`,
    );

    const second = await call('GET', `${base}?state=all&per_page=2&page=2`);
    expect(second.body.map((i: { number: number }) => i.number)).toEqual([3, 2]);
    expect(second.headers.get('link')).toBe(
      `<${base}?state=all&per_page=2&page=1>; rel="prev", <${base}?state=all&per_page=2&page=3>; rel="next", ` +
        `<${base}?state=all&per_page=2&page=3>; rel="last", <${base}?state=all&per_page=2&page=1>; rel="first"`,
    );
    const last = await call('GET', `${base}?state=all&per_page=2&page=3`);
    expect(last.body.map((i: { number: number }) => i.number)).toEqual([1]);
    expect(last.headers.get('link')).not.toContain('rel="next"');

    const single = await call('GET', '/repos/acme/service/issues?per_page=100');
    expect(single.headers.get('link')).toBeNull();
  });

  it('lists 30 per page by default and at most 100', async () => {
    for (let i = 0; i < 120; i += 1) sim.seedIssue({ title: `Issue ${i}` });
    expect((await call('GET', '/repos/acme/service/issues')).body).toHaveLength(30);
    expect((await call('GET', '/repos/acme/service/issues?per_page=500')).body).toHaveLength(100);
  });

  it('filters by state (open by default) and by labels, all of which must match, ignoring case', async () => {
    sim.seedIssue({ title: 'Incident', labels: ['incident', 'claude-api'] });
    sim.seedIssue({ title: 'Only incident label', labels: ['incident'] });
    sim.seedIssue({ title: 'Closed incident', labels: ['incident', 'claude-api'], state: 'closed' });
    const titles = (answer: Answer) => answer.body.map((i: { title: string }) => i.title);

    expect(titles(await call('GET', '/repos/acme/service/issues?labels=incident,Claude-API'))).toEqual([
      'Incident',
    ]);
    expect(titles(await call('GET', '/repos/acme/service/issues?labels=incident&state=closed'))).toEqual([
      'Closed incident',
    ]);
    expect(
      titles(await call('GET', '/repos/acme/service/issues?labels=incident&state=all&direction=asc')),
    ).toEqual(['Incident', 'Only incident label', 'Closed incident']);
  });

  it("filters by creator, so a monitor can tell its own issues from people's", async () => {
    sim.seedIssue({ title: 'By a person', labels: ['incident'] });
    await call('POST', '/repos/acme/service/issues', { title: 'By the bot', labels: ['incident'] });
    const mine = await call(
      'GET',
      '/repos/acme/service/issues?labels=incident&creator=github-actions%5Bbot%5D',
    );
    expect(mine.body.map((i: { title: string }) => i.title)).toEqual(['By the bot']);
  });

  it('sorts by updated time when asked', async () => {
    sim.seedIssue({ title: 'Old', createdAt: '2026-12-01T00:00:00Z' });
    sim.seedIssue({ title: 'New', createdAt: '2026-12-02T00:00:00Z' });
    later(1);
    sim.editBody(1, 'someone wrote here');
    const byUpdate = await call('GET', '/repos/acme/service/issues?sort=updated');
    expect(byUpdate.body.map((i: { title: string }) => i.title)).toEqual(['Old', 'New']);
  });

  it('replaces the whole label set when PATCH carries labels, and leaves labels alone otherwise', async () => {
    sim.seedIssue({ title: 'Incident', labels: ['incident', 'sev:P2', 'person-added'] });
    const retitled = await call('PATCH', '/repos/acme/service/issues/1', { title: 'Renamed' });
    expect(retitled.body.labels.map((l: { name: string }) => l.name)).toEqual([
      'incident',
      'sev:P2',
      'person-added',
    ]);
    const relabelled = await call('PATCH', '/repos/acme/service/issues/1', {
      labels: ['incident', 'sev:P1'],
    });
    expect(relabelled.body.labels.map((l: { name: string }) => l.name)).toEqual(['incident', 'sev:P1']);
  });

  it('adds, lists and removes labels on an issue, with 404 for a label it does not carry', async () => {
    sim.seedIssue({ title: 'Incident', labels: ['incident'] });
    const added = await call('POST', '/repos/acme/service/issues/1/labels', { labels: ['sev:P1'] });
    expect(added.status).toBe(200);
    expect(added.body.map((l: { name: string }) => l.name)).toEqual(['incident', 'sev:P1']);
    const removed = await call('DELETE', '/repos/acme/service/issues/1/labels/sev%3AP1');
    expect(removed.body.map((l: { name: string }) => l.name)).toEqual(['incident']);
    const missing = await call('DELETE', '/repos/acme/service/issues/1/labels/nope');
    expect(missing.status).toBe(404);
    expect(missing.body.message).toBe('Label does not exist');
  });

  it('lists and creates repository labels, refusing a duplicate with 422 already_exists', async () => {
    const created = await call('POST', '/repos/acme/service/labels', { name: 'incident', color: 'b60205' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'incident', color: 'b60205', default: false });
    const duplicate = await call('POST', '/repos/acme/service/labels', { name: 'Incident' });
    expect(duplicate.status).toBe(422);
    expect(duplicate.body.errors).toEqual([{ resource: 'Label', code: 'already_exists', field: 'name' }]);
    expect(
      (await call('GET', '/repos/acme/service/labels')).body.map((l: { name: string }) => l.name),
    ).toEqual(['incident']);
  });

  it('locks and unlocks with 204 and no body', async () => {
    sim.seedIssue({ title: 'Incident' });
    const locked = await call('PUT', '/repos/acme/service/issues/1/lock', { lock_reason: 'resolved' });
    expect(locked.status).toBe(204);
    expect(locked.body).toBeUndefined();
    expect(sim.issue(1)).toMatchObject({ locked: true, active_lock_reason: 'resolved' });
    expect((await call('DELETE', '/repos/acme/service/issues/1/lock')).status).toBe(204);
    expect(sim.issue(1)?.locked).toBe(false);
  });

  it('reopens a closed issue with state_reason reopened', async () => {
    sim.seedIssue({ title: 'Incident', state: 'closed' });
    const reopened = await call('PATCH', '/repos/acme/service/issues/1', { state: 'open' });
    expect(reopened.body).toMatchObject({ state: 'open', state_reason: 'reopened', closed_at: null });
  });

  it('refuses bad input like GitHub: missing title, unknown state, unparsable JSON', async () => {
    sim.seedIssue({ title: 'Incident' });
    const untitled = await call('POST', '/repos/acme/service/issues', { body: 'no title' });
    expect(untitled.status).toBe(422);
    expect(untitled.body.message).toBe('Invalid request.\n\n"title" wasn\'t supplied.');
    const badState = await call('PATCH', '/repos/acme/service/issues/1', { state: 'resolved' });
    expect(badState.status).toBe(422);
    const notJson = await call('POST', '/repos/acme/service/issues', '{"title":');
    expect(notJson.status).toBe(400);
    expect(notJson.body.message).toBe('Problems parsing JSON');
    expect(sim.issues()).toHaveLength(1);
  });

  it('answers 404 for an unknown issue, 410 for a deleted one, and 410 when issues are disabled', async () => {
    sim.seedIssue({ title: 'Incident' });
    sim.seedIssue({ title: 'Deleted later' });
    expect((await call('GET', '/repos/acme/service/issues/9')).status).toBe(404);
    sim.deleteIssue(2);
    const deleted = await call('GET', '/repos/acme/service/issues/2');
    expect(deleted.status).toBe(410);
    expect(deleted.body.message).toBe('This issue was deleted');
    expect(sim.issues().map((i) => i.number)).toEqual([1]);
    sim.setIssuesEnabled(false);
    const disabled = await call('GET', '/repos/acme/service/issues');
    expect(disabled.status).toBe(410);
    expect(disabled.body.message).toBe('Issues are disabled for this repo');
  });

  it('answers 301 to the new location for a transferred issue, which serves it', async () => {
    sim.seedIssue({ title: 'Incident', labels: ['incident'] });
    const moved = sim.transferIssue(1, { owner: 'acme', repo: 'archive' });
    const old = await call('GET', '/repos/acme/service/issues/1');
    expect(old.status).toBe(301);
    const location = old.headers.get('location') ?? '';
    expect(location).toMatch(/\/repositories\/\d+\/issues\/1$/);
    expect(old.body.message).toBe('Moved Permanently');
    const followed = await call('GET', location);
    expect(followed.body).toMatchObject({ title: 'Incident', number: moved.number });
    expect(followed.body.repository_url).toBe(`${sim.url}/repos/acme/archive`);
    expect(sim.issues()).toEqual([]);
  });

  it('fails the next matching request without performing it', async () => {
    sim.failNext({ method: 'POST', path: /\/issues$/, status: 502 });
    const failed = await call('POST', '/repos/acme/service/issues', { title: 'Lost' });
    expect(failed.status).toBe(502);
    expect(sim.issues()).toEqual([]);
    const retried = await call('POST', '/repos/acme/service/issues', { title: 'Second try' });
    expect(retried.status).toBe(201);
  });

  it('can perform a write and then drop the connection, so the client never learns it succeeded', async () => {
    sim.failNext({ method: 'POST', path: /\/issues$/, status: 'drop', applyWrite: true });
    await expect(
      call('POST', '/repos/acme/service/issues', { title: 'Written but unanswered' }),
    ).rejects.toThrow();
    expect(sim.issues().map((i) => i.title)).toEqual(['Written but unanswered']);
    expect(sim.requests.at(-1)).toMatchObject({
      method: 'POST',
      path: '/repos/acme/service/issues',
      status: null,
    });
  });

  it('can perform a write and then answer 500', async () => {
    sim.seedIssue({ title: 'Incident' });
    sim.failNext({ method: 'PATCH', path: /\/issues\/1$/, status: 500, applyWrite: true, times: 2 });
    expect((await call('PATCH', '/repos/acme/service/issues/1', { state: 'closed' })).status).toBe(500);
    expect((await call('PATCH', '/repos/acme/service/issues/1', { state: 'closed' })).status).toBe(500);
    expect((await call('PATCH', '/repos/acme/service/issues/1', { state: 'closed' })).status).toBe(200);
    expect(sim.issue(1)?.state).toBe('closed');
  });

  it('injects a secondary rate limit with retry-after', async () => {
    sim.failNext({ method: 'GET', path: /\/issues$/, ...secondaryRateLimit(30) });
    const limited = await call('GET', '/repos/acme/service/issues');
    expect(limited.status).toBe(403);
    expect(limited.headers.get('retry-after')).toBe('30');
    expect(limited.body.message).toContain('secondary rate limit');
  });

  it('lets tests act like people: edits, closes and locks show up in the API', async () => {
    sim.seedIssue({ title: 'Incident', body: 'machine part' });
    later(3);
    sim.editBody(1, 'machine part\n\nRoot cause: a person wrote this');
    const edited = await call('GET', '/repos/acme/service/issues/1');
    expect(edited.body.body).toBe('machine part\n\nRoot cause: a person wrote this');
    expect(edited.body.updated_at).toBe('2026-12-03T09:03:00Z');
    sim.closeIssue(1, 'not_planned');
    const closed = await call('GET', '/repos/acme/service/issues/1');
    expect(closed.body).toMatchObject({ state: 'closed', state_reason: 'not_planned' });
    expect(closed.body.closed_by.login).toBe('oncall-person');
  });

  it('logs every request with its method, path and status', async () => {
    await call('GET', '/repos/acme/service/issues?state=all');
    await call('GET', '/repos/acme/service/issues/7');
    expect(sim.requests.map(({ method, path, status }) => ({ method, path, status }))).toEqual([
      { method: 'GET', path: '/repos/acme/service/issues?state=all', status: 200 },
      { method: 'GET', path: '/repos/acme/service/issues/7', status: 404 },
    ]);
  });

  it('sends rate-limit headers that count down', async () => {
    const first = await call('GET', '/repos/acme/service/issues');
    const second = await call('GET', '/repos/acme/service/issues');
    expect(first.headers.get('x-ratelimit-limit')).toBe('5000');
    expect(Number(second.headers.get('x-ratelimit-remaining'))).toBe(
      Number(first.headers.get('x-ratelimit-remaining')) - 1,
    );
  });
});
