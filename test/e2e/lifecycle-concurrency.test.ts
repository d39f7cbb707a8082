/**
 * Exactly one open incident: overlapping runs (a schedule and a manual dispatch, or several at once)
 * converge on one open issue; the duplicates are closed as duplicates with a link, the oldest kept.
 * Without relying on a `concurrency` group.
 */
import { describe, expect, it } from 'vitest';
import { rendered, SCENARIO_TIMEOUT_MS, startGitHubProxy, withLifecycle } from './lifecycle-harness.js';
import type { LifecycleScenario } from './lifecycle-harness.js';

const OPEN_LIST = /\/issues\?.*state=open/;

/** The open incident issues and, for every other issue, its state, reason and comments. */
function picture(s: LifecycleScenario) {
  return s.issues().map((issue) => ({
    number: issue.number,
    state: issue.state,
    reason: issue.state_reason,
    comments: s.comments(issue.number).map((c) => c.split('\n')[0]),
  }));
}

describe('lifecycle: one open incident', { timeout: SCENARIO_TIMEOUT_MS }, () => {
  it('two runs that both found no incident and both opened one converge on the oldest', async () => {
    await withLifecycle(async (s) => {
      // Hold the first open-issue list of each run until both have asked: both see no incident.
      let waiting: (() => void)[] = [];
      let held = 0;
      const proxy = await startGitHubProxy(s.sim.github.url, async (method, url) => {
        if (method !== 'GET' || !OPEN_LIST.test(url) || held >= 2) return;
        held += 1;
        await new Promise<void>((resolve) => {
          waiting.push(resolve);
          if (waiting.length === 2) {
            for (const release of waiting) release();
            waiting = [];
          }
        });
      });
      try {
        s.setGitHubUrl(proxy.url);
        s.sim.anthropic.setBehaviour('overloaded');
        const runs = await s.runTogether(0, 2);
        expect(runs.map((r) => r.exitCode)).toEqual([0, 0]);
        expect(runs.map((r) => r.outputs['issue-number']).sort()).toEqual(['1', '1']);
        expect(runs.map((r) => r.outputs['action-taken']).sort()).toEqual(['none', 'opened']);
        expect(picture(s)).toEqual([
          { number: 1, state: 'open', reason: null, comments: [] },
          { number: 2, state: 'closed', reason: 'duplicate', comments: ['Duplicate of #1'] },
        ]);
        const loser = runs.find((r) => r.outputs['action-taken'] === 'none')!;
        expect(rendered(loser.summary)).toContain(
          'Another run opened #1 for this incident at the same time: #2 was closed as its duplicate.',
        );
      } finally {
        await proxy.close();
      }

      // The next run maintains #1 and leaves the closed duplicate alone.
      s.setGitHubUrl(s.sim.github.url);
      const next = await s.run(10);
      expect(next.outputs).toMatchObject({ 'action-taken': 'updated', 'issue-number': '1' });
      expect(picture(s)).toHaveLength(2);
      expect(s.comments(2)).toHaveLength(1);
    });
  });

  it('three runs at once leave one open issue, whatever the interleaving', async () => {
    await withLifecycle(async (s) => {
      s.sim.anthropic.setBehaviour('overloaded');
      const runs = await s.runTogether(0, 3);
      expect(runs.map((r) => r.exitCode)).toEqual([0, 0, 0]);
      const issues = picture(s);
      expect(issues.filter((i) => i.state === 'open').map((i) => i.number)).toEqual([1]);
      for (const other of issues.slice(1)) {
        expect(other).toEqual({
          number: other.number,
          state: 'closed',
          reason: 'duplicate',
          comments: ['Duplicate of #1'],
        });
      }
      expect(runs.every((r) => r.outputs['issue-number'] === '1')).toBe(true);
    });
  });

  it('closes duplicates found at the start of a run, keeping the oldest', async () => {
    await withLifecycle(async (s) => {
      s.sim.anthropic.setBehaviour('overloaded');
      await s.run(0);
      // What a crashed racing run leaves behind: a second open incident issue.
      const first = s.sim.github.issue(1)!;
      s.sim.github.seedIssue({
        title: first.title,
        body: first.body,
        labels: ['incident', 'severity:P1'],
        user: 'github-actions[bot]',
      });
      const run = await s.run(10);
      expect(run.outputs).toMatchObject({ 'action-taken': 'updated', 'issue-number': '1' });
      expect(rendered(run.summary)).toContain(
        'More than one incident issue was open: keeping the oldest, #1, and closing #2 as duplicates.',
      );
      expect(picture(s)).toEqual([
        { number: 1, state: 'open', reason: null, comments: [] },
        { number: 2, state: 'closed', reason: 'duplicate', comments: ['Duplicate of #1'] },
      ]);
      expect(s.comments(2)[0]).toContain(
        'this one is closed as its duplicate so that there is one issue per incident',
      );
    });
  });
});
