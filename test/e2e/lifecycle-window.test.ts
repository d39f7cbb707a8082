/**
 * Hysteresis through the bundled action: opening and closing are decided over a window of runs kept in
 * the state file and the issue, never over a single run.
 */
import { describe, expect, it } from 'vitest';
import type { Behaviour } from '../../sim/index.js';
import { labelNames, SCENARIO_TIMEOUT_MS, withLifecycle } from './lifecycle-harness.js';

/** Five requests, one answered 500: 20 % in a single run. */
const ONE_IN_FIVE: Behaviour[] = ['healthy', 'healthy', 'healthy', 'healthy', 'server-error'];
/** Three of five answered 529: 60 %, P2 overloaded. */
const THREE_IN_FIVE: Behaviour[] = ['overloaded', 'healthy', 'overloaded', 'healthy', 'overloaded'];

describe('lifecycle: decisions over a window of runs', { timeout: SCENARIO_TIMEOUT_MS }, () => {
  it('measures an error rate under 5 % over the window: 1 failure in 5 after 25 good requests is P3 and opens nothing', async () => {
    await withLifecycle(async (s) => {
      for (const m of [0, 10, 20, 30, 40]) await s.run(m);
      s.sim.anthropic.setBehaviour(ONE_IN_FIVE);
      const run = await s.run(50);
      expect(run.outputs).toMatchObject({
        severity: 'P3',
        diagnosis: 'server_error',
        'action-taken': 'none',
      });
      expect(run.summary).toContain(
        'over the last 6 runs 1 of 30 requests failed (3.3%, under the 5% threshold)',
      );
      expect(run.summary).toContain(
        'Watching: 1 of 2 unhealthy runs needed to open P3 API server errors (5xx)',
      );
      s.sim.anthropic.setBehaviour('healthy');
      const after = await s.run(60);
      expect(after.outputs).toMatchObject({ severity: 'none', 'action-taken': 'none' });
      expect(s.issues()).toEqual([]);
    });
  });

  it('does not open a P3 on one bad run; opens it on the second in a row', async () => {
    await withLifecycle(async (s) => {
      s.sim.statusPage.setScenario('api-degraded');
      const first = await s.run(0);
      expect(first.outputs).toMatchObject({
        severity: 'P3',
        diagnosis: 'upstream_incident',
        'action-taken': 'none',
      });
      expect(first.summary).toContain('Watching: 1 of 2 unhealthy runs needed to open');
      s.sim.statusPage.setScenario('operational');
      await s.run(10);
      s.sim.statusPage.setScenario('api-degraded');
      expect((await s.run(20)).outputs['action-taken']).toBe('none');
      expect(s.issues()).toEqual([]);
      const second = await s.run(30);
      expect(second.outputs).toMatchObject({ severity: 'P3', 'action-taken': 'opened', 'issue-number': '1' });
      const [issue] = s.issues();
      expect(s.issues()).toHaveLength(1);
      expect(labelNames(issue!)).toEqual(['incident', 'severity:P3']);
    });
  });

  it('opens a P1 on the first run that sees it', async () => {
    await withLifecycle(async (s) => {
      s.sim.anthropic.setBehaviour('overloaded');
      const run = await s.run(0);
      expect(run.outputs).toMatchObject({ severity: 'P1', 'action-taken': 'opened', 'issue-number': '1' });
      expect(labelNames(s.issues()[0]!)).toEqual(['incident', 'severity:P1']);
    });
  });

  it('does not close an incident that still fails every other run, and closes once it stops', async () => {
    await withLifecycle(
      async (s) => {
        s.sim.anthropic.setBehaviour('overloaded');
        await s.run(0);
        const taken: string[] = [];
        for (const m of [10, 20, 30, 40, 50]) {
          s.sim.anthropic.setBehaviour(m % 20 === 0 ? THREE_IN_FIVE : 'healthy');
          const run = await s.run(m);
          taken.push(run.outputs['action-taken']!);
          if (m % 20 !== 0) expect(run.summary).toContain('the error rate over the last 2 runs');
        }
        expect(taken).toEqual(['recovering', 'updated', 'recovering', 'updated', 'recovering']);
        expect(s.sim.github.issue(1)!.state).toBe('open');
        // One comment for the P1 → P2 change, none for the runs that repeat it.
        expect(s.comments(1).map((c) => c.split('\n')[0])).toEqual([
          '**De-escalated: P1 API overloaded (529) → P2 API overloaded (529)**',
        ]);
        const closing = await s.run(60);
        expect(closing.outputs['action-taken']).toBe('closed');
        expect(s.sim.github.issue(1)!.state).toBe('closed');
      },
      { 'recovery-runs': '1' },
    );
  });
});
