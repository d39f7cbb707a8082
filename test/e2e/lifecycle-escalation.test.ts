/**
 * One issue per episode: severity changes swap the label, retitle and post one timeline comment; runs
 * that change nothing post nothing, except an optional reminder every `reminder-interval`.
 */
import { describe, expect, it } from 'vitest';
import { labelNames, SCENARIO_TIMEOUT_MS, shown, withLifecycle } from './lifecycle-harness.js';

describe('lifecycle: escalation and de-escalation', { timeout: SCENARIO_TIMEOUT_MS }, () => {
  it('escalates P3 → P1 and de-escalates P1 → P2 in one issue: label swapped, retitled, one comment each', async () => {
    await withLifecycle(async (s) => {
      const seen: { taken: string; title: string; labels: string[]; comments: number }[] = [];
      const step = async (m: number): Promise<void> => {
        const run = await s.run(m);
        const issue = s.sim.github.issue(1);
        seen.push({
          taken: run.outputs['action-taken']!,
          title: issue?.title ?? '',
          labels: issue ? labelNames(issue) : [],
          comments: issue ? s.comments(1).length : 0,
        });
      };
      s.sim.statusPage.setScenario('api-degraded');
      await step(0);
      await step(10);
      await step(20);
      s.sim.anthropic.setBehaviour('overloaded');
      await step(30);
      await step(40);
      s.sim.anthropic.setBehaviour('healthy');
      s.sim.statusPage.setScenario('api-partial-outage');
      await step(50);
      await step(60);

      const p3 = 'P3 Claude API incident: Anthropic status page incident';
      const p1 = 'P1 Claude API incident: API overloaded (529) on claude-haiku-4-5';
      const p2 = 'P2 Claude API incident: Anthropic status page incident';
      expect(seen).toEqual([
        { taken: 'none', title: '', labels: [], comments: 0 },
        { taken: 'opened', title: p3, labels: ['incident', 'severity:P3'], comments: 0 },
        { taken: 'updated', title: p3, labels: ['incident', 'severity:P3'], comments: 0 },
        { taken: 'updated', title: p1, labels: ['incident', 'severity:P1'], comments: 1 },
        { taken: 'updated', title: p1, labels: ['incident', 'severity:P1'], comments: 1 },
        { taken: 'updated', title: p2, labels: ['incident', 'severity:P2'], comments: 2 },
        { taken: 'updated', title: p2, labels: ['incident', 'severity:P2'], comments: 2 },
      ]);
      const [escalated, deescalated] = s.comments(1);
      expect(escalated!.split('\n')[0]).toBe(
        '**Escalated: P3 Anthropic status page incident → P1 API overloaded (529)**',
      );
      expect(escalated).toContain('- P1 · API overloaded (529): claude-haiku-4-5: 5 of 5 requests failed');
      expect(escalated).toContain('https://github.com/acme/service/actions/runs/8004');
      expect(deescalated!.split('\n')[0]).toBe(
        '**De-escalated: P1 API overloaded (529) → P2 Anthropic status page incident**',
      );
      expect(deescalated).toContain('(k8w3r06qmzrp) is partial\\_outage');
      expect(s.issues()).toHaveLength(1);
    });
  });

  it('reminds at most every reminder-interval while nothing changes, and not at all without it', async () => {
    await withLifecycle(
      async (s) => {
        s.sim.anthropic.setBehaviour('overloaded');
        for (const m of [0, 10, 20, 30, 40, 50, 60, 70]) await s.run(m);
        const comments = s.comments(1);
        expect(comments.map((c) => c.split('\n')[0])).toEqual([
          `**Reminder: still P1 API overloaded (529)**, ongoing since ${shown(0)} (30 min); no change since ${shown(0)}.`,
          `**Reminder: still P1 API overloaded (529)**, ongoing since ${shown(0)} (1 h); no change since ${shown(30)}.`,
        ]);
        expect(comments[0]).toContain(
          'The next reminder comes in 30 min unless the incident changes or recovers first.',
        );
      },
      { 'reminder-interval': '30m' },
    );
    await withLifecycle(async (s) => {
      s.sim.anthropic.setBehaviour('overloaded');
      for (const m of [0, 10, 20, 30, 40]) await s.run(m);
      expect(s.comments(1)).toEqual([]);
    });
  });
});
