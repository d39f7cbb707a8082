import { describe, expect, it } from 'vitest';
import type { Evidence, StatusPageReading } from '../../src/evidence.js';
import { record } from '../../src/incident/hysteresis.js';
import type { History } from '../../src/incident/hysteresis.js';
import { decideLifecycle } from '../../src/incident/lifecycle.js';
import type { LifecycleDecision, LifecyclePlanConfig, SavedHistory } from '../../src/incident/lifecycle.js';
import { readSection } from '../../src/incident/markers.js';
import { memoryComment, readMemory } from '../../src/incident/memory.js';
import type { IncidentIssue, IncidentPlan } from '../../src/incident/types.js';
import { classify } from '../../src/verdict/classify.js';
import type { Verdict } from '../../src/verdict/types.js';
import {
  CLAUDE_API,
  CONFIG,
  HAIKU,
  evidenceOf,
  healthyEvidence,
  issueWith,
  okSample,
  operationalPage,
  overloadedEvidence,
} from './incident-fixtures.js';

const MINUTE = 60_000;
const T0 = Date.parse('2026-03-04T10:00:00.000Z');
const LIFECYCLE: LifecyclePlanConfig = { ...CONFIG, errorRateThreshold: 0.05, windowRuns: 6 };

function at(minutes: number): string {
  return new Date(T0 + minutes * MINUTE).toISOString();
}

function page(status: string): StatusPageReading {
  return {
    ...operationalPage(),
    components: [{ id: CLAUDE_API, name: 'Claude API (api.anthropic.com)', status }],
  };
}

/** The API answers, the status page says the Claude API is degraded: P3 upstream incident. */
function degraded(minutes: number): Evidence {
  return evidenceOf(
    [0, 1, 2].map((i) => okSample(HAIKU, i, at(minutes))),
    page('degraded_performance'),
  );
}

/** …partial outage: P2 upstream incident. */
function partialOutage(minutes: number): Evidence {
  return evidenceOf(
    [0, 1, 2].map((i) => okSample(HAIKU, i, at(minutes))),
    page('partial_outage'),
  );
}

interface World {
  open?: IncidentIssue[];
  recentlyClosed?: IncidentIssue | null;
  saved?: SavedHistory;
  config?: Partial<LifecyclePlanConfig>;
}

function decide(evidence: Evidence, minutes: number, world: World = {}): LifecycleDecision {
  const config = { ...LIFECYCLE, ...world.config };
  return decideLifecycle({
    verdict: classifyFor(evidence, config),
    evidence,
    open: world.open ?? [],
    recentlyClosed: world.recentlyClosed ?? null,
    saved: world.saved ?? { kind: 'missing' },
    config,
    now: new Date(at(minutes)),
  });
}

function classifyFor(evidence: Evidence, config: LifecyclePlanConfig): Verdict {
  return classify(evidence, {
    latencyThresholdMs: config.latencyThresholdMs,
    errorRateThreshold: config.errorRateThreshold,
    statusComponents: [CLAUDE_API],
  });
}

/** The issue GitHub would hold after carrying the plan out. */
function carried(plan: IncidentPlan, before: IncidentIssue | null, number = 7): IncidentIssue {
  switch (plan.action) {
    case 'open':
      return issueWith(plan.body, { number, title: plan.title, labels: plan.labels, createdAt: at(0) });
    case 'update':
    case 'close':
    case 'reopen': {
      if (before === null) throw new Error('nothing to update');
      const state = plan.action === 'close' ? 'closed' : plan.action === 'reopen' ? 'open' : before.state;
      return {
        ...before,
        body: plan.body ?? before.body,
        title: plan.title ?? before.title,
        labels: plan.labels ?? before.labels,
        state,
        stateReason:
          plan.action === 'close' ? 'completed' : plan.action === 'reopen' ? 'reopened' : before.stateReason,
      };
    }
    case 'none':
      throw new Error(`nothing carried out: ${plan.reason}`);
  }
}

/** The history a state file would hold after these decisions. */
function savedAfter(decision: LifecycleDecision): SavedHistory {
  return { kind: 'read', history: decision.history };
}

/** An incident opened by a P1 at minute 0 and kept open by P1 runs every 10 minutes until `until`. */
function openIncident(until = 0): IncidentIssue {
  let issue = carried(decide(overloadedEvidence(at(0)), 0).plan, null);
  for (let m = 10; m <= until; m += 10)
    issue = carried(decide(overloadedEvidence(at(m)), m, { open: [issue] }).plan, issue);
  return issue;
}

describe('lifecycle: opening', () => {
  it('watches a single P3 run without opening, and opens on the second in a row', () => {
    const first = decide(degraded(0), 0);
    expect(first.verdict.severity).toBe('P3');
    expect(first.plan).toMatchObject({ action: 'none', taken: 'none' });
    expect(first.plan.reason).toBe(
      'Watching: 1 of 2 unhealthy runs needed to open P3 Anthropic status page incident (a single bad run is not an incident).',
    );
    const healthy = decide(healthyEvidence(at(10)), 10, { saved: savedAfter(first) });
    const again = decide(degraded(20), 20, { saved: savedAfter(healthy) });
    expect(again.plan.action).toBe('none');
    const second = decide(degraded(30), 30, { saved: savedAfter(again) });
    expect(second.plan).toMatchObject({ action: 'open', taken: 'opened' });
  });

  it('opens P1 and P2 at once', () => {
    expect(decide(overloadedEvidence(at(0)), 0).plan.action).toBe('open');
    expect(decide(partialOutage(0), 0).plan.action).toBe('open');
  });

  it('opens a P3 at once, and says why, when no state file can remember the first run', () => {
    const decision = decide(degraded(0), 0, { saved: { kind: 'off' } });
    expect(decision.plan.action).toBe('open');
    expect(decision.plan.notes?.[0]).toContain('Opened on one run: with no state-file and no open incident');
  });
});

describe('lifecycle: which memory wins', () => {
  it('takes the window from the state file when it is newer than the issue memory', () => {
    const issue = openIncident();
    const file = decide(healthyEvidence(at(10)), 10, { open: [issue] }).history!;
    // The issue still holds the run of minute 0 only (say the write of minute 10 failed).
    const next = decide(healthyEvidence(at(20)), 20, {
      open: [issue],
      saved: { kind: 'read', history: file },
    });
    expect(next.history).toMatchObject({ healthyStreak: 2 });
    expect(next.history!.observations.map((o) => o.at)).toEqual([at(0), at(10), at(20)]);
  });

  it('takes the issue memory when the state file is older, and never opens a second issue because of the file', () => {
    const stale: History = record(null, {
      at: at(-60),
      kind: 'healthy',
      severity: null,
      diagnosis: null,
      models: [{ model: HAIKU, reached: 3, failed: 0 }],
    });
    const issue = openIncident(10);
    const next = decide(overloadedEvidence(at(20)), 20, {
      open: [issue],
      saved: { kind: 'read', history: stale },
    });
    expect(next.plan).toMatchObject({ action: 'update', issueNumber: issue.number });
    expect(next.history!.observations.map((o) => o.at)).toEqual([at(0), at(10), at(20)]);
    expect(next.history!.unhealthyStreak).toBe(3);
  });

  it('warns when the state file is corrupt, or missing while an incident is open, and rebuilds from the issue', () => {
    const issue = openIncident();
    const corrupt = decide(overloadedEvidence(at(10)), 10, {
      open: [issue],
      saved: { kind: 'unreadable', problem: 'state.json: not valid JSON' },
    });
    expect(corrupt.warnings).toEqual([
      'The state file could not be used (state.json: not valid JSON): the window and counters were rebuilt from incident issue #7.',
    ]);
    expect(corrupt.plan.action).toBe('update');
    expect(decide(overloadedEvidence(at(10)), 10, { open: [issue] }).warnings).toEqual([
      'The state file is missing: the window and counters were rebuilt from incident issue #7.',
    ]);
    expect(decide(healthyEvidence(at(10)), 10).warnings).toEqual([]);
  });
});

describe('lifecycle: one open incident', () => {
  it('keeps the oldest open incident and closes the others as its duplicates, with a link', () => {
    const oldest = openIncident();
    const newer = { ...oldest, number: 9 };
    const locked = { ...oldest, number: 11, locked: true };
    const decision = decide(overloadedEvidence(at(10)), 10, { open: [oldest, newer, locked] });
    expect(decision.plan).toMatchObject({ action: 'update', issueNumber: 7 });
    expect(decision.plan.duplicates).toEqual([
      { issueNumber: 9, keptNumber: 7, comment: expect.stringMatching(/^Duplicate of #7\n\n/) },
      { issueNumber: 11, keptNumber: 7, comment: null },
    ]);
  });
});

describe('lifecycle: comments only when something changed', () => {
  it('escalates and de-escalates with one comment each, and none while nothing changes', () => {
    let issue = openIncident();
    const steps: [Evidence, number][] = [
      [overloadedEvidence(at(10)), 10],
      [partialOutage(20), 20],
      [partialOutage(30), 30],
    ];
    const comments = steps.map(([evidence, m]) => {
      const { plan } = decide(evidence, m, { open: [issue] });
      issue = carried(plan, issue);
      return plan.action === 'update' ? (plan.comment?.split('\n')[0] ?? null) : 'not an update';
    });
    expect(comments).toEqual([
      null,
      '**De-escalated: P1 API overloaded (529) → P2 Anthropic status page incident**',
      null,
    ]);
    expect(issue.labels).toContain('severity:P2');
    expect(issue.title).toBe('P2 Claude API incident: Anthropic status page incident');
  });

  it('posts a reminder after reminder-interval without a comment, then waits a full interval again', () => {
    const config = { reminderIntervalMs: 60 * MINUTE };
    let issue = openIncident(50);
    const due = decide(overloadedEvidence(at(60)), 60, { open: [issue], config });
    expect(due.plan.action === 'update' && due.plan.comment).toMatch(
      /^\*\*Reminder: still P1 API overloaded \(529\)\*\*, ongoing since 2026-03-04 10:00 UTC \(1 h\); no change since 2026-03-04 10:00 UTC\./,
    );
    issue = carried(due.plan, issue);
    expect(readMemory(issue.body)?.lastCommentAt).toBe(at(60));
    for (const m of [70, 80, 90, 100, 110]) {
      const quiet = decide(overloadedEvidence(at(m)), m, { open: [issue], config });
      expect(quiet.plan.action === 'update' && quiet.plan.comment).toBeNull();
      issue = carried(quiet.plan, issue);
    }
    const next = decide(overloadedEvidence(at(120)), 120, { open: [issue], config });
    expect(next.plan.action === 'update' && next.plan.comment).toMatch(/^\*\*Reminder/);
  });

  it('writes a gap in monitoring in the timeline, in the same comment as a change', () => {
    const issue = openIncident(10);
    const later = decide(partialOutage(130), 130, { open: [issue] });
    expect(later.plan.action).toBe('update');
    if (later.plan.action !== 'update') return;
    expect(later.plan.comment).toMatch(/^\*\*De-escalated: P1/);
    expect(later.plan.comment).toContain(
      '**No observation from 2026-03-04 10:10 UTC to 2026-03-04 12:10 UTC (2 h).** The workflow did not run',
    );
    expect(readMemory(carried(later.plan, issue).body)?.gaps).toEqual([{ from: at(10), to: at(130) }]);
  });
});

describe('lifecycle: closing and reopening', () => {
  /** An incident opened at 0 and closed by the healthy runs after it; returns the closed issue. */
  function closedIncident(): { issue: IncidentIssue; closedAt: number } {
    let issue = openIncident();
    let m = 10;
    for (;;) {
      const { plan } = decide(healthyEvidence(at(m)), m, { open: [issue] });
      issue = carried(plan, issue);
      if (plan.action === 'close') return { issue, closedAt: m };
      m += 10;
    }
  }

  it('closes with the record, and marks the body resolved', () => {
    const { issue, closedAt } = closedIncident();
    expect(closedAt).toBe(20);
    const memory = readMemory(issue.body)!;
    expect(memory).toMatchObject({ closedAt: at(20), recoveredAt: at(10), healthyStreak: 2 });
    expect(readSection(issue.body, 'summary')).toMatch(/^\*\*Resolved\*\* after 10 min; peak severity P1\./);
  });

  it('forgets the close when people reopen the issue themselves, so it does not read Resolved while failing', () => {
    const { issue } = closedIncident();
    const reopenedByPeople: IncidentIssue = { ...issue, state: 'open', stateReason: 'reopened' };
    const decision = decide(overloadedEvidence(at(30)), 30, { open: [reopenedByPeople] });
    expect(decision.plan.action).toBe('update');
    if (decision.plan.action !== 'update') return;
    const updated = carried(decision.plan, reopenedByPeople);
    expect(readMemory(updated.body)?.closedAt).toBeUndefined();
    expect(readSection(updated.body, 'summary')).not.toMatch(/Resolved/);
    expect(readSection(updated.body, 'summary')).toMatch(/ongoing since/);
  });

  it('reopens the same issue when the problem recurs within reopen-window, carrying the episode on', () => {
    const { issue } = closedIncident();
    const decision = decide(overloadedEvidence(at(70)), 70, { recentlyClosed: issue });
    expect(decision.plan).toMatchObject({
      action: 'reopen',
      issueNumber: 7,
      taken: 'reopened',
      labels: null,
    });
    if (decision.plan.action !== 'reopen') return;
    expect(decision.plan.comment).toMatch(
      /^\*\*Recurred: reopening\.\*\* The recovery of 2026-03-04 10:20 UTC did not hold: \*\*P1 API overloaded \(529\)\*\* at 2026-03-04 11:10 UTC, 50 min later\./,
    );
    const reopened = carried(decision.plan, issue);
    expect(readMemory(reopened.body)).toMatchObject({
      openedAt: at(0),
      healthyStreak: 0,
      reopenings: [{ closedAt: at(20), reopenedAt: at(70) }],
    });
    expect(readMemory(reopened.body)?.closedAt).toBeUndefined();
    expect(readSection(reopened.body, 'summary')).toMatch(
      /^\*\*P1 · API overloaded \(529\)\*\*: ongoing since 2026-03-04 10:00 UTC/,
    );
  });

  it('opens a new issue when the problem comes back after reopen-window, and says so', () => {
    const { issue } = closedIncident();
    const decision = decide(overloadedEvidence(at(101)), 101, { recentlyClosed: issue });
    expect(decision.plan.action).toBe('open');
    expect(decision.plan.notes).toEqual([
      'The previous incident, #7, closed 2026-03-04 10:20 UTC, more than 1 h ago: this is a new incident.',
    ]);
  });

  it('applies open-runs to a recurrence as well: one P3 run does not reopen', () => {
    const { issue } = closedIncident();
    expect(decide(degraded(50), 50, { recentlyClosed: issue }).plan.action).toBe('none');
  });
});

describe('lifecycle: people closed the issue while it was failing', () => {
  function closedByPeople(): IncidentIssue {
    return { ...openIncident(10), state: 'closed', stateReason: 'completed' };
  }

  it('does not reopen it or open another; notes it once; ends the episode after recovery-runs healthy runs', () => {
    let issue = closedByPeople();
    const first = decide(overloadedEvidence(at(20)), 20, { recentlyClosed: issue });
    expect(first.plan).toMatchObject({
      action: 'update',
      issueNumber: 7,
      taken: 'none',
      title: null,
      labels: null,
    });
    if (first.plan.action !== 'update') return;
    expect(first.plan.comment).toMatch(
      /^\*\*Still failing after this issue was closed: P1 API overloaded \(529\)\.\*\*/,
    );
    issue = carried(first.plan, issue);
    expect(issue.state).toBe('closed');

    const second = decide(overloadedEvidence(at(30)), 30, { recentlyClosed: issue });
    expect(second.plan).toMatchObject({ action: 'update', comment: null, taken: 'none' });
    issue = carried(second.plan, issue);

    for (const m of [40, 50]) {
      const healthy = decide(healthyEvidence(at(m)), m, { recentlyClosed: issue });
      expect(healthy.plan).toMatchObject({ action: 'update', comment: null, taken: 'none' });
      issue = carried(healthy.plan, issue);
    }
    expect(readMemory(issue.body)?.episodeEndedAt).toBe(at(50));
    // Once the episode has ended, healthy runs leave the closed issue alone.
    expect(decide(healthyEvidence(at(60)), 60, { recentlyClosed: issue }).plan.action).toBe('none');
    const newEpisode = decide(overloadedEvidence(at(80)), 80, { recentlyClosed: issue });
    expect(newEpisode.plan.action).toBe('open');
  });

  it('after a gap in monitoring the episode is over: a new failure opens a new issue', () => {
    const issue = closedByPeople();
    expect(decide(overloadedEvidence(at(100)), 100, { recentlyClosed: issue }).plan.action).toBe('open');
  });
});

describe('lifecycle: locked issues', () => {
  it('posts no comment on a locked issue, still updates the body, and says so', () => {
    const issue = { ...openIncident(), locked: true };
    const change = decide(partialOutage(10), 10, { open: [issue] });
    expect(change.plan).toMatchObject({
      action: 'update',
      comment: null,
      labels: expect.arrayContaining(['severity:P2']),
    });
    expect(change.plan.notes).toEqual([
      'Issue #7 is locked: no comment was posted (GITHUB_TOKEN cannot comment on a locked issue); the body is still updated.',
    ]);
    if (change.plan.action === 'update') expect(change.plan.body).not.toBeNull();
  });

  it('closes a locked issue without the close comment', () => {
    let issue: IncidentIssue = { ...openIncident(), locked: true };
    for (let m = 10; ; m += 10) {
      const { plan } = decide(healthyEvidence(at(m)), m, { open: [issue] });
      if (plan.action === 'close') {
        expect(plan.comment).toBeNull();
        expect(readMemory(plan.body ?? '')?.closedAt).toBe(at(m));
        return;
      }
      issue = carried(plan, issue);
    }
  });
});

describe('lifecycle: memory size', () => {
  it('keeps the memory comment of a long incident to a few kilobytes', () => {
    const issue = openIncident(24 * 60);
    expect(memoryComment(readMemory(issue.body)!).length).toBeLessThan(6_000);
  });
});
