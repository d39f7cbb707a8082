/**
 * What to do with the incident issue, decided from the verdict and the issue as it is. Pure: the plan
 * is data that `effects` carries out and dry-run prints.
 */
import type { LifecycleConfig } from '../config/lifecycle.js';
import type { Config } from '../config/types.js';
import type { Evidence, ProbeSample } from '../evidence.js';
import { RUNBOOK } from '../verdict/runbook.js';
import { DIAGNOSES, SEVERITIES, severityRank } from '../verdict/types.js';
import type { Diagnosis, Severity, Verdict } from '../verdict/types.js';
import { closeGate, gapBefore, gapThresholdMs, observationOf, openGate, record } from './hysteresis.js';
import type { CloseGate, Gap, History } from './hysteresis.js';
import { historyOf, readMemory, withGap, withHistory } from './memory.js';
import {
  formatDuration,
  formatTime,
  renderChangeComment,
  renderCloseComment,
  renderClosedByPeopleNote,
  renderDuplicateComment,
  renderFallbackComment,
  renderNewBody,
  renderReminderComment,
  renderReopenComment,
  renderTitle,
  updateBody,
  withGapLine,
} from './render.js';
import type { IncidentState, RenderConfig, RenderInput } from './render.js';
import type { DuplicateClose, IncidentIssue, IncidentMemory, IncidentPlan } from './types.js';

export type PlanConfig = RenderConfig &
  Pick<Config, 'labels'> &
  Pick<LifecycleConfig, 'openRuns' | 'reminderIntervalMs' | 'reopenWindowMs'>;

export interface PlanInput {
  /** The verdict, graded by the window (lifecycle.ts). */
  verdict: Verdict;
  evidence: Evidence;
  /** The open incident issue kept (the oldest), or null. */
  existing: IncidentIssue | null;
  /** Other open incident issues: duplicates of `existing`, to be closed. */
  duplicates?: readonly IncidentIssue[];
  /** Our most recently closed incident issue (looked up when none is open), or null. */
  recentlyClosed?: IncidentIssue | null;
  /**
   * The history before this run and after it (this run's observation recorded). When absent, both are
   * derived from the issue's memory alone.
   */
  history?: { before: History | null; after: History };
  /**
   * Whether the history reaches the next run while no incident is open (a state file). Without it a
   * P3 or P4 cannot wait for `open-runs` runs and opens at once.
   */
  remembered?: boolean;
  config: PlanConfig;
  now: Date;
}

/** Request ids the memory keeps, oldest dropped first: enough for support, small enough for the body. */
export const MEMORY_REQUEST_IDS = 50;

/**
 * Anthropic request ids look like `req_011CZAYNHHZc2dXw6vchbkhw`. A `request-id` header set by a proxy
 * could hold anything, so only id-shaped values are remembered.
 */
const REQUEST_ID_PATTERN = /^[A-Za-z0-9_-]{1,128}$/;

const SEVERITY_LABEL_PREFIX = 'severity:';
/** Only our own severity labels are swapped; a person's `severity:high` label is left alone. */
const OUR_SEVERITY_LABEL = /^severity:(P[1-4])$/i;

/**
 * What a rebuilt memory assumes when neither the labels nor the title say what the incident was: the
 * runbook's "some requests failing" case. Only reached when people removed both memory and our labels.
 */
const UNKNOWN_STATE: IncidentState = { severity: 'P3', diagnosis: 'intermittent_errors' };

export function severityLabel(severity: Severity): string {
  return `${SEVERITY_LABEL_PREFIX}${severity}`;
}

export function planIncident(input: PlanInput): IncidentPlan {
  const open = input.existing !== null && input.existing.state === 'open' ? input.existing : null;
  const plan = planEpisode(input, open);
  const duplicates = open === null ? [] : planDuplicates(open, input.duplicates ?? []);
  if (duplicates.length === 0) return plan;
  const numbers = duplicates.map((d) => `#${d.issueNumber}`).join(', ');
  return {
    ...plan,
    duplicates,
    notes: [
      ...(plan.notes ?? []),
      `More than one incident issue was open: keeping the oldest, #${open!.number}, and closing ${numbers} as duplicates.`,
    ],
  };
}

/** The other open incident issues, closed as duplicates of the one kept, each with a linking comment. */
export function planDuplicates(kept: IncidentIssue, others: readonly IncidentIssue[]): DuplicateClose[] {
  return others
    .filter((issue) => issue.number !== kept.number && issue.state === 'open')
    .map((issue) => ({
      issueNumber: issue.number,
      keptNumber: kept.number,
      comment: issue.locked ? null : renderDuplicateComment(kept.number),
    }));
}

function planEpisode(input: PlanInput, open: IncidentIssue | null): IncidentPlan {
  const { verdict } = input;
  switch (verdict.kind) {
    case 'inconclusive':
      return none(
        'The evidence is inconclusive (the probes never reached the API): the incident is left as it is.',
      );
    case 'config_error':
      return none('The probe is misconfigured: fix the configuration; the incident is left as it is.');
    case 'healthy': {
      if (open !== null) return planRecovery(input, open);
      const episode = closedEpisode(input);
      if (episode?.kind === 'closed-by-people') return planQuietRecovery(input, episode);
      return none('Healthy, and no incident is open.');
    }
    case 'unhealthy': {
      if (verdict.severity === null || verdict.diagnosis === null) {
        return none('The verdict is unhealthy but names no severity or diagnosis: nothing to write.');
      }
      const current: IncidentState = { severity: verdict.severity, diagnosis: verdict.diagnosis };
      if (open !== null) return planUpdate(input, open, current);
      const episode = closedEpisode(input);
      if (episode?.kind === 'closed-by-people') return planQuietFailure(input, episode, current);
      const remembered = input.remembered ?? false;
      const gate = openGate(
        historiesOf(input, null).after,
        current.severity,
        input.config.openRuns,
        remembered,
      );
      if (!gate.open) {
        const reason =
          `Watching: ${gate.have} of ${gate.needed} unhealthy runs needed to open ${describe(current)} ` +
          '(a single bad run is not an incident).';
        return none(reason);
      }
      if (episode?.kind === 'closed-by-action') return planReopen(input, episode, current);
      return planOpen(input, current, openNotes(input, current, gate.needed, remembered));
    }
  }
}

/** Why this run opens: a P3/P4 that could not wait for lack of memory, or a previous incident too old to reopen. */
function openNotes(input: PlanInput, current: IncidentState, needed: number, remembered: boolean): string[] {
  const notes: string[] = [];
  if (
    !remembered &&
    needed === 1 &&
    severityRank(current.severity) > severityRank('P2') &&
    input.config.openRuns > 1
  ) {
    notes.push(
      `Opened on one run: with no state-file and no open incident nothing remembers earlier runs, so ` +
        `open-runs (${input.config.openRuns}) cannot be counted. Set state-file (see the README) to wait for it.`,
    );
  }
  const last = input.recentlyClosed;
  const memory = last ? readMemory(last.body) : null;
  if (last && memory?.closedAt !== undefined && input.config.reopenWindowMs > 0) {
    notes.push(
      `The previous incident, #${last.number}, closed ${formatTime(memory.closedAt)}, more than ` +
        `${formatDuration(input.config.reopenWindowMs)} ago: this is a new incident.`,
    );
  }
  return notes;
}

/** The history before and after this run: given by the lifecycle, or derived from the memory alone. */
function historiesOf(
  input: PlanInput,
  memory: IncidentMemory | null,
): { before: History | null; after: History } {
  if (input.history !== undefined) return input.history;
  const before = memory === null ? null : historyOf(memory);
  const observation = observationOf(input.verdict, input.now);
  if (observation === null) {
    const empty: History = {
      updatedAt: input.now.toISOString(),
      observations: [],
      healthyStreak: 0,
      unhealthyStreak: 0,
    };
    return { before, after: before ?? empty };
  }
  return { before, after: record(before, observation) };
}

/** A closed incident issue whose episode may still matter to this run. */
export type ClosedEpisode =
  | { kind: 'closed-by-action'; issue: IncidentIssue; memory: IncidentMemory; closedAt: string }
  | { kind: 'closed-by-people'; issue: IncidentIssue; memory: IncidentMemory };

/**
 * The recently closed incident, when it still matters: closed by the action less than `reopen-window`
 * ago (a recurrence reopens it), or closed by people while the episode goes on (the action respects the
 * close and does not open another issue until the episode ends). The episode of a people-closed issue
 * ends after `recovery-runs` healthy observations, or with a gap in monitoring (nothing can say it
 * went on).
 */
function closedEpisode(input: PlanInput): ClosedEpisode | null {
  return liveClosedEpisode(input.recentlyClosed ?? null, input.config, input.now);
}

export function liveClosedEpisode(
  issue: IncidentIssue | null,
  config: Pick<PlanConfig, 'recoveryRuns' | 'reopenWindowMs'>,
  at: Date,
): ClosedEpisode | null {
  if (issue === null || issue.state !== 'closed' || issue.stateReason === 'duplicate') return null;
  const memory = readMemory(issue.body);
  if (memory === null || memory.episodeEndedAt !== undefined) return null;
  const now = at.getTime();
  // Memories written before the lifecycle (no window, no `closedAt`): a completed recovery means the
  // action closed it.
  const legacyClose =
    memory.window === undefined &&
    memory.recoveredAt !== undefined &&
    memory.healthyStreak >= config.recoveryRuns;
  if (memory.closedAt !== undefined || legacyClose) {
    const closedAt = memory.closedAt ?? memory.lastRunAt;
    const recent = now - Date.parse(closedAt) < config.reopenWindowMs;
    return recent ? { kind: 'closed-by-action', issue, memory, closedAt } : null;
  }
  const continuous = now - Date.parse(memory.lastRunAt) <= gapThresholdMs(memory.window ?? []);
  return continuous ? { kind: 'closed-by-people', issue, memory } : null;
}

function none(reason: string): IncidentPlan {
  return { action: 'none', reason, taken: 'none' };
}

function describe(state: IncidentState): string {
  return `${state.severity} ${RUNBOOK[state.diagnosis].title}`;
}

/** Models with a finding: the ones a title names. */
function affectedModels(verdict: Verdict): string[] {
  return verdict.models.filter((m) => m.severity !== null).map((m) => m.model);
}

/** Request ids of requests that failed or answered wrong, oldest first. */
function failingRequestIds(samples: readonly ProbeSample[]): string[] {
  return samples
    .filter((s) => s.outcome !== 'ok' || s.canaryPassed === false)
    .map((s, order) => ({ s, order, at: Date.parse(s.startedAt) }))
    .sort((a, b) => a.at - b.at || a.order - b.order)
    .map(({ s }) => s.requestId)
    .filter((id): id is string => id !== null && REQUEST_ID_PATTERN.test(id));
}

function appendRequestIds(kept: readonly string[], added: readonly string[]): string[] {
  const all = [...kept];
  for (const id of added) if (!all.includes(id)) all.push(id);
  return all.slice(-MEMORY_REQUEST_IDS);
}

function uniqueLabels(labels: readonly string[]): string[] {
  const seen = new Set<string>();
  // GitHub label names are case-insensitive.
  return labels.filter((l) => {
    const key = l.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Every label the issue has, our old severity label swapped for the new one, the configured labels present. */
function labelsFor(current: readonly string[], severity: Severity, configured: readonly string[]): string[] {
  const kept = current.filter((l) => !OUR_SEVERITY_LABEL.test(l));
  return uniqueLabels([...kept, ...configured, severityLabel(severity)]);
}

function planOpen(input: PlanInput, current: IncidentState, notes: string[]): IncidentPlan {
  const { verdict, evidence, config, now } = input;
  const at = now.toISOString();
  const { after } = historiesOf(input, null);
  const memory: IncidentMemory = withHistory(
    {
      v: 1,
      openedAt: at,
      severity: current.severity,
      diagnosis: current.diagnosis,
      peakSeverity: current.severity,
      diagnosesSeen: [current.diagnosis],
      healthyStreak: 0,
      lastRunAt: at,
      lastUnhealthyAt: at,
      requestIds: appendRequestIds([], failingRequestIds(evidence.samples)),
      // Opening notifies everyone watching: reminders count from it.
      lastCommentAt: at,
    },
    after,
  );
  return {
    action: 'open',
    reason: `${describe(current)}: opening an incident issue.`,
    title: renderTitle(current.severity, current.diagnosis, affectedModels(verdict)),
    body: renderNewBody({ verdict, evidence, memory, config, now }),
    labels: uniqueLabels([...config.labels, severityLabel(current.severity)]),
    taken: 'opened',
    ...(notes.length > 0 && { notes }),
  };
}

function severityFromLabels(labels: readonly string[]): Severity | null {
  for (const label of labels) {
    const match = OUR_SEVERITY_LABEL.exec(label);
    const severity = match?.[1]?.toUpperCase();
    if (SEVERITIES.includes(severity as Severity)) return severity as Severity;
  }
  return null;
}

function severityFromTitle(title: string): Severity | null {
  const prefix = /^(P[1-4])\b/.exec(title)?.[1];
  return SEVERITIES.includes(prefix as Severity) ? (prefix as Severity) : null;
}

/** The diagnosis whose runbook title the issue title contains; the longest wins ("API overloaded (529)"). */
function diagnosisFromTitle(title: string): Diagnosis | null {
  const named = DIAGNOSES.filter((d) => title.includes(RUNBOOK[d].title));
  named.sort((a, b) => RUNBOOK[b].title.length - RUNBOOK[a].title.length);
  return named[0] ?? null;
}

/**
 * A memory for an issue whose hidden memory people deleted or mangled: what the labels and title still
 * say, opened when the issue was created. Never throws.
 */
export function rebuildMemory(
  issue: IncidentIssue,
  fallback: IncidentState | null,
  now: Date,
): IncidentMemory {
  const severity = severityFromLabels(issue.labels) ?? severityFromTitle(issue.title) ?? fallback?.severity;
  const diagnosis = diagnosisFromTitle(issue.title) ?? fallback?.diagnosis;
  const state: IncidentState = {
    severity: severity ?? UNKNOWN_STATE.severity,
    diagnosis: diagnosis ?? UNKNOWN_STATE.diagnosis,
  };
  const created = Number.isNaN(Date.parse(issue.createdAt)) ? now.toISOString() : issue.createdAt;
  return {
    v: 1,
    openedAt: created,
    severity: state.severity,
    diagnosis: state.diagnosis,
    peakSeverity: state.severity,
    diagnosesSeen: [state.diagnosis],
    healthyStreak: 0,
    lastRunAt: created,
    lastUnhealthyAt: created,
    requestIds: [],
  };
}

function moreSevere(a: Severity, b: Severity): Severity {
  return severityRank(a) <= severityRank(b) ? a : b;
}

/** The body to write, or null when it would not change (or cannot be written). */
function changedBody(issue: IncidentIssue, body: string | null): string | null {
  return body === null || body === issue.body ? null : body;
}

/** The memory of an unhealthy observation: current state, peak, diagnoses, request ids, history. */
function unhealthyMemory(
  prior: IncidentMemory,
  current: IncidentState,
  input: PlanInput,
  history: History,
): IncidentMemory {
  const at = input.now.toISOString();
  const { recoveredAt: _recovered, ...stillUnhealthy } = prior;
  return withHistory(
    {
      ...stillUnhealthy,
      severity: current.severity,
      diagnosis: current.diagnosis,
      peakSeverity: moreSevere(prior.peakSeverity, current.severity),
      diagnosesSeen: prior.diagnosesSeen.includes(current.diagnosis)
        ? prior.diagnosesSeen
        : [...prior.diagnosesSeen, current.diagnosis],
      lastRunAt: at,
      lastUnhealthyAt: at,
      requestIds: appendRequestIds(prior.requestIds, failingRequestIds(input.evidence.samples)),
    },
    history,
  );
}

/** A reminder is due when the action has said nothing for `reminder-interval`. */
function reminderDue(prior: IncidentMemory, config: PlanConfig, now: Date): boolean {
  if (config.reminderIntervalMs === null) return false;
  const last = Date.parse(prior.lastCommentAt ?? prior.openedAt);
  return now.getTime() - last >= config.reminderIntervalMs;
}

/** The gap in monitoring before this run, for an issue that was open during it. */
function gapOf(input: PlanInput, before: History | null): Gap | null {
  return gapBefore(before, input.now);
}

const LOCKED_NOTE = (n: number): string =>
  `Issue #${n} is locked: no comment was posted (GITHUB_TOKEN cannot comment on a locked issue); the body is still updated.`;

/** The comment as planned, unless the issue is locked; the note says what was held back. */
function unlessLocked(issue: IncidentIssue, comment: string | null, notes: string[]): string | null {
  if (comment === null || !issue.locked) return comment;
  notes.push(LOCKED_NOTE(issue.number));
  return null;
}

/** The memory after posting `comment` (or not). */
function commented(memory: IncidentMemory, comment: string | null, now: Date): IncidentMemory {
  return comment === null ? memory : { ...memory, lastCommentAt: now.toISOString() };
}

/**
 * The memory of an issue that is open now. People may have reopened an issue the action (or they) had
 * closed: what its memory says about that close no longer holds, or the summary would read "Resolved"
 * while the API fails and a people-closed note would never be posted again.
 */
function openIssueMemory(issue: IncidentIssue, fallback: IncidentState | null, now: Date): IncidentMemory {
  const memory = readMemory(issue.body) ?? rebuildMemory(issue, fallback, now);
  const { closedAt: _closed, episodeEndedAt: _ended, closedByPeopleNotedAt: _noted, ...open } = memory;
  return open;
}

function planUpdate(input: PlanInput, issue: IncidentIssue, current: IncidentState): IncidentPlan {
  const { verdict, evidence, config, now } = input;
  const prior = openIssueMemory(issue, current, now);
  const { before, after } = historiesOf(input, prior);
  const gap = gapOf(input, before);
  let memory = unhealthyMemory(prior, current, input, after);
  if (gap !== null) memory = withGap(memory, gap);
  const from: IncidentState = { severity: prior.severity, diagnosis: prior.diagnosis };
  const changed = from.severity !== current.severity || from.diagnosis !== current.diagnosis;
  const update = updateBody(issue.body, { verdict, evidence, memory, config, now });
  // With every machine section gone the body only carries the memory; the facts go to the timeline.
  const sectionsIntact = update.body !== null && update.sectionsWritten > 0;
  const renderInput: RenderInput = { verdict, evidence, memory, config, now };
  let comment: string | null = null;
  if (changed) {
    comment = sectionsIntact
      ? renderChangeComment(from, current, verdict, config)
      : renderFallbackComment(from, current, renderInput);
  } else if (reminderDue(prior, config, now) && config.reminderIntervalMs !== null) {
    comment = renderReminderComment(prior, verdict, now, {
      ...config,
      reminderIntervalMs: config.reminderIntervalMs,
    });
  }
  const notes: string[] = [];
  comment = unlessLocked(issue, withGapLine(comment, gap), notes);
  // The memory written with the body records the comment, so reminders are spaced from it.
  const final = commented(memory, comment, now);
  const body =
    comment === null ? update.body : updateBody(issue.body, { ...renderInput, memory: final }).body;
  const title = renderTitle(current.severity, current.diagnosis, affectedModels(verdict));
  let reason = changed
    ? `${describe(from)} → ${describe(current)}: updating the incident.`
    : `Still ${describe(current)}: updating the incident.`;
  if (gap !== null)
    reason += ` No observation for ${formatDuration(Date.parse(gap.to) - Date.parse(gap.from))} before this run.`;
  return {
    action: 'update',
    reason,
    issueNumber: issue.number,
    title: changed && title !== issue.title ? title : null,
    body: changedBody(issue, body),
    comment,
    labels: changed ? labelsFor(issue.labels, current.severity, config.labels) : null,
    taken: 'updated',
    ...(notes.length > 0 && { notes }),
  };
}

/** Why the incident is not closed yet, in one sentence. */
function recoveringReason(gate: CloseGate, threshold: number): string {
  if (gate.streak < gate.needed) {
    return `Healthy: recovering, ${gate.streak} of ${gate.needed} healthy runs needed to close.`;
  }
  const worst = gate.worst;
  const rate = worst?.rate == null ? '' : ` (${Math.round(worst.rate * 1000) / 10}% on ${worst.model})`;
  return (
    `Healthy: recovering, ${gate.streak} healthy runs in a row, but the error rate over the last ` +
    `${gate.lookback} runs${rate} is not yet under ${Math.round(threshold * 1000) / 10}%: not closing yet.`
  );
}

/**
 * A healthy run with an incident open. It closes once `recovery-runs` healthy runs are in a row and
 * the error rate over the last max(recovery-runs, 2) runs is under the threshold (hysteresis.ts). Its end
 * time is the first healthy observation of the streak (`recoveredAt`), not the closing run, so the
 * duration measures the outage rather than our confirmation delay.
 */
function planRecovery(input: PlanInput, issue: IncidentIssue): IncidentPlan {
  const { verdict, evidence, config, now } = input;
  const at = now.toISOString();
  const prior = openIssueMemory(issue, null, now);
  const { before, after } = historiesOf(input, prior);
  const gap = gapOf(input, before);
  let memory: IncidentMemory = withHistory(
    { ...prior, lastRunAt: at, recoveredAt: prior.recoveredAt ?? at },
    after,
  );
  if (gap !== null) memory = withGap(memory, gap);
  const gate = closeGate(after, config.recoveryRuns, config.errorRateThreshold);
  const notes: string[] = [];
  if (gate.close) {
    memory = { ...memory, closedAt: at };
    const comment = unlessLocked(issue, withGapLine(renderCloseComment(memory, now, config), gap), notes);
    memory = commented(memory, comment, now);
    const update = updateBody(issue.body, { verdict, evidence, memory, config, now });
    return {
      action: 'close',
      reason: `${gate.streak} healthy run(s) in a row and the error rate back under the threshold: closing the incident.`,
      issueNumber: issue.number,
      title: null,
      body: changedBody(issue, update.body),
      comment,
      labels: null,
      taken: 'closed',
      ...(notes.length > 0 && { notes }),
    };
  }
  const comment = unlessLocked(issue, withGapLine(null, gap), notes);
  memory = commented(memory, comment, now);
  const update = updateBody(issue.body, { verdict, evidence, memory, config, now, closeGate: gate });
  return {
    action: 'update',
    reason: recoveringReason(gate, config.errorRateThreshold),
    issueNumber: issue.number,
    title: null,
    body: changedBody(issue, update.body),
    comment,
    labels: null,
    taken: 'recovering',
    ...(notes.length > 0 && { notes }),
  };
}

/**
 * The problem came back less than `reopen-window` after the action closed the incident: the same
 * episode continues in the same issue (start time, peak and diagnoses carry on; the recovery that did
 * not hold is recorded).
 */
function planReopen(
  input: PlanInput,
  episode: Extract<ClosedEpisode, { kind: 'closed-by-action' }>,
  current: IncidentState,
): IncidentPlan {
  const { verdict, evidence, config, now } = input;
  const { issue, closedAt } = episode;
  const at = now.toISOString();
  const { closedAt: _closed, ...prior } = episode.memory;
  const { after } = historiesOf(input, episode.memory);
  const reopenings = [...(prior.reopenings ?? []), { closedAt, reopenedAt: at }];
  let memory: IncidentMemory = { ...unhealthyMemory(prior, current, input, after), reopenings };
  const notes: string[] = [];
  const comment = unlessLocked(issue, renderReopenComment(closedAt, current, verdict, now, config), notes);
  memory = commented(memory, comment, now);
  const update = updateBody(issue.body, { verdict, evidence, memory, config, now });
  const title = renderTitle(current.severity, current.diagnosis, affectedModels(verdict));
  const labels = labelsFor(issue.labels, current.severity, config.labels);
  const sameLabels = labels.length === issue.labels.length && labels.every((l, i) => l === issue.labels[i]);
  return {
    action: 'reopen',
    reason:
      `${describe(current)} recurred ${formatDuration(now.getTime() - Date.parse(closedAt))} after #${issue.number} ` +
      `closed (within the reopen-window of ${formatDuration(config.reopenWindowMs)}): reopening it.`,
    issueNumber: issue.number,
    title: title !== issue.title ? title : null,
    body: changedBody(issue, update.body),
    comment,
    labels: sameLabels ? null : labels,
    taken: 'reopened',
    ...(notes.length > 0 && { notes }),
  };
}

/**
 * Still failing, and people closed the incident issue during this episode: the close stands. The
 * issue's memory keeps counting (so the episode can end), and one note explains, once.
 */
function planQuietFailure(
  input: PlanInput,
  episode: Extract<ClosedEpisode, { kind: 'closed-by-people' }>,
  current: IncidentState,
): IncidentPlan {
  const { verdict, evidence, config, now } = input;
  const { issue } = episode;
  const { after } = historiesOf(input, episode.memory);
  let memory = unhealthyMemory(episode.memory, current, input, after);
  const notes: string[] = [];
  let comment: string | null = null;
  if (memory.closedByPeopleNotedAt === undefined) {
    comment = unlessLocked(issue, renderClosedByPeopleNote(current, verdict, config), notes);
    memory = { ...commented(memory, comment, now), closedByPeopleNotedAt: now.toISOString() };
  }
  const update = updateBody(issue.body, { verdict, evidence, memory, config, now });
  const reason =
    `${describe(current)}, but #${issue.number} was closed by people while the incident was going on: ` +
    'it is not reopened, and no new issue is opened until this episode ends ' +
    `(${Math.max(1, config.recoveryRuns)} healthy run(s) in a row).`;
  return {
    action: 'update',
    reason,
    issueNumber: issue.number,
    title: null,
    body: changedBody(issue, update.body),
    comment,
    labels: null,
    taken: 'none',
    ...(notes.length > 0 && { notes }),
  };
}

/** Healthy after people closed the incident issue: count towards the end of the episode, quietly. */
function planQuietRecovery(
  input: PlanInput,
  episode: Extract<ClosedEpisode, { kind: 'closed-by-people' }>,
): IncidentPlan {
  const { verdict, evidence, config, now } = input;
  const { issue } = episode;
  const at = now.toISOString();
  const { after } = historiesOf(input, episode.memory);
  let memory: IncidentMemory = withHistory(
    { ...episode.memory, lastRunAt: at, recoveredAt: episode.memory.recoveredAt ?? at },
    after,
  );
  const gate = closeGate(after, config.recoveryRuns, config.errorRateThreshold);
  if (gate.close) memory = { ...memory, episodeEndedAt: at };
  const update = updateBody(issue.body, { verdict, evidence, memory, config, now, closeGate: gate });
  const reason = gate.close
    ? `Healthy. The incident people closed as #${issue.number} is over: the next failure opens a new issue.`
    : `Healthy. #${issue.number} was closed by people during the incident; ${gate.streak} of ${gate.needed} ` +
      'healthy runs before that episode counts as over.';
  return {
    action: 'update',
    reason,
    issueNumber: issue.number,
    title: null,
    body: changedBody(issue, update.body),
    comment: null,
    labels: null,
    taken: 'none',
    ...(gate.close && { episodeEnded: true }),
  };
}
