/**
 * A truthful record: a gap in monitoring is written in the timeline when it happens, and the close
 * comment gives start, end, duration, peak severity, every diagnosis seen, the request ids collected
 * and the gaps; the Action Items are left for the postmortem.
 */
import { describe, expect, it } from 'vitest';
import { SCENARIO_TIMEOUT_MS, section, shown, withLifecycle } from './lifecycle-harness.js';

/** Request ids the simulated API gives its n-th to m-th answers. */
function simIds(first: number, last: number): string[] {
  return Array.from({ length: last - first + 1 }, (_, i) => `req_sim_${String(first + i).padStart(6, '0')}`);
}

describe('lifecycle: the record of an incident', { timeout: SCENARIO_TIMEOUT_MS }, () => {
  it('writes a gap in monitoring in the timeline and gives the whole episode in the close comment', async () => {
    // One request at a time, so that the simulated API hands out request ids in sample order.
    await withLifecycle(
      async (s) => {
        s.sim.anthropic.setBehaviour('overloaded');
        await s.run(0);
        s.sim.anthropic.setBehaviour('server-error');
        await s.run(10);
        // No run for an hour: the schedule was skipped, or the runner was down.
        const after = await s.run(70);
        expect(after.outputs['action-taken']).toBe('updated');
        expect(s.comments(1)).toHaveLength(2);
        expect(s.comments(1)[1]).toBe(
          `**No observation from ${shown(10)} to ${shown(70)} (1 h).** The workflow did not run, or its runs ` +
            'could not reach the API: what happened in between is unknown.',
        );

        s.sim.anthropic.setBehaviour('healthy');
        for (const m of [80, 90]) await s.run(m);
        const issue = s.sim.github.issue(1)!;
        expect(issue).toMatchObject({ state: 'closed', state_reason: 'completed' });
        const ids = simIds(1, 15).reverse();
        expect(s.comments(1)).toHaveLength(3);
        expect(s.comments(1)[2]).toBe(
          [
            '**Recovered.** 2 consecutive healthy runs; closing.',
            '',
            `- Started: ${shown(0)}`,
            `- Ended: ${shown(80)} (first healthy run of the recovery)`,
            '- Duration: 1 h 20 min',
            '- Peak severity: **P1**: all requests failing',
            '- Diagnoses seen: API overloaded (529), API server errors (5xx)',
            '- Request ids collected: 15, most recent first (Anthropic support asks for these):',
            ...ids.map((id) => `  - \`${id}\``),
            `- Monitoring gap: no observation from ${shown(10)} to ${shown(70)} (1 h)`,
            '',
            'The Action Items in the issue are left for the postmortem. If the problem comes back within 1 h, ' +
              'this issue is reopened; later, a new issue is opened.',
            '',
            'Closed by [workflow run](https://github.com/acme/service/actions/runs/8005).',
          ].join('\n'),
        );
        expect(section(issue.body, 'summary')).toMatch(
          /^\*\*Resolved\*\* after 1 h 20 min; peak severity P1\./,
        );
        expect(section(issue.body, 'duration')).toBe(
          `- Started: ${shown(0)} (first unhealthy run)\n- Ended: ${shown(80)} (first healthy run of the recovery)\n- Duration: 1 h 20 min`,
        );
        // The Action Items are people's: every box is still open for the postmortem.
        const items = issue.body!.slice(
          issue.body!.indexOf('### Action Items'),
          issue.body!.indexOf('## Evidence'),
        );
        expect(items).toContain('- [ ] ');
        expect(items).not.toContain('- [x]');
      },
      { concurrency: '1' },
    );
  });
});
