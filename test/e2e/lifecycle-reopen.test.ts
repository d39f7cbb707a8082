/**
 * Recurrence: shortly after the action closed an incident, the same issue is reopened with a comment;
 * later, a new issue is opened.
 */
import { describe, expect, it } from 'vitest';
import type { LifecycleScenario } from './lifecycle-harness.js';
import {
  memoryOf,
  minute,
  rendered,
  SCENARIO_TIMEOUT_MS,
  section,
  shown,
  withLifecycle,
} from './lifecycle-harness.js';

/** An outage at minute 0, healthy from minute 10 until the issue closes; returns the closing minute. */
async function outageThenRecovery(s: LifecycleScenario): Promise<number> {
  s.sim.anthropic.setBehaviour('overloaded');
  await s.run(0);
  s.sim.anthropic.setBehaviour('healthy');
  for (let m = 10; m <= 100; m += 10) {
    if ((await s.run(m)).outputs['action-taken'] === 'closed') return m;
  }
  throw new Error('the incident never closed');
}

describe('lifecycle: recurrence', { timeout: SCENARIO_TIMEOUT_MS }, () => {
  it('reopens the same issue with a comment when the problem recurs within reopen-window', async () => {
    await withLifecycle(async (s) => {
      expect(await outageThenRecovery(s)).toBe(20);
      s.sim.anthropic.setBehaviour('server-error');
      // A dry run first: it names the closed issue it would reopen, and writes nothing.
      const writesBefore = s.sim.github.requests.filter((r) => r.method !== 'GET').length;
      const preview = await s.run(40, { 'dry-run': 'true' });
      expect(preview.outputs).toMatchObject({ 'action-taken': 'dry-run:reopened', 'issue-number': '1' });
      expect(s.sim.github.requests.filter((r) => r.method !== 'GET')).toHaveLength(writesBefore);
      const recurred = await s.run(40);
      expect(recurred.outputs).toMatchObject({
        'action-taken': 'reopened',
        'issue-number': '1',
        severity: 'P1',
      });
      expect(s.issues()).toHaveLength(1);
      const issue = s.sim.github.issue(1);
      expect(issue).toMatchObject({ state: 'open', state_reason: 'reopened' });
      expect(issue!.title).toBe('P1 Claude API incident: API server errors (5xx) on claude-haiku-4-5');
      const comments = s.comments(1);
      expect(comments).toHaveLength(2);
      expect(comments[1]!.split('\n')[0]).toBe(
        `**Recurred: reopening.** The recovery of ${shown(20)} did not hold: **P1 API server errors (5xx)** at ` +
          `${shown(40)}, 20 min later. The same incident continues here: start time, peak severity and diagnoses carry on.`,
      );
      expect(memoryOf(issue!.body)).toMatchObject({
        openedAt: minute(0),
        diagnosesSeen: ['overloaded', 'server_error'],
        reopenings: [{ closedAt: minute(20), reopenedAt: minute(40) }],
      });
      expect(section(issue!.body, 'summary')).toMatch(
        /^\*\*P1 · API server errors \(5xx\)\*\*: ongoing since 2026-12-03 09:00 UTC/,
      );

      // The record of the episode, when it closes again, shows the recovery that did not hold.
      s.sim.anthropic.setBehaviour('healthy');
      for (const m of [50, 60]) await s.run(m);
      expect(s.sim.github.issue(1)!.state).toBe('closed');
      const close = s.comments(1).at(-1)!;
      expect(close).toContain(`- Started: ${shown(0)}`);
      expect(close).toContain(
        `- Recovery did not hold: closed ${shown(20)}, recurred ${shown(40)} (20 min later)`,
      );
    });
  });

  it('opens a new issue when the problem comes back after reopen-window, and says why', async () => {
    await withLifecycle(async (s) => {
      expect(await outageThenRecovery(s)).toBe(20);
      s.sim.anthropic.setBehaviour('overloaded');
      const later = await s.run(90);
      expect(later.outputs).toMatchObject({ 'action-taken': 'opened', 'issue-number': '2' });
      expect(rendered(later.summary)).toContain(
        `The previous incident, #1, closed ${shown(20)}, more than 1 h ago: this is a new incident.`,
      );
      expect(s.issues().map((i) => [i.number, i.state])).toEqual([
        [1, 'closed'],
        [2, 'open'],
      ]);
      expect(s.comments(1)).toHaveLength(1);
    });
  });
});
