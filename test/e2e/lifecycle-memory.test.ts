/**
 * Memory across runs: the state file carries the window between runs, the incident issue stays the
 * source of truth. A lost or corrupt file is rebuilt from the issue with a warning; never a duplicate
 * issue, never a crash.
 */
import { readFile, rm, writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { memoryOf, minute, SCENARIO_TIMEOUT_MS, withLifecycle } from './lifecycle-harness.js';

function observedAt(body: string | null): string[] {
  return (memoryOf(body).window as { at: string }[]).map((o) => o.at);
}

describe('lifecycle: memory across runs', { timeout: SCENARIO_TIMEOUT_MS }, () => {
  it('rebuilds a lost or corrupt state file from the open incident with a warning, and opens no second issue', async () => {
    // Three healthy runs to close, so that the incident is still recovering when its file is lost.
    await withLifecycle(
      async (s) => {
        s.sim.anthropic.setBehaviour('overloaded');
        await s.run(0);
        s.sim.anthropic.setBehaviour('healthy');
        await s.run(10);
        expect(JSON.parse(await readFile(s.stateFile, 'utf8'))).toMatchObject({
          format: 'claude-incident-runbook-state',
          v: 1,
          savedAt: minute(10),
          incident: 1,
          history: { healthyStreak: 1, unhealthyStreak: 0 },
        });

        await rm(s.stateFile);
        const lost = await s.run(20);
        expect(lost.stdout).toContain(
          '::warning::The state file is missing: the window and counters were rebuilt from incident issue #1.',
        );
        expect(lost.outputs).toMatchObject({ 'action-taken': 'recovering', 'issue-number': '1' });
        expect(observedAt(s.sim.github.issue(1)!.body)).toEqual([minute(0), minute(10), minute(20)]);
        expect(memoryOf(s.sim.github.issue(1)!.body).healthyStreak).toBe(2);

        await writeFile(s.stateFile, '{"format":"claude-incident-runbook-state","v":1,"history":');
        s.sim.anthropic.setBehaviour('overloaded');
        const corrupt = await s.run(30);
        expect(corrupt.exitCode).toBe(0);
        expect(corrupt.stdout).toContain(
          `::warning::The state file could not be used (${s.stateFile}: not valid JSON): the window and counters were rebuilt from incident issue #1.`,
        );
        expect(corrupt.summary).toContain('The state file could not be used');
        expect(corrupt.outputs).toMatchObject({ 'action-taken': 'updated', 'issue-number': '1' });
        expect(s.issues()).toHaveLength(1);
        // The file is whole again after the run.
        expect(JSON.parse(await readFile(s.stateFile, 'utf8'))).toMatchObject({
          savedAt: minute(30),
          incident: 1,
        });
      },
      { 'recovery-runs': '3' },
    );
  });

  it('with no incident open, a corrupt state file is a warning and the window starts again', async () => {
    await withLifecycle(async (s) => {
      s.sim.statusPage.setScenario('api-degraded');
      await s.run(0);
      await writeFile(s.stateFile, JSON.stringify({ format: 'claude-incident-runbook-state', v: 99 }));
      const run = await s.run(10);
      expect(run.stdout).toContain('::warning::The state file could not be used');
      expect(run.stdout).toContain('version 99, expected 1): the window starts again from this run.');
      // The first P3 run was forgotten with the file: this one is the first of two again.
      expect(run.outputs['action-taken']).toBe('none');
      expect(run.summary).toContain('Watching: 1 of 2 unhealthy runs needed to open');
      expect((await s.run(20)).outputs['action-taken']).toBe('opened');
    });
  });

  it('writes nothing in a dry run, not even the state file', async () => {
    await withLifecycle(async (s) => {
      s.sim.anthropic.setBehaviour('overloaded');
      const run = await s.run(0, { 'dry-run': 'true' });
      expect(run.outputs['action-taken']).toBe('dry-run:opened');
      await expect(readFile(s.stateFile, 'utf8')).rejects.toMatchObject({ code: 'ENOENT' });
      expect(s.issues()).toEqual([]);
    });
  });

  it('without a state file, keeps the window in the open incident and still closes on it', async () => {
    await withLifecycle(
      async (s) => {
        s.sim.anthropic.setBehaviour('overloaded');
        await s.run(0);
        s.sim.anthropic.setBehaviour('healthy');
        expect((await s.run(10)).outputs['action-taken']).toBe('recovering');
        // The window and the healthy streak live in the issue alone.
        expect(observedAt(s.sim.github.issue(1)!.body)).toEqual([minute(0), minute(10)]);
        expect(memoryOf(s.sim.github.issue(1)!.body).healthyStreak).toBe(1);
        // The second healthy run in a row closes: the streak was carried by the issue.
        expect((await s.run(20)).outputs['action-taken']).toBe('closed');
        expect(s.sim.github.issue(1)!.state).toBe('closed');
        await expect(readFile(s.stateFile, 'utf8')).rejects.toMatchObject({ code: 'ENOENT' });
      },
      { 'state-file': '' },
    );
  });
});
