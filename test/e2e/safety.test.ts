/**
 * What the bundled action must never do: raise a false alarm from a blind runner, treat its own
 * misconfiguration as an incident, touch issues that are not its own, open duplicates, or leak the key.
 */
import { describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import { refusedUrl } from '../../sim/index.js';
import {
  API_KEY,
  commentBodies,
  issuesOnly,
  logWithoutMaskCommand,
  withScenario,
  writes,
  type RunRecord,
  type Scenario,
} from './harness.js';

/** The `::error::` lines of a run's log: how the runner shows why a step failed. */
function errorLines(run: RunRecord): string[] {
  return run.stdout.split('\n').filter((line) => line.startsWith('::error::'));
}

/** Everything the action made visible on GitHub: titles, bodies, comments, and every request body it sent. */
function everythingPosted(scenario: Scenario): string {
  const { github } = scenario.sim;
  const issues = github.issues();
  return [
    ...issues.flatMap((issue) => [issue.title, issue.body ?? '']),
    ...issues.flatMap((issue) => github.comments(issue.number).map((comment) => comment.body)),
    ...github.requests.map((request) => JSON.stringify(request.body ?? '')),
  ].join('\n');
}

describe.concurrent('a runner that cannot reach the API', () => {
  it('warns, exits 0 and leaves an open incident exactly as it was', async () => {
    await withScenario(async (scenario) => {
      const { anthropic, github } = scenario.sim;
      anthropic.setBehaviour('overloaded');
      await scenario.run();
      const before = issuesOnly(scenario)[0]!;

      const blind = await scenario.run({ 'anthropic-base-url': await refusedUrl() });

      expect(blind.exitCode).toBe(0);
      expect(blind.stdout).toMatch(
        /^::warning::Inconclusive: No request reached the API: 3 requests failed on the runner's network \(ECONNREFUSED ×3\)/m,
      );
      expect(blind.outputs).toMatchObject({
        severity: 'none',
        diagnosis: 'inconclusive',
        'action-taken': 'none',
      });
      expect(blind.summary).toMatch(/^## Claude API triage: Inconclusive: the probes never reached the API/);
      // Only the list call that finds the incident; nothing addressed to the issue itself.
      expect(blind.githubRequests.map((r) => `${r.method} ${r.path.split('?')[0]}`)).toEqual([
        `GET /repos/${github.owner}/${github.repo}/issues`,
      ]);
      expect(issuesOnly(scenario)).toEqual([before]);
      expect(commentBodies(scenario, before.number)).toEqual([]);
    });
  });

  it('opens nothing even when the status page reports a major outage', async () => {
    await withScenario(async (scenario) => {
      scenario.sim.statusPage.setScenario('api-major-outage');
      const blind = await scenario.run({ 'anthropic-base-url': await refusedUrl() });

      expect(blind.exitCode).toBe(0);
      expect(blind.outputs).toMatchObject({
        severity: 'none',
        diagnosis: 'inconclusive',
        'action-taken': 'none',
      });
      expect(blind.stdout).toContain('::warning::');
      expect(issuesOnly(scenario)).toHaveLength(0);
      expect(writes(blind.githubRequests)).toEqual([]);
    });
  });
});

describe.concurrent('a misconfigured probe', () => {
  it('fails the run, naming the 400, and leaves the open incident alone', async () => {
    await withScenario(async (scenario) => {
      const { anthropic, github } = scenario.sim;
      anthropic.setBehaviour('overloaded');
      await scenario.run();
      const before = issuesOnly(scenario)[0]!;
      anthropic.setBehaviour('invalid-request');

      const run = await scenario.run();

      expect(run.exitCode).toBe(1);
      expect(errorLines(run)).toHaveLength(1);
      expect(errorLines(run)[0]).toContain(
        'claude-haiku-4-5: the API rejected the probe as invalid (400 invalid_request_error: "messages.0.content: Input should be a valid list")',
      );
      expect(run.outputs).toMatchObject({
        severity: 'none',
        diagnosis: 'config_error',
        'action-taken': 'none',
      });
      expect(run.summary).toMatch(/^## Claude API triage: Configuration error/);
      expect(writes(run.githubRequests)).toEqual([]);
      expect(github.issue(before.number)).toEqual(before);
    });
  });

  it('fails the run on a redirecting base URL without following it or opening an issue', async () => {
    await withScenario(async (scenario) => {
      scenario.sim.anthropic.setBehaviour('redirect');
      const run = await scenario.run();

      expect(run.exitCode).toBe(1);
      expect(errorLines(run)[0]).toMatch(
        /the base URL answered 301 redirecting to http:\/\/127\.0\.0\.1:\d+\/moved\/v1\/messages/,
      );
      // The key is never sent to where the redirect points.
      expect(scenario.sim.anthropic.requests.map((r) => r.path)).toEqual(Array(3).fill('/v1/messages'));
      expect(issuesOnly(scenario)).toHaveLength(0);
    });
  });

  it.each<{ input: string; inputs: Record<string, string>; names: string }>([
    { input: 'samples', inputs: { samples: '0' }, names: 'Input "samples" has an invalid value "0"' },
    {
      input: 'anthropic-api-key',
      inputs: { 'anthropic-api-key': '' },
      names: 'Input "anthropic-api-key" is required',
    },
    {
      input: 'request-timeout-ms',
      inputs: { 'request-timeout-ms': '500', 'latency-threshold-ms': '800' },
      names: 'Input "request-timeout-ms" has an invalid value "500"',
    },
    {
      input: 'models',
      inputs: { models: 'claude haiku' },
      names: 'Input "models" has an invalid value "claude haiku"',
    },
  ])('rejects a bad $input before sending any request', async ({ inputs, names }) => {
    await withScenario(async (scenario) => {
      const run = await scenario.run(inputs);

      expect(run.exitCode).toBe(1);
      expect(errorLines(run)).toHaveLength(1);
      expect(errorLines(run)[0]).toContain(names);
      expect(scenario.sim.anthropic.requests).toEqual([]);
      expect(scenario.sim.statusPage.requests).toEqual([]);
      expect(scenario.sim.github.requests).toEqual([]);
    });
  });
});

describe.concurrent('issues that are not the incident', () => {
  it('ignores a person’s issue and a pull request carrying the label, and opens its own', async () => {
    await withScenario(async (scenario) => {
      const { anthropic, github } = scenario.sim;
      const personal = github.seedIssue({
        title: 'Postmortem of last week',
        body: 'Claude API incident notes, written by hand.',
        labels: ['incident'],
        comments: ['Adding the timeline tomorrow.'],
      });
      const pull = github.seedPullRequest({
        title: 'Retry 529s with backoff',
        body: 'Fixes the incident.',
        labels: ['incident'],
      });
      anthropic.setBehaviour('overloaded');

      const run = await scenario.run();

      expect(run.outputs['action-taken']).toBe('opened');
      const opened = Number(run.outputs['issue-number']);
      expect([personal.number, pull.number]).not.toContain(opened);
      expect(github.issue(personal.number)).toEqual(personal);
      expect(github.issue(pull.number)).toEqual(pull);
      expect(commentBodies(scenario, personal.number)).toEqual(['Adding the timeline tomorrow.']);
      expect(writes(run.githubRequests)).toEqual([`POST /repos/${github.owner}/${github.repo}/issues`]);

      const again = await scenario.run();
      expect(again.outputs).toMatchObject({ 'action-taken': 'updated', 'issue-number': String(opened) });
      expect(github.issue(personal.number)).toEqual(personal);
      expect(issuesOnly(scenario).map((i) => i.number)).toEqual([personal.number, opened]);
    });
  });
});

describe.concurrent('an outsider imitating the incident issue', () => {
  it('is not followed: a labelled issue with the marker from someone with no role in the repository', async () => {
    await withScenario(async (scenario) => {
      const { anthropic, github } = scenario.sim;
      const spam = github.seedIssue({
        title: 'Spam: buy now',
        body: '<!-- claude-incident-runbook:incident -->\nBuy now.',
        labels: ['incident'],
        user: 'drive-by-account',
        authorAssociation: 'NONE',
      });
      anthropic.setBehaviour('overloaded');

      const run = await scenario.run();

      expect(run.outputs['action-taken']).toBe('opened');
      expect(Number(run.outputs['issue-number'])).not.toBe(spam.number);
      expect(github.issue(spam.number)).toEqual(spam);
      expect(issuesOnly(scenario).filter((i) => i.state === 'open')).toHaveLength(2);
    });
  });
});

describe.concurrent('GitHub refusing or losing writes', () => {
  it('fails the run with what to fix when the token cannot write issues', async () => {
    await withScenario(async (scenario) => {
      const { anthropic, github } = scenario.sim;
      github.setPermissions('read');
      anthropic.setBehaviour('overloaded');

      const run = await scenario.run();

      expect(run.exitCode).toBe(1);
      expect(errorLines(run)).toHaveLength(1);
      expect(errorLines(run)[0]).toContain('GitHub creating the incident issue failed (HTTP 403)');
      expect(errorLines(run)[0]).toContain('add "permissions: issues: write" to the workflow job');
      // The verdict is still in the log for whoever reads the failed run.
      expect(run.stdout).toContain('Verdict: P1 overloaded');
      expect(issuesOnly(scenario)).toHaveLength(0);
    });
  });

  it('fails instead of opening a duplicate when the open incidents cannot be listed', async () => {
    await withScenario(async (scenario) => {
      const { anthropic, github } = scenario.sim;
      anthropic.setBehaviour('overloaded');
      await scenario.run();
      github.failNext({ method: 'GET', path: /\/issues$/, status: 502, times: 3 });

      const run = await scenario.run();

      expect(run.exitCode).toBe(1);
      expect(errorLines(run)[0]).toContain('GitHub listing open incident issues failed (HTTP 502)');
      expect(writes(run.githubRequests)).toEqual([]);
      expect(issuesOnly(scenario)).toHaveLength(1);
    });
  });

  it('opens exactly one issue when the answer to its create is lost', async () => {
    await withScenario(async (scenario) => {
      const { anthropic, github } = scenario.sim;
      anthropic.setBehaviour('overloaded');
      github.failNext({ method: 'POST', path: /\/issues$/, status: 502, applyWrite: true });

      const run = await scenario.run();

      expect(run.exitCode).toBe(0);
      const issues = issuesOnly(scenario);
      expect(issues).toHaveLength(1);
      expect(run.outputs).toMatchObject({
        'action-taken': 'opened',
        'issue-number': String(issues[0]!.number),
      });
      expect(writes(run.githubRequests)).toEqual([`POST /repos/${github.owner}/${github.repo}/issues`]);
    });
  });

  it('fails the run when a comment is refused for a reason other than a lock', async () => {
    await withScenario(async (scenario) => {
      const { anthropic, github } = scenario.sim;
      anthropic.setBehaviour('overloaded');
      await scenario.run();
      const number = issuesOnly(scenario)[0]!.number;
      // A plain 403 on the timeline comment: our generic 403 hint mentions locks, GitHub's message does not.
      github.failNext({ method: 'POST', path: /\/comments$/, status: 403, body: { message: 'Forbidden' } });

      anthropic.setBehaviour('server-error');
      const changed = await scenario.run();
      expect(changed.exitCode).toBe(1);
      expect(changed.outputs['action-taken']).toBe('failed');
      expect(changed.stdout).toContain('::error::');
      expect(changed.stdout).not.toContain('is locked: the comment was not posted');
      expect(commentBodies(scenario, number)).toEqual([]);
    });
  });

  it('keeps a locked incident up to date and closes it without trying to comment', async () => {
    await withScenario(async (scenario) => {
      const { anthropic, github } = scenario.sim;
      anthropic.setBehaviour('overloaded');
      await scenario.run();
      const number = issuesOnly(scenario)[0]!.number;
      github.lock(number);

      anthropic.setBehaviour('server-error');
      const changed = await scenario.run();
      expect(changed.exitCode).toBe(0);
      expect(github.issue(number)!.title).toBe(
        'P1 Claude API incident: API server errors (5xx) on claude-haiku-4-5',
      );

      anthropic.setBehaviour('healthy');
      // Closing waits for two healthy runs in a row.
      const recovering = await scenario.run();
      expect(recovering.outputs['action-taken']).toBe('recovering');
      const closing = await scenario.run();
      expect(closing.exitCode).toBe(0);
      expect(closing.outputs['action-taken']).toBe('closed');
      expect(github.issue(number)!.state).toBe('closed');
      expect(commentBodies(scenario, number)).toEqual([]);
      expect(
        [changed, recovering, closing]
          .flatMap((run) => run.githubRequests)
          .filter((r) => r.path.endsWith('/comments')),
      ).toEqual([]);
    });
  });
});

describe.concurrent('the API key', () => {
  it('never appears in the log, outputs, summary, issues or comments, even when the API echoes it', async () => {
    await withScenario(async (scenario) => {
      const { anthropic, github } = scenario.sim;
      const runs: RunRecord[] = [];
      anthropic.setBehaviour('echo-key');
      runs.push(await scenario.run({ 'dry-run': 'true' }));
      runs.push(await scenario.run()); // opened
      anthropic.setBehaviour('overloaded');
      runs.push(await scenario.run()); // diagnosis changed: a comment
      anthropic.setBehaviour('echo-key');
      runs.push(await scenario.run()); // changed back: another comment
      anthropic.setBehaviour('healthy');
      runs.push(await scenario.run()); // recovering: 1 of 2 healthy runs
      runs.push(await scenario.run()); // closed: the close comment

      expect(runs.map((r) => r.outputs['action-taken'])).toEqual([
        'dry-run:opened',
        'opened',
        'updated',
        'updated',
        'recovering',
        'closed',
      ]);
      // The key did go where it belongs, and the API did echo it back.
      expect(anthropic.requests.every((r) => r.headers['x-api-key'] === API_KEY)).toBe(true);
      const number = issuesOnly(scenario)[0]!.number;
      expect(commentBodies(scenario, number)).toHaveLength(3);
      expect(github.issue(number)!.body).toContain(
        'Internal server error while authorising key \\[REDACTED\\]',
      );

      const secrets = [API_KEY, github.token];
      const seen = [
        ...runs.flatMap((run) => [logWithoutMaskCommand(run), run.summary, ...Object.values(run.outputs)]),
        everythingPosted(scenario),
      ].join('\n');
      for (const secret of secrets) expect(seen).not.toContain(secret);
      expect(seen).not.toContain('sk-ant-');
      for (const run of runs) {
        expect(run.stdout.split('\n').filter((l) => l.startsWith('::add-mask::'))).toEqual([
          `::add-mask::${API_KEY}`,
        ]);
      }
    });
  });
});

describe.concurrent('the API key in status-page text', () => {
  it('is redacted before markdown escaping, so no tail of it reaches the summary, the issue or the outputs', async () => {
    await withScenario(async (scenario) => {
      const { anthropic, statusPage, github } = scenario.sim;
      const summary = JSON.parse(
        await readFile(new URL('../fixtures/statuspage/api-partial-outage.json', import.meta.url), 'utf8'),
      ) as { incidents: Array<{ name: string; incident_updates: Array<{ body: string }> }> };
      // Keys contain `_` and `-`, which markdown escaping would change: the tail must go too.
      summary.incidents[0]!.name = `Rotate ${API_KEY} now`;
      summary.incidents[0]!.incident_updates[0]!.body = `leaked: ${API_KEY}`;
      statusPage.setPayload(summary);
      anthropic.setBehaviour('overloaded');
      const dry = await scenario.run({ 'dry-run': 'true' });
      const real = await scenario.run();
      expect(real.outputs['action-taken']).toBe('opened');
      const tail = API_KEY.slice(-12);
      const seen = [dry, real]
        .flatMap((run) => [logWithoutMaskCommand(run), run.summary, ...Object.values(run.outputs)])
        .concat(everythingPosted(scenario))
        .join('\n');
      expect(seen.replace(/\\/g, '')).not.toContain(tail);
      // What escaping-before-redacting used to leave: the part of the key after its first `_` (`\_…`).
      expect(seen).not.toMatch(/\[REDACTED\](\\+_|[A-Za-z0-9-])/);
      expect(seen).toContain('Rotate [REDACTED] now');
      expect(github.issues()).toHaveLength(1);
    });
  });
});
