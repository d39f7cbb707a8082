/**
 * One incident's life through the bundled action: healthy, opened, updated, changed, recovering,
 * closed, reopened. Every scenario has its own simulator, so they run concurrently.
 */
import { describe, expect, it } from 'vitest';
import {
  commentBodies,
  humanOwnedSlices,
  issuesOnly,
  labelNames,
  memoryOf,
  section,
  simRequestIds,
  underHeading,
  withScenario,
  writes,
  type Scenario,
} from './harness.js';

const ISSUE_PATH = (scenario: Scenario, n: number) =>
  `/repos/${scenario.sim.github.owner}/${scenario.sim.github.repo}/issues/${n}`;

/** The postmortem template's headings, in the order the runbook lists them. */
const POSTMORTEM_HEADINGS = [
  '## Postmortem',
  '### Duration',
  '### Severity',
  '### Impact',
  '### Root Cause',
  '### Detection',
  '### Mitigation',
  '### Request IDs',
  '### Action Items',
  '## Evidence',
];

/** A person adds a label of their own, the way the web UI does (PATCH replaces the label set). */
async function addLabelAsPerson(scenario: Scenario, issueNumber: number, label: string): Promise<void> {
  const { github } = scenario.sim;
  const current = labelNames(github.issue(issueNumber)!);
  const response = await fetch(`${github.url}${ISSUE_PATH(scenario, issueNumber)}`, {
    method: 'PATCH',
    headers: { authorization: `token ${github.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ labels: [...current, label] }),
  });
  expect(response.status).toBe(200);
}

describe.concurrent('an incident through the bundled action', () => {
  it('reports a healthy run without opening an issue', async () => {
    await withScenario(async (scenario) => {
      const run = await scenario.run();

      expect(run.exitCode).toBe(0);
      expect(run.outputs).toEqual({
        severity: 'none',
        diagnosis: 'healthy',
        'issue-number': '',
        'issue-url': '',
        'action-taken': 'none',
      });
      expect(run.summary).toMatch(/^## Claude API triage: Healthy: every probe passed\n/);
      expect(run.summary).toContain('| claude-haiku-4-5 | healthy | 3 | 3 | 0 | 0% |');
      expect(run.stdout).not.toContain('::warning::');
      expect(issuesOnly(scenario)).toHaveLength(0);
      expect(writes(run.githubRequests)).toEqual([]);
    });
  });

  it('opens one P1 issue with the postmortem template and real request ids when every request answers 529', async () => {
    await withScenario(async (scenario) => {
      scenario.sim.anthropic.setBehaviour('overloaded');
      const run = await scenario.run();

      expect(run.exitCode).toBe(0);
      const issues = issuesOnly(scenario);
      expect(issues).toHaveLength(1);
      const issue = issues[0]!;
      expect(run.outputs).toEqual({
        severity: 'P1',
        diagnosis: 'overloaded',
        'issue-number': String(issue.number),
        'issue-url': issue.html_url,
        'action-taken': 'opened',
      });
      expect(issue.title).toBe('P1 Claude API incident: API overloaded (529) on claude-haiku-4-5');
      expect(labelNames(issue)).toEqual(['incident', 'severity:P1']);
      expect(issue.state).toBe('open');
      expect(commentBodies(scenario, issue.number)).toEqual([]);

      const body = issue.body!;
      expect(body.length).toBeLessThanOrEqual(65_536);
      const headingPositions = POSTMORTEM_HEADINGS.map((h) => body.indexOf(`\n${h}\n`));
      expect(headingPositions.every((at) => at > 0)).toBe(true);
      expect([...headingPositions].sort((a, b) => a - b)).toEqual(headingPositions);

      expect(section(body, 'duration')).toBe(
        '- Started: 2026-12-03 09:00 UTC (first unhealthy run)\n- Ended: ongoing\n- Duration so far: under a minute',
      );
      expect(section(body, 'severity')).toContain('- Current: **P1**');
      expect(section(body, 'impact')).toContain('- claude-haiku-4-5: **P1**; 3 of 3 requests failed');
      expect(underHeading(body, '### Root Cause')).toMatch(/^_What caused it\?/);
      const detection = section(body, 'detection');
      expect(detection).toContain('- When: 2026-12-03 09:00 UTC');
      expect(detection).toContain(`- By: [workflow run](${run.runUrl})`);
      expect(section(body, 'mitigation')).toMatch(/^Runbook for \*\*API overloaded \(529\)\*\*/);

      // The ids the simulated API sent with its three 529s, newest first.
      expect(scenario.sim.anthropic.requests).toHaveLength(3);
      const ids = simRequestIds(1, 3).reverse();
      expect(section(body, 'request-ids')).toBe(
        [
          'Failing requests, most recent first (Anthropic support asks for these):',
          '',
          ...ids.map((id) => `- \`${id}\``),
        ].join('\n'),
      );

      const actionItems = underHeading(body, '### Action Items').split('\n');
      expect(actionItems.length).toBeGreaterThanOrEqual(5);
      for (const item of actionItems) expect(item).toMatch(/^- \[ \] \S/);

      const evidence = section(body, 'evidence');
      expect(evidence).toContain(`Run of 2026-12-03 09:00 UTC ([workflow run](${run.runUrl})).`);
      expect(evidence).toContain('| claude-haiku-4-5 | P1 | 3 | 0 | 3 | 100% |');
      expect(evidence).toContain('| 529 ×3 |');

      expect(run.summary).toMatch(/^## Claude API triage: P1: API overloaded \(529\)/);
      expect(run.summary).toContain(`[#${issue.number}](${issue.html_url}), action taken: \`opened\``);
    });
  });

  it('updates the same issue without a comment while the diagnosis stays the same', async () => {
    await withScenario(async (scenario) => {
      scenario.sim.anthropic.setBehaviour('overloaded');
      await scenario.run();
      const opened = issuesOnly(scenario)[0]!;

      const second = await scenario.run();

      expect(second.exitCode).toBe(0);
      expect(second.outputs).toMatchObject({
        severity: 'P1',
        diagnosis: 'overloaded',
        'issue-number': String(opened.number),
        'action-taken': 'updated',
      });
      expect(writes(second.githubRequests)).toEqual([`PATCH ${ISSUE_PATH(scenario, opened.number)}`]);
      const issues = issuesOnly(scenario);
      expect(issues).toHaveLength(1);
      const updated = issues[0]!;
      expect(commentBodies(scenario, updated.number)).toEqual([]);
      expect(updated.title).toBe(opened.title);
      expect(labelNames(updated)).toEqual(['incident', 'severity:P1']);
      expect(section(updated.body!, 'summary')).toContain('Last checked 2026-12-03 09:10 UTC');
      expect(section(updated.body!, 'duration')).toContain('- Duration so far: 10 min');
      // Detection tells when it was first seen: written once.
      expect(section(updated.body!, 'detection')).toBe(section(opened.body!, 'detection'));
      expect(section(updated.body!, 'request-ids')).toContain('`req_sim_000006`');
      expect(section(updated.body!, 'request-ids')).toContain('`req_sim_000001`');
    });
  });

  it('posts exactly one timeline comment and retitles the issue when 529s give way to 500s', async () => {
    await withScenario(async (scenario) => {
      scenario.sim.anthropic.setBehaviour('overloaded');
      await scenario.run();
      scenario.sim.anthropic.setBehaviour('server-error');

      const changed = await scenario.run();

      expect(changed.exitCode).toBe(0);
      expect(changed.outputs).toMatchObject({
        severity: 'P1',
        diagnosis: 'server_error',
        'action-taken': 'updated',
      });
      const issues = issuesOnly(scenario);
      expect(issues).toHaveLength(1);
      const issue = issues[0]!;
      expect(issue.title).toBe('P1 Claude API incident: API server errors (5xx) on claude-haiku-4-5');
      expect(labelNames(issue)).toEqual(['incident', 'severity:P1']);
      const comments = commentBodies(scenario, issue.number);
      expect(comments).toHaveLength(1);
      expect(comments[0]).toMatch(
        /^\*\*Diagnosis changed: P1 API overloaded \(529\) → P1 API server errors \(5xx\)\*\*\n/,
      );
      expect(comments[0]).toContain(`Observed by [workflow run](${changed.runUrl}).`);
      expect(section(issue.body!, 'mitigation')).toMatch(/^Runbook for \*\*API server errors \(5xx\)\*\*/);
      expect(section(issue.body!, 'severity')).toContain(
        '- Diagnoses seen: API overloaded (529), API server errors (5xx)',
      );
    });
  });

  it('swaps only its own severity label and says so in the timeline when the incident de-escalates', async () => {
    await withScenario(async (scenario) => {
      scenario.sim.anthropic.setBehaviour('overloaded');
      await scenario.run();
      const number = issuesOnly(scenario)[0]!.number;
      await addLabelAsPerson(scenario, number, 'team:payments');
      scenario.sim.anthropic.setBehaviour('rate-limited');

      const lower = await scenario.run();

      expect(lower.outputs).toMatchObject({
        severity: 'P2',
        diagnosis: 'rate_limited',
        'action-taken': 'updated',
      });
      const issue = scenario.sim.github.issue(number)!;
      expect(labelNames(issue)).toEqual(['incident', 'team:payments', 'severity:P2']);
      expect(issue.title).toMatch(/^P2 Claude API incident: /);
      const comments = commentBodies(scenario, number);
      expect(comments).toHaveLength(1);
      expect(comments[0]).toMatch(/^\*\*De-escalated: P1 API overloaded \(529\) → P2 /);
      // The peak stays on record for the postmortem.
      expect(section(issue.body!, 'severity')).toContain('- Peak: **P1**');
      expect(section(issue.body!, 'severity')).toContain('- Current: **P2**');
    });
  });

  it('closes only after two healthy runs in a row, starting over after a relapse, with start, end and duration in the close comment', async () => {
    await withScenario(async (scenario) => {
      const { anthropic, github } = scenario.sim;
      anthropic.setBehaviour('overloaded');
      await scenario.run(); // 09:00 opened
      const number = issuesOnly(scenario)[0]!.number;

      anthropic.setBehaviour('healthy');
      const firstHealthy = await scenario.run(); // 09:10
      expect(firstHealthy.outputs).toEqual({
        severity: 'none',
        diagnosis: 'healthy',
        'issue-number': String(number),
        'issue-url': github.issue(number)!.html_url,
        'action-taken': 'recovering',
      });
      expect(github.issue(number)!.state).toBe('open');
      expect(section(github.issue(number)!.body!, 'summary')).toContain('recovering: 1 of 2 healthy runs');

      anthropic.setBehaviour('overloaded');
      const relapse = await scenario.run(); // 09:20: the streak starts over
      expect(relapse.outputs['action-taken']).toBe('updated');
      expect(memoryOf(github.issue(number)!.body!)).toMatchObject({ healthyStreak: 0 });

      anthropic.setBehaviour('healthy');
      // The healthy run of 09:10 no longer counts: this is the first of two again.
      const recovering = await scenario.run(); // 09:30
      expect(recovering.outputs['action-taken']).toBe('recovering');
      expect(github.issue(number)!.state).toBe('open');
      expect(section(github.issue(number)!.body!, 'summary')).toContain('recovering: 1 of 2 healthy runs');
      expect(commentBodies(scenario, number)).toEqual([]);

      const closing = await scenario.run(); // 09:40
      expect(closing.exitCode).toBe(0);
      expect(closing.outputs).toMatchObject({
        severity: 'none',
        diagnosis: 'healthy',
        'issue-number': String(number),
        'action-taken': 'closed',
      });
      const closed = github.issue(number)!;
      expect(closed.state).toBe('closed');
      expect(closed.state_reason).toBe('completed');
      const comments = commentBodies(scenario, number);
      expect(comments).toHaveLength(1);
      const close = comments[0]!;
      expect(close).toMatch(/^\*\*Recovered\.\*\* 2 consecutive healthy runs; closing\./);
      expect(close).toContain('- Started: 2026-12-03 09:00 UTC');
      expect(close).toContain('- Ended: 2026-12-03 09:30 UTC (first healthy run of the recovery)');
      expect(close).toContain('- Duration: 30 min');
      expect(close).toContain(`Closed by [workflow run](${closing.runUrl}).`);
      expect(section(closed.body!, 'duration')).toContain('- Duration: 30 min');
      expect(section(closed.body!, 'summary')).toMatch(/^\*\*Resolved\*\* after 30 min; peak severity P1\./);
      // The evidence of the outage stays for the postmortem: healthy runs do not overwrite it.
      expect(section(closed.body!, 'evidence')).toContain('| claude-haiku-4-5 | P1 |');
    });
  });

  it('honours recovery-runs and opens a new issue when the problem comes back hours after a close', async () => {
    await withScenario(async (scenario) => {
      const { anthropic, github } = scenario.sim;
      const inputs = { 'recovery-runs': '1' };
      anthropic.setBehaviour('overloaded');
      await scenario.run(inputs); // 09:00
      anthropic.setBehaviour('healthy');
      // One healthy run is enough by count, but the outage is still one of the last 2 runs.
      expect((await scenario.run(inputs)).outputs['action-taken']).toBe('recovering'); // 09:10
      const closing = await scenario.run(inputs); // 09:20
      expect(closing.outputs['action-taken']).toBe('closed');
      const first = issuesOnly(scenario)[0]!;
      expect(first.state).toBe('closed');

      const quiet = await scenario.run(inputs); // 09:30
      expect(quiet.outputs).toMatchObject({ 'action-taken': 'none', 'issue-number': '' });
      expect(writes(quiet.githubRequests)).toEqual([]);

      // A new outage in the afternoon is a new incident.
      anthropic.setBehaviour('overloaded');
      scenario.at('2026-12-03T14:30:00Z');
      const again = await scenario.run(inputs);
      expect(again.outputs['action-taken']).toBe('opened');
      const issues = issuesOnly(scenario);
      expect(issues.map((i) => [i.number, i.state])).toEqual([
        [first.number, 'closed'],
        [Number(again.outputs['issue-number']), 'open'],
      ]);
      expect(github.issue(first.number)!.body).toBe(first.body);
      expect(section(issues[1]!.body!, 'duration')).toContain('- Started: 2026-12-03 14:30 UTC');
    });
  });

  it('keeps every byte people wrote (CRLF, a ticked box, a root cause, notes) through an update and the close', async () => {
    await withScenario(async (scenario) => {
      const { anthropic, github } = scenario.sim;
      anthropic.setBehaviour('overloaded');
      await scenario.run();
      const opened = issuesOnly(scenario)[0]!;

      // What an on-call engineer does in GitHub's web editor, which saves with CRLF line endings.
      const edited =
        `Owner: @oncall-person, bridge in #inc-claude\n\n${opened.body!}\nBridge notes: failover to the secondary route at 09:04.\n`
          .replace('- [ ] ', '- [x] ')
          .replace(
            '_What caused it? Write it here once known; this part is yours and the action never changes it._',
            'Capacity shortfall upstream; Anthropic confirmed elevated 529s.\n\n| team | impact |\n| --- | --- |\n| checkout | 12% failed |',
          )
          .replace('_Describe the impact on users and systems here._', 'Checkout degraded for 40 minutes.')
          .replace(/\n/g, '\r\n');
      github.editBody(opened.number, edited);
      const peopleWrote = humanOwnedSlices(edited);
      // Nine machine-owned regions (memory and eight sections) leave ten slices that are the people's.
      expect(peopleWrote).toHaveLength(10);
      expect(peopleWrote.join('')).toContain('Capacity shortfall upstream');

      anthropic.setBehaviour('server-error');
      const update = await scenario.run();
      expect(update.outputs['action-taken']).toBe('updated');
      const updated = github.issue(opened.number)!.body!;
      expect(humanOwnedSlices(updated)).toEqual(peopleWrote);
      // The machine sections were rewritten, in the body's own line endings.
      expect(section(updated, 'mitigation')).toMatch(/^Runbook for \*\*API server errors \(5xx\)\*\*/);
      expect(updated.replace(/\r\n/g, '')).not.toContain('\n');

      anthropic.setBehaviour('healthy');
      // Closing waits for two healthy runs in a row.
      expect((await scenario.run()).outputs['action-taken']).toBe('recovering');
      const closing = await scenario.run();
      expect(closing.outputs['action-taken']).toBe('closed');
      const closed = github.issue(opened.number)!;
      expect(closed.state).toBe('closed');
      expect(humanOwnedSlices(closed.body!)).toEqual(peopleWrote);
      expect(closed.body!.replace(/\r\n/g, '')).not.toContain('\n');
      expect(closed.body).toContain('- [x] ');
    });
  });

  /*
   * When people's text leaves no room for the action's sections, only the hidden memory is written
   * (src/incident/render.ts, updateBody), so the incident still counts its healthy runs and closes.
   */
  it('closes an incident even when people filled its body up to GitHub’s size limit', async () => {
    await withScenario(async (scenario) => {
      const { anthropic, github } = scenario.sim;
      anthropic.setBehaviour('overloaded');
      await scenario.run();
      const opened = issuesOnly(scenario)[0]!;
      // A pasted log that leaves a few dozen characters of room: GitHub accepted the edit.
      const logLine = `${'x'.repeat(79)}\n`;
      const room = 65_536 - opened.body!.length - 40;
      const pasted = logLine.repeat(Math.floor(room / logLine.length));
      const edited = opened.body!.replace('### Root Cause\n\n', `### Root Cause\n\n${pasted}\n`);
      expect(edited.length).toBeLessThanOrEqual(65_536);
      github.editBody(opened.number, edited);

      anthropic.setBehaviour('healthy');
      const taken: string[] = [];
      for (let i = 0; i < 4; i++) taken.push((await scenario.run()).outputs['action-taken']!);

      // No room for the rolling window either: closing falls back to the healthy streak alone.
      expect(taken).toEqual(['recovering', 'closed', 'none', 'none']);
      const closed = github.issue(opened.number)!;
      expect(closed.state).toBe('closed');
      expect(closed.body).toContain(pasted);
    });
  });

  it('keeps counting when people filled the body to the last few characters while it was still failing', async () => {
    await withScenario(async (scenario) => {
      const { anthropic, github } = scenario.sim;
      anthropic.setBehaviour('overloaded');
      await scenario.run();
      const opened = issuesOnly(scenario)[0]!;
      // Almost no room left: the memory grows with every unhealthy run and soon cannot fit beside it.
      const logLine = `${'y'.repeat(79)}\n`;
      const room = 65_536 - opened.body!.length - 20;
      const pasted = logLine.repeat(Math.floor(room / logLine.length));
      github.editBody(
        opened.number,
        opened.body!.replace('### Root Cause\n\n', `### Root Cause\n\n${pasted}\n`),
      );

      anthropic.setBehaviour(['overloaded', 'server-error']);
      for (let i = 0; i < 5; i++) await scenario.run();
      anthropic.setBehaviour('healthy');
      const taken: string[] = [];
      for (let i = 0; i < 3; i++) taken.push((await scenario.run()).outputs['action-taken']!);

      // Our own sections shrink to a line each so the memory still fits: the streak counts and it closes.
      expect(taken).toEqual(['recovering', 'closed', 'none']);
      const closed = github.issue(opened.number)!;
      expect(closed.state).toBe('closed');
      expect(closed.body).toContain(pasted);
      expect(closed.body!.length).toBeLessThanOrEqual(65_536);
      // Runs were ten minutes apart: no false "gap in monitoring" from a memory that stopped being written.
      expect(commentBodies(scenario, opened.number).join('\n')).not.toContain('No observation from');
    });
  });

  it('writes nothing to GitHub in a dry run and shows the body it would have written', async () => {
    await withScenario(async (scenario) => {
      scenario.sim.anthropic.setBehaviour('overloaded');
      const run = await scenario.run({ 'dry-run': 'true' });

      expect(run.exitCode).toBe(0);
      expect(run.outputs).toEqual({
        severity: 'P1',
        diagnosis: 'overloaded',
        'issue-number': '',
        'issue-url': '',
        'action-taken': 'dry-run:opened',
      });
      expect(scenario.sim.github.requests.every((r) => r.method === 'GET')).toBe(true);
      expect(issuesOnly(scenario)).toHaveLength(0);
      expect(run.summary).toContain('**Dry run**, nothing was written to GitHub.');
      expect(run.summary).toContain('<details><summary>Issue body that would be written</summary>');
      const preview = /```markdown\n([\s\S]*?)\n```/.exec(run.summary)?.[1] ?? '';
      expect(preview).toMatch(/^<!-- claude-incident-runbook:incident -->\n/);
      for (const heading of POSTMORTEM_HEADINGS) expect(preview).toContain(`\n${heading}\n`);
      expect(section(preview, 'impact')).toContain('- claude-haiku-4-5: **P1**; 3 of 3 requests failed');
    });
  });

  it('leaves an open incident untouched in a dry run, and reads nothing from GitHub without a token', async () => {
    await withScenario(async (scenario) => {
      const { anthropic, github } = scenario.sim;
      anthropic.setBehaviour('overloaded');
      await scenario.run();
      const before = issuesOnly(scenario)[0]!;

      anthropic.setBehaviour('server-error');
      const dry = await scenario.run({ 'dry-run': 'true' });
      expect(dry.outputs).toMatchObject({
        diagnosis: 'server_error',
        'issue-number': String(before.number),
        'action-taken': 'dry-run:updated',
      });
      expect(writes(dry.githubRequests)).toEqual([]);
      expect(github.issue(before.number)!.body).toBe(before.body);
      expect(commentBodies(scenario, before.number)).toEqual([]);

      const blind = await scenario.run({ 'dry-run': 'true', 'github-token': '' });
      expect(blind.exitCode).toBe(0);
      expect(blind.githubRequests).toEqual([]);
      expect(blind.outputs['action-taken']).toBe('dry-run:opened');
    });
  });
});
