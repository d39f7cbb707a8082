/**
 * What to do with the incident issue, decided from the verdict and the issue as it is. Pure: the plan
 * is data that `effects` carries out and dry-run prints.
 */
import type { Config } from '../config/types.js';
import type { Evidence, ProbeSample } from '../evidence.js';
import { RUNBOOK } from '../verdict/runbook.js';
import { DIAGNOSES, SEVERITIES, severityRank } from '../verdict/types.js';
import type { Diagnosis, Severity, Verdict } from '../verdict/types.js';
import { readMemory } from './memory.js';
import {
  renderChangeComment,
  renderCloseComment,
  renderFallbackComment,
  renderNewBody,
  renderTitle,
  updateBody,
} from './render.js';
import type { IncidentState, RenderConfig, RenderInput } from './render.js';
import type { IncidentIssue, IncidentMemory, IncidentPlan } from './types.js';

export type PlanConfig = RenderConfig & Pick<Config, 'labels'>;

export interface PlanInput {
  verdict: Verdict;
  evidence: Evidence;
  /** The open incident issue the finder found, or null. */
  existing: IncidentIssue | null;
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
  const { verdict, existing } = input;
  const open = existing !== null && existing.state === 'open' ? existing : null;
  switch (verdict.kind) {
    case 'inconclusive':
      return none(
        'The evidence is inconclusive (the probes never reached the API): the incident is left as it is.',
      );
    case 'config_error':
      return none('The probe is misconfigured: fix the configuration; the incident is left as it is.');
    case 'healthy':
      return open === null ? none('Healthy, and no incident is open.') : planRecovery(input, open);
    case 'unhealthy': {
      if (verdict.severity === null || verdict.diagnosis === null) {
        return none('The verdict is unhealthy but names no severity or diagnosis: nothing to write.');
      }
      const current: IncidentState = { severity: verdict.severity, diagnosis: verdict.diagnosis };
      return open === null ? planOpen(input, current) : planUpdate(input, open, current);
    }
  }
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

function planOpen(input: PlanInput, current: IncidentState): IncidentPlan {
  const { verdict, evidence, config, now } = input;
  const at = now.toISOString();
  const memory: IncidentMemory = {
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
  };
  return {
    action: 'open',
    reason: `${describe(current)}: opening an incident issue.`,
    title: renderTitle(current.severity, current.diagnosis, affectedModels(verdict)),
    body: renderNewBody({ verdict, evidence, memory, config, now }),
    labels: uniqueLabels([...config.labels, severityLabel(current.severity)]),
    taken: 'opened',
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

function planUpdate(input: PlanInput, issue: IncidentIssue, current: IncidentState): IncidentPlan {
  const { verdict, evidence, config, now } = input;
  const at = now.toISOString();
  const prior = readMemory(issue.body) ?? rebuildMemory(issue, current, now);
  const { recoveredAt: _recovered, ...stillUnhealthy } = prior;
  const memory: IncidentMemory = {
    ...stillUnhealthy,
    severity: current.severity,
    diagnosis: current.diagnosis,
    peakSeverity: moreSevere(prior.peakSeverity, current.severity),
    diagnosesSeen: prior.diagnosesSeen.includes(current.diagnosis)
      ? prior.diagnosesSeen
      : [...prior.diagnosesSeen, current.diagnosis],
    healthyStreak: 0,
    lastRunAt: at,
    lastUnhealthyAt: at,
    requestIds: appendRequestIds(prior.requestIds, failingRequestIds(evidence.samples)),
  };
  const from: IncidentState = { severity: prior.severity, diagnosis: prior.diagnosis };
  const changed = from.severity !== current.severity || from.diagnosis !== current.diagnosis;
  const renderInput: RenderInput = { verdict, evidence, memory, config, now };
  const update = updateBody(issue.body, renderInput);
  // With every machine section gone the body only carries the memory; the facts go to the timeline.
  const sectionsIntact = update.body !== null && update.sectionsWritten > 0;
  let comment: string | null = null;
  if (changed && !issue.locked) {
    comment = sectionsIntact
      ? renderChangeComment(from, current, verdict, config)
      : renderFallbackComment(from, current, renderInput);
  }
  const title = renderTitle(current.severity, current.diagnosis, affectedModels(verdict));
  const reason = changed
    ? `${describe(from)} → ${describe(current)}: updating the incident.`
    : `Still ${describe(current)}: updating the incident.`;
  return {
    action: 'update',
    reason: issue.locked && changed ? `${reason} The issue is locked: no timeline comment.` : reason,
    issueNumber: issue.number,
    title: changed && title !== issue.title ? title : null,
    body: changedBody(issue, update.body),
    comment,
    labels: changed ? labelsFor(issue.labels, current.severity, config.labels) : null,
    taken: 'updated',
  };
}

/**
 * A healthy run with an incident open. The incident closes after `recoveryRuns` healthy runs in a row;
 * its end time is the first healthy observation of that streak (`recoveredAt`), not the closing run,
 * so the duration measures the outage rather than our confirmation delay.
 */
function planRecovery(input: PlanInput, issue: IncidentIssue): IncidentPlan {
  const { verdict, evidence, config, now } = input;
  const at = now.toISOString();
  const prior = readMemory(issue.body) ?? rebuildMemory(issue, null, now);
  const memory: IncidentMemory = {
    ...prior,
    healthyStreak: prior.healthyStreak + 1,
    lastRunAt: at,
    recoveredAt: prior.recoveredAt ?? at,
  };
  const update = updateBody(issue.body, { verdict, evidence, memory, config, now });
  const body = changedBody(issue, update.body);
  const needed = Math.max(1, config.recoveryRuns);
  if (memory.healthyStreak >= needed) {
    return {
      action: 'close',
      reason: `${memory.healthyStreak} healthy run(s) in a row: closing the incident.`,
      issueNumber: issue.number,
      title: null,
      body,
      comment: renderCloseComment(memory, now, config),
      labels: null,
      taken: 'closed',
    };
  }
  return {
    action: 'update',
    reason: `Healthy: recovering, ${memory.healthyStreak} of ${needed} healthy runs needed to close.`,
    issueNumber: issue.number,
    title: null,
    body,
    comment: null,
    labels: null,
    taken: 'recovering',
  };
}
