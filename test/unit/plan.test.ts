import { describe, expect, it } from 'vitest';
import { INCIDENT_MARKER, readSection, sectionBegin, sectionEnd } from '../../src/incident/markers.js';
import { memoryComment, readMemory } from '../../src/incident/memory.js';
import { MEMORY_REQUEST_IDS, planIncident, severityLabel } from '../../src/incident/plan.js';
import type { PlanInput } from '../../src/incident/plan.js';
import { GITHUB_BODY_LIMIT } from '../../src/incident/render.js';
import type { IncidentIssue, IncidentPlan } from '../../src/incident/types.js';
import type { Evidence, ProbeSample } from '../../src/evidence.js';
import {
  API_KEY,
  CONFIG,
  GITHUB_TOKEN,
  HAIKU,
  OVERLOADED_IDS,
  evidenceOf,
  healthyEvidence,
  issueWith,
  okSample,
  operationalPage,
  overloadedEvidence,
  overloadedSample,
  statusIncident,
  verdictOf,
} from './incident-fixtures.js';

const T0 = '2026-03-04T10:00:00.000Z';
const T1 = '2026-03-04T10:15:00.000Z';
const T2 = '2026-03-04T10:30:00.000Z';
const T3 = '2026-03-04T10:45:00.000Z';

function plan(evidence: Evidence, existing: IncidentIssue | null, at: string, config = CONFIG): IncidentPlan {
  const input: PlanInput = {
    verdict: verdictOf(evidence, config),
    evidence,
    existing,
    config,
    now: new Date(at),
  };
  return planIncident(input);
}

/** Two of three requests answered 529: P2 overloaded (error rate above the threshold, not all failing). */
function partlyOverloaded(at: string, ids: readonly string[]): Evidence {
  return evidenceOf([
    overloadedSample(HAIKU, 0, at, ids[0] ?? 'req_a'),
    okSample(HAIKU, 1, at),
    overloadedSample(HAIKU, 2, at, ids[1] ?? 'req_b'),
  ]);
}

function opened(): IncidentIssue {
  const p = plan(overloadedEvidence(T0), null, T0);
  if (p.action !== 'open') throw new Error(`expected open, got ${p.action}`);
  return issueWith(p.body, { title: p.title, labels: p.labels, createdAt: T0 });
}

/** Applies an update or close plan the way GitHub would. */
function applied(issue: IncidentIssue, p: IncidentPlan): IncidentIssue {
  if (p.action !== 'update' && p.action !== 'close')
    throw new Error(`expected update or close, got ${p.action}`);
  return {
    ...issue,
    body: p.body ?? issue.body,
    title: p.title ?? issue.title,
    labels: p.labels ?? issue.labels,
    state: p.action === 'close' ? 'closed' : 'open',
  };
}

/** The body with machine-owned parts replaced by placeholders: what belongs to people. */
function peoplesPart(body: string): string {
  return body
    .replace(/<!-- runbook:begin (\S+) -->[\s\S]*?<!-- runbook:end \1 -->/g, '<<section $1>>')
    .replace(/<!-- claude-incident-runbook:memory .*? -->/s, '<<memory>>');
}

/**
 * The edits people make in the web editor: CRLF line endings, a ticked checkbox, a root cause, notes
 * between and inside sections, and the Request IDs section moved above Mitigation.
 */
function editedByPeople(body: string): string {
  const requestIds = body.slice(body.indexOf('### Request IDs'), body.indexOf('### Action Items'));
  return body
    .replace(requestIds, '')
    .replace('### Mitigation', `${requestIds}### Mitigation`)
    .replace('- [ ] Back off with jitter', '- [x] Back off with jitter')
    .replace(
      /_What caused it\?.*_/,
      'A bad deploy upstream; see the vendor postmortem.\n\n@alice wrote this.',
    )
    .replace('_Describe the impact on users and systems here._', 'Checkout failed for 12% of EU users.')
    .replace(
      `${sectionEnd('detection')}`,
      `${sectionEnd('detection')}\n\nPaged by PagerDuty 2 minutes earlier.`,
    )
    .replace('- By: ', '- (added by on-call: first reported in #incidents Slack)\n- By: ')
    .replace(/\n/g, '\r\n');
}

describe('planIncident: when nothing is written', () => {
  it('does nothing on an inconclusive run, even with an incident open', () => {
    const issue = opened();
    const unreachable = evidenceOf(
      [0, 1].map((i) => ({
        ...okSample(HAIKU, i, T1),
        outcome: 'network' as const,
        httpStatus: null,
        answer: null,
        canaryPassed: null,
        errorType: 'ENOTFOUND',
        requestId: null,
      })),
    );
    const p = plan(unreachable, issue, T1);
    expect(p).toMatchObject({ action: 'none', taken: 'none' });
    expect(p.reason).toContain('inconclusive');
  });

  it('does nothing on a configuration error', () => {
    const bad: ProbeSample = {
      ...overloadedSample(HAIKU, 0, T1, 'req_011CV5J4YZo4J3KLTDZgDN7S'),
      httpStatus: 400,
      errorType: 'invalid_request_error',
      errorMessage: 'max_tokens: Field required',
    };
    const p = plan(evidenceOf([bad]), opened(), T1);
    expect(p).toMatchObject({ action: 'none', taken: 'none' });
    expect(p.reason).toContain('misconfigured');
  });

  it('does nothing when healthy and no incident is open', () => {
    expect(plan(healthyEvidence(T0), null, T0)).toMatchObject({ action: 'none', taken: 'none' });
  });
});

describe('planIncident: opening', () => {
  it('opens one issue with the title, template body, fresh memory and labels', () => {
    const p = plan(overloadedEvidence(T0), null, T0);
    expect(p.action).toBe('open');
    if (p.action !== 'open') return;
    expect(p.taken).toBe('opened');
    expect(p.title).toBe('P1 Claude API incident: API overloaded (529) on claude-haiku-4-5');
    expect(p.labels).toEqual(['incident', 'claude-api', 'severity:P1']);
    expect(p.body.startsWith(INCIDENT_MARKER)).toBe(true);
    expect(readMemory(p.body)).toEqual({
      v: 1,
      openedAt: T0,
      severity: 'P1',
      diagnosis: 'overloaded',
      peakSeverity: 'P1',
      diagnosesSeen: ['overloaded'],
      healthyStreak: 0,
      lastRunAt: T0,
      lastUnhealthyAt: T0,
      requestIds: OVERLOADED_IDS,
      lastCommentAt: T0,
      unhealthyStreak: 1,
      window: [
        {
          at: T0,
          kind: 'unhealthy',
          severity: 'P1',
          diagnosis: 'overloaded',
          models: [{ model: HAIKU, reached: 3, failed: 3 }],
        },
      ],
    });
  });

  it('opens a new issue when the one found is already closed', () => {
    const closed = { ...opened(), state: 'closed' as const };
    expect(plan(overloadedEvidence(T1), closed, T1).taken).toBe('opened');
    expect(plan(healthyEvidence(T1), closed, T1).taken).toBe('none');
  });

  it('labels severity as severity:P1 .. severity:P4', () => {
    expect(severityLabel('P3')).toBe('severity:P3');
  });
});

describe('planIncident: updating', () => {
  it('updates only the body when severity and diagnosis are unchanged', () => {
    const issue = opened();
    const p = plan(overloadedEvidence(T1, ['req_later1']), issue, T1);
    expect(p).toMatchObject({
      action: 'update',
      taken: 'updated',
      issueNumber: 42,
      title: null,
      comment: null,
      labels: null,
    });
    if (p.action !== 'update') return;
    const memory = readMemory(p.body ?? '');
    expect(memory?.lastRunAt).toBe(T1);
    expect(memory?.openedAt).toBe(T0);
    expect(memory?.requestIds).toEqual([...OVERLOADED_IDS, 'req_later1']);
  });

  it('on a severity change swaps the severity label, keeps people labels, retitles and comments', () => {
    const issue = { ...opened(), labels: ['incident', 'severity:P1', 'customer-impact', 'severity:high'] };
    const p = plan(partlyOverloaded(T1, ['req_p2a', 'req_p2b']), issue, T1);
    expect(p.action).toBe('update');
    if (p.action !== 'update') return;
    expect(p.labels).toEqual(['incident', 'customer-impact', 'severity:high', 'claude-api', 'severity:P2']);
    expect(p.title).toBe('P2 Claude API incident: API overloaded (529) on claude-haiku-4-5');
    expect(p.comment?.split('\n')[0]).toBe(
      '**De-escalated: P1 API overloaded (529) → P2 API overloaded (529)**',
    );
    const memory = readMemory(p.body ?? '');
    expect(memory).toMatchObject({ severity: 'P2', peakSeverity: 'P1', healthyStreak: 0 });
  });

  it('keeps at most 50 request ids, the most recent', () => {
    let issue = opened();
    for (let run = 0; run < 20; run += 1) {
      const at = new Date(Date.parse(T1) + run * 60_000).toISOString();
      const ids = [0, 1, 2].map((i) => `req_run${run}_${i}`);
      issue = applied(issue, plan(overloadedEvidence(at, ids), issue, at));
    }
    const ids = readMemory(issue.body)?.requestIds ?? [];
    expect(ids).toHaveLength(MEMORY_REQUEST_IDS);
    expect(ids.at(-1)).toBe('req_run19_2');
  });

  it('posts no comment on a locked issue and says why', () => {
    const issue = { ...opened(), locked: true };
    const p = plan(partlyOverloaded(T1, ['req_x', 'req_y']), issue, T1);
    expect(p).toMatchObject({ action: 'update', comment: null });
    expect(p.notes).toEqual([expect.stringContaining('Issue #42 is locked: no comment was posted')]);
  });
});

describe('planIncident: recovering and closing', () => {
  it('counts healthy runs, then closes with the first healthy run as the end time', () => {
    const issue = opened();
    const first = plan(healthyEvidence(T1), issue, T1);
    expect(first).toMatchObject({
      action: 'update',
      taken: 'recovering',
      comment: null,
      title: null,
      labels: null,
    });
    const recovering = applied(issue, first);
    expect(readSection(recovering.body, 'summary')).toContain(
      'recovering: 1 of 2 healthy runs needed to close',
    );
    expect(readMemory(recovering.body)).toMatchObject({ healthyStreak: 1, recoveredAt: T1 });

    const second = plan(healthyEvidence(T2), recovering, T2);
    expect(second).toMatchObject({ action: 'close', taken: 'closed', title: null, labels: null });
    if (second.action !== 'close') return;
    const closed = applied(recovering, second);
    expect(readSection(closed.body, 'duration')).toBe(
      '- Started: 2026-03-04 10:00 UTC (first unhealthy run)\n' +
        '- Ended: 2026-03-04 10:15 UTC (first healthy run of the recovery)\n' +
        '- Duration: 15 min',
    );
    expect(second.comment).toContain('- Duration: 15 min');
    expect(second.comment).toContain('- Peak severity: **P1**');
  });

  it('starts the healthy count again when a run is unhealthy during recovery', () => {
    const recovering = applied(opened(), plan(healthyEvidence(T1), opened(), T1));
    const relapse = plan(overloadedEvidence(T2, ['req_relapse']), recovering, T2);
    expect(relapse).toMatchObject({ action: 'update', taken: 'updated', comment: null });
    const memory = readMemory(applied(recovering, relapse).body);
    expect(memory?.healthyStreak).toBe(0);
    expect(memory?.recoveredAt).toBeUndefined();
    const next = plan(healthyEvidence(T3), applied(recovering, relapse), T3);
    expect(next.taken).toBe('recovering');
  });

  it('with recovery-runs 1 closes on the healthy run after the failing runs leave the last 2 runs', () => {
    const config = { ...CONFIG, recoveryRuns: 1 };
    // Right after a total outage the last 2 runs still fail 50 % of requests: not closed yet.
    const first = plan(healthyEvidence(T1), opened(), T1, config);
    expect(first.taken).toBe('recovering');
    expect(first.reason).toContain('the error rate over the last 2 runs (50% on claude-haiku-4-5)');
    expect(plan(healthyEvidence(T2), applied(opened(), first), T2, config).taken).toBe('closed');
  });
});

describe('planIncident: never destroys what people wrote', () => {
  it('after update and close every byte outside the machine parts is identical', () => {
    const edited = { ...opened(), body: editedByPeople(opened().body) };
    const people = peoplesPart(edited.body);
    expect(people).toContain('- [x] Back off with jitter');

    const updated = applied(edited, plan(partlyOverloaded(T1, ['req_u1', 'req_u2']), edited, T1));
    expect(peoplesPart(updated.body)).toBe(people);
    expect(readSection(updated.body, 'summary')).toContain('**P2 · API overloaded (529)**');
    // Text written inside the Detection section stays: Detection is written once, at opening.
    expect(readSection(updated.body, 'detection')).toContain('added by on-call');
    expect(updated.body).not.toMatch(/[^\r]\n/);

    const recovering = applied(updated, plan(healthyEvidence(T2), updated, T2));
    const closed = applied(recovering, plan(healthyEvidence(T3), recovering, T3));
    expect(closed.state).toBe('closed');
    expect(peoplesPart(recovering.body)).toBe(people);
    expect(peoplesPart(closed.body)).toBe(people);
    expect(readSection(closed.body, 'duration')).toContain('- Ended: 2026-03-04 10:30 UTC');
    expect(closed.body).not.toMatch(/[^\r]\n/);
  });

  it('leaves a section alone when people damaged its markers', () => {
    const issue = opened();
    const damaged = { ...issue, body: issue.body.replace(sectionEnd('evidence'), '') };
    const p = plan(overloadedEvidence(T1, ['req_new']), damaged, T1);
    if (p.action !== 'update') throw new Error('expected update');
    const body = p.body ?? '';
    const tail = damaged.body.slice(damaged.body.indexOf(sectionBegin('evidence')));
    expect(body.endsWith(tail)).toBe(true);
    expect(readSection(body, 'request-ids')).toContain('req_new');
  });

  it('falls back to a timeline comment when every machine section was deleted, keeping the memory', () => {
    const issue = opened();
    const bare = {
      ...issue,
      body: `${INCIDENT_MARKER}\r\n${memoryComment(readMemory(issue.body) ?? fail())}\r\nWe rewrote this issue by hand.\r\n`,
    };
    const unchanged = plan(overloadedEvidence(T1, ['req_same']), bare, T1);
    expect(unchanged).toMatchObject({ action: 'update', comment: null });
    if (unchanged.action !== 'update') return;
    expect(peoplesPart(unchanged.body ?? '')).toBe(peoplesPart(bare.body));
    expect(readMemory(unchanged.body ?? '')?.requestIds).toContain('req_same');

    const changed = plan(partlyOverloaded(T1, ['req_c1', 'req_c2']), bare, T1);
    if (changed.action !== 'update') throw new Error('expected update');
    expect(changed.comment).toContain('**De-escalated: P1 API overloaded (529) → P2 API overloaded (529)**');
    expect(changed.comment).toContain('| Model | Severity |');
    expect(changed.comment).not.toContain('<!-- runbook:');
  });

  it('rebuilds deleted memory from the labels and title, opened when the issue was created', () => {
    const issue = opened();
    const withoutMemory = {
      ...issue,
      labels: ['incident', 'severity:P2'],
      title: 'P2 Claude API incident: API overloaded (529) on claude-haiku-4-5',
      body: issue.body.replace(/<!-- claude-incident-runbook:memory .*? -->\n/s, ''),
      createdAt: '2026-03-04T09:58:00Z',
    };
    expect(readMemory(withoutMemory.body)).toBeNull();
    const p = plan(partlyOverloaded(T1, ['req_r1', 'req_r2']), withoutMemory, T1);
    expect(p).toMatchObject({ action: 'update', comment: null, title: null, labels: null });
    if (p.action !== 'update') return;
    const memory = readMemory(p.body ?? '');
    expect(memory).toMatchObject({
      openedAt: '2026-03-04T09:58:00Z',
      severity: 'P2',
      diagnosis: 'overloaded',
    });
    expect(p.body?.startsWith(`${INCIDENT_MARKER}\n<!-- claude-incident-runbook:memory `)).toBe(true);
  });

  it('rebuilds memory on a healthy run too, so recovery can still be counted', () => {
    const issue = opened();
    const withoutMemory = {
      ...issue,
      body: issue.body.replace(/<!-- claude-incident-runbook:memory .*? -->\n/s, ''),
    };
    const first = applied(withoutMemory, plan(healthyEvidence(T1), withoutMemory, T1));
    expect(readMemory(first.body)).toMatchObject({
      healthyStreak: 1,
      severity: 'P1',
      diagnosis: 'overloaded',
    });
    expect(plan(healthyEvidence(T2), first, T2).taken).toBe('closed');
  });
});

describe('planIncident: limits and safety', () => {
  it('keeps a body under 65,536 characters with 300 KB HTML errors and 200 status incidents', () => {
    const page = `<html><body>${'<div class="err">upstream reset @sre #99</div>'.repeat(7_000)}</body></html>`;
    const samples = Array.from({ length: 10 }, (_, i) => ({
      ...overloadedSample(HAIKU, i, T0, `req_big${i}`),
      httpStatus: 503,
      errorType: null,
      errorMessage: `${i} ${page}`,
    }));
    const incidents = Array.from({ length: 200 }, (_, i) =>
      statusIncident({ id: `i${i}`, name: `Incident ${i} ${'z'.repeat(1_000)}` }),
    );
    const evidence = evidenceOf(samples, { ...operationalPage(), incidents });
    const p = plan(evidence, null, T0);
    if (p.action !== 'open') throw new Error('expected open');
    expect(p.body.length).toBeLessThanOrEqual(GITHUB_BODY_LIMIT);
    const update = plan(evidence, issueWith(p.body), T1);
    if (update.action !== 'update') throw new Error('expected update');
    expect((update.body ?? p.body).length).toBeLessThanOrEqual(GITHUB_BODY_LIMIT);
  });

  it('never posts the API key, even when the API and the status page echo it', () => {
    const echo = `key ${API_KEY} token ${GITHUB_TOKEN}`;
    const leaky = (at: string): Evidence =>
      evidenceOf(
        [0, 1, 2].map((i) => ({ ...overloadedSample(HAIKU, i, at, `req_leak${i}`), errorMessage: echo })),
        { ...operationalPage(), incidents: [statusIncident({ name: echo })] },
      );
    const outputs: string[] = [];
    const collect = (p: IncidentPlan): void => {
      if (p.action === 'open') outputs.push(p.title, p.body, ...p.labels);
      if (p.action === 'update' || p.action === 'close') {
        outputs.push(p.title ?? '', p.body ?? '', p.comment ?? '', ...(p.labels ?? []));
      }
    };
    const open = plan(leaky(T0), null, T0);
    collect(open);
    if (open.action !== 'open') throw new Error('expected open');
    const issue = issueWith(open.body);
    const change = plan(
      evidenceOf([
        overloadedSample(HAIKU, 0, T1, 'req_1'),
        okSample(HAIKU, 1, T1),
        { ...overloadedSample(HAIKU, 2, T1, 'req_2'), errorMessage: echo },
      ]),
      issue,
      T1,
    );
    collect(change);
    const recovering = applied(issue, plan(healthyEvidence(T2), issue, T2));
    collect(plan(healthyEvidence(T3), recovering, T3));
    expect(outputs.length).toBeGreaterThan(5);
    for (const out of outputs) {
      expect(out).not.toContain('sk-ant-');
      expect(out).not.toContain('notReal');
      expect(out).not.toContain('QRSTUV');
      expect(out).not.toContain('testTokenNotReal');
    }
  });
});

function fail(): never {
  throw new Error('memory missing');
}
