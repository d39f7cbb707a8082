/**
 * People own the issue: their text, ticks, reordering and line endings survive byte for byte; deleted
 * markers mean comments only; a close by a person is respected; locked, deleted and transferred issues
 * are handled and explained, never retried forever.
 */
import { describe, expect, it } from 'vitest';
import {
  labelNames,
  memoryOf,
  peoplesParts,
  rendered,
  SCENARIO_TIMEOUT_MS,
  startGitHubProxy,
  withLifecycle,
} from './lifecycle-harness.js';

/**
 * What an on-call engineer does in the web editor: CRLF line endings, a ticked box, a root cause, a
 * note between sections, and the Request IDs section moved above Mitigation.
 */
function editedByPeople(body: string): string {
  const requestIds = body.slice(body.indexOf('### Request IDs'), body.indexOf('### Action Items'));
  return body
    .replace(requestIds, '')
    .replace('### Mitigation', `${requestIds}### Mitigation`)
    .replace('- [ ] ', '- [x] ')
    .replace(
      /_What caused it\?.*_/,
      'Capacity shortfall upstream, confirmed by the vendor.\n\n@dana owns the follow-up.',
    )
    .replace('_Describe the impact on users and systems here._', 'Checkout failed for 9% of EU users.')
    .replace(/\n/g, '\r\n');
}

/** Every section of the action, markers and content, removed: what is left is people's text. */
function withoutSections(body: string): string {
  return body.replace(/<!-- runbook:begin ([a-z-]+) -->[\s\S]*?<!-- runbook:end \1 -->\n?/g, '');
}

describe('lifecycle: people own the issue', { timeout: SCENARIO_TIMEOUT_MS }, () => {
  it("keeps people's text, ticks, order and CRLF byte for byte through a change, a gap in monitoring and the close", async () => {
    await withLifecycle(async (s) => {
      s.sim.anthropic.setBehaviour('overloaded');
      await s.run(0);
      const edited = editedByPeople(s.sim.github.issue(1)!.body!);
      s.sim.github.editBody(1, edited);
      const people = peoplesParts(edited);
      expect(people).toHaveLength(10);

      s.sim.anthropic.setBehaviour('server-error');
      await s.run(10); // a change: one comment
      await s.run(20);
      await s.run(80); // after an hour without runs: the gap is written in the timeline
      s.sim.anthropic.setBehaviour('healthy');
      for (const m of [90, 100]) await s.run(m);

      const closed = s.sim.github.issue(1)!;
      expect(closed.state).toBe('closed');
      expect(peoplesParts(closed.body)).toEqual(people);
      expect(closed.body!.replace(/\r\n/g, '')).not.toContain('\n');
      expect(s.comments(1).map((c) => c.split('\n')[0])).toEqual([
        '**Diagnosis changed: P1 API overloaded (529) → P1 API server errors (5xx)**',
        '**No observation from 2026-12-03 09:20 UTC to 2026-12-03 10:20 UTC (1 h).** The workflow did not run, or its runs could not reach the API: what happened in between is unknown.',
        '**Recovered.** 2 consecutive healthy runs; closing.',
      ]);
    });
  });

  it('falls back to comments when people delete the machine sections, and leaves the body to them', async () => {
    await withLifecycle(async (s) => {
      s.sim.anthropic.setBehaviour('overloaded');
      await s.run(0);
      const bare = withoutSections(s.sim.github.issue(1)!.body!);
      s.sim.github.editBody(1, bare);

      s.sim.anthropic.setBehaviour('server-error');
      await s.run(10);
      await s.run(20);
      const body = s.sim.github.issue(1)!.body!;
      // Only the hidden memory changed; nothing was added back.
      expect(peoplesParts(body)).toEqual(peoplesParts(bare));
      expect(body).not.toContain('<!-- runbook:begin');
      const comments = s.comments(1);
      expect(comments).toHaveLength(1);
      expect(comments[0]!.split('\n')[0]).toBe(
        '**Diagnosis changed: P1 API overloaded (529) → P1 API server errors (5xx)**',
      );
      expect(comments[0]).toContain('| claude-haiku-4-5 | P1 | 5 | 0 | 5 | 100% |');
      expect(memoryOf(body)).toMatchObject({
        diagnosis: 'server_error',
        diagnosesSeen: ['overloaded', 'server_error'],
      });
    });
  });

  it('does not reopen an issue a person closed while it was failing; notes it once; opens a new issue only for a new episode', async () => {
    await withLifecycle(async (s) => {
      s.sim.anthropic.setBehaviour('overloaded');
      await s.run(0);
      s.sim.github.closeIssue(1, 'not_planned', 'dana');

      const first = await s.run(10);
      expect(first.outputs).toMatchObject({ severity: 'P1', 'action-taken': 'none' });
      expect(rendered(first.summary)).toContain(
        'but #1 was closed by people while the incident was going on: it is not reopened',
      );
      const second = await s.run(20);
      expect(second.outputs['action-taken']).toBe('none');
      expect(s.issues()).toHaveLength(1);
      expect(s.sim.github.issue(1)).toMatchObject({ state: 'closed', state_reason: 'not_planned' });
      expect(s.comments(1).map((c) => c.split('\n')[0])).toEqual([
        '**Still failing after this issue was closed: P1 API overloaded (529).** The action will not reopen it or open another issue for this incident.',
      ]);

      s.sim.anthropic.setBehaviour('healthy');
      for (const m of [30, 40]) expect((await s.run(m)).outputs['action-taken']).toBe('none');
      expect(memoryOf(s.sim.github.issue(1)!.body).episodeEndedAt).toBe('2026-12-03T09:40:00.000Z');

      s.sim.anthropic.setBehaviour('overloaded');
      const newEpisode = await s.run(50);
      expect(newEpisode.outputs).toMatchObject({ 'action-taken': 'opened', 'issue-number': '2' });
      expect(s.sim.github.issue(1)!.state).toBe('closed');
      expect(s.comments(1)).toHaveLength(1);
    });
  });

  it('posts no comment on a locked issue, still updates and closes it, and says so', async () => {
    await withLifecycle(async (s) => {
      s.sim.anthropic.setBehaviour('overloaded');
      await s.run(0);
      s.sim.github.lock(1, 'too heated');
      const before = s.sim.github.requests.length;

      s.sim.statusPage.setScenario('api-partial-outage');
      s.sim.anthropic.setBehaviour('healthy');
      const change = await s.run(10);
      expect(change.outputs).toMatchObject({ severity: 'P2', 'action-taken': 'updated' });
      expect(rendered(change.summary)).toContain('Issue #1 is locked: no comment was posted');
      const issue = s.sim.github.issue(1)!;
      expect(labelNames(issue)).toEqual(['incident', 'severity:P2']);
      expect(issue.title).toBe('P2 Claude API incident: Anthropic status page incident');

      s.sim.statusPage.setScenario('operational');
      for (const m of [20, 30, 40, 50]) await s.run(m);
      expect(s.sim.github.issue(1)!.state).toBe('closed');
      expect(s.comments(1)).toEqual([]);
      const commentWrites = s.sim.github.requests
        .slice(before)
        .filter((r) => r.method === 'POST' && r.path.endsWith('/comments'));
      expect(commentWrites).toEqual([]);
    });
  });

  it('explains a deleted incident issue, opens a new one for the ongoing failure, and never retries', async () => {
    await withLifecycle(async (s) => {
      s.sim.anthropic.setBehaviour('overloaded');
      await s.run(0);
      s.sim.github.deleteIssue(1);
      const run = await s.run(10);
      expect(run.stdout).toContain(
        '::warning::Issue #1 was deleted (HTTP 410). It was the incident issue followed by the last run',
      );
      expect(run.outputs).toMatchObject({ 'action-taken': 'opened', 'issue-number': '2' });
      expect(s.issues().map((i) => i.number)).toEqual([2]);
      expect((await s.run(20)).stdout).not.toContain('::warning::');
    });
  });

  it('explains an issue transferred or deleted between the list and the write, without failing or retrying', async () => {
    await withLifecycle(async (s) => {
      s.sim.anthropic.setBehaviour('overloaded');
      await s.run(0);
      // Someone transfers the issue while the next run is probing: its first write meets a 301.
      let moved = false;
      const proxy = await startGitHubProxy(s.sim.github.url, async (method) => {
        if (method !== 'GET' && !moved) {
          moved = true;
          s.sim.github.transferIssue(1, { owner: 'acme', repo: 'archive' });
        }
      });
      try {
        s.setGitHubUrl(proxy.url);
        s.sim.anthropic.setBehaviour('server-error');
        const before = s.sim.github.requests.length;
        const run = await s.run(10);
        expect(run.exitCode).toBe(0);
        expect(run.stdout).toContain(
          '::warning::Issue #1 was transferred to another repository (HTTP 301): the action does not follow it there. It is not retried; the next unhealthy run opens a new incident issue.',
        );
        expect(run.outputs).toMatchObject({ severity: 'P1', 'action-taken': 'none', 'issue-number': '' });
        const writes = s.sim.github.requests.slice(before).filter((r) => r.method !== 'GET');
        expect(writes.map((w) => [w.method, w.status])).toEqual([['POST', 301]]);
      } finally {
        await proxy.close();
      }
      s.setGitHubUrl(s.sim.github.url);
      const next = await s.run(20);
      expect(next.outputs).toMatchObject({ 'action-taken': 'opened', 'issue-number': '2' });

      // Deleted between the list and the write: 410, explained the same way.
      s.sim.github.failNext({ method: 'PATCH', path: /\/issues\/2$/, status: 410 });
      const sent = s.sim.github.requests.length;
      const gone = await s.run(30);
      const patches = s.sim.github.requests.slice(sent).filter((r) => r.method === 'PATCH');
      expect(patches.map((r) => r.status)).toEqual([410]);
      expect(gone.exitCode).toBe(0);
      expect(gone.stdout).toContain('::warning::Issue #2 was deleted (HTTP 410).');
      expect(gone.outputs['action-taken']).toBe('none');
    });
  });
});
