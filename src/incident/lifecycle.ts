/**
 * One run's decision about the incident, from everything remembered: which copy of the history to
 * trust, how the window grades this run, and the plan. Pure: the GitHub layer gathers the issues, the
 * state file layer reads the file, `main.ts` carries the plan out.
 *
 * Where memory lives: while an incident is open, its issue's hidden memory is the source of truth and
 * carries the rolling window; the optional state file carries the window between incidents. When both
 * hold one, the newer wins; whether an incident is open is decided by the issues, never by the file.
 */
import type { Evidence } from '../evidence.js';
import type { Verdict } from '../verdict/types.js';
import { gradeByWindow, lastRuns, newest, observationOf, record } from './hysteresis.js';
import type { History } from './hysteresis.js';
import { historyOf, readMemory } from './memory.js';
import { liveClosedEpisode, planIncident } from './plan.js';
import type { PlanConfig } from './plan.js';
import type { IncidentIssue, IncidentPlan } from './types.js';

export type LifecyclePlanConfig = PlanConfig & { windowRuns: number };

/** What the state file said, as far as the decision cares. */
export type SavedHistory =
  | { kind: 'off' }
  | { kind: 'missing' }
  | { kind: 'unreadable'; problem: string }
  | { kind: 'read'; history: History | null };

export interface LifecycleInput {
  /** The classifier's verdict, before the window grades it. */
  verdict: Verdict;
  evidence: Evidence;
  /** Open incident issues, oldest first. */
  open: readonly IncidentIssue[];
  /** Our most recently closed incident issue, when none is open. */
  recentlyClosed: IncidentIssue | null;
  saved: SavedHistory;
  config: LifecyclePlanConfig;
  now: Date;
}

export interface LifecycleDecision {
  /** The verdict graded by the window: what the outputs, the summary and the issue report. */
  verdict: Verdict;
  plan: IncidentPlan;
  /** The history to save, or null when this run is not an observation (nothing to save). */
  history: History | null;
  /** Problems with the remembered state, for the log as warnings. */
  warnings: string[];
}

/** The history a closed issue carries, when that issue's episode may continue in this run. */
function liveClosedHistory(issue: IncidentIssue | null, config: PlanConfig, now: Date): History | null {
  const episode = liveClosedEpisode(issue, config, now);
  return episode === null ? null : historyOf(episode.memory);
}

function stateWarnings(saved: SavedHistory, open: IncidentIssue | null): string[] {
  const rebuilt =
    open === null
      ? 'the window starts again from this run'
      : `the window and counters were rebuilt from incident issue #${open.number}`;
  switch (saved.kind) {
    case 'unreadable':
      return [`The state file could not be used (${saved.problem}): ${rebuilt}.`];
    case 'missing':
      // A first run, or a cache miss: only worth a warning when an incident is open and it matters.
      return open === null ? [] : [`The state file is missing: ${rebuilt}.`];
    default:
      return [];
  }
}

export function decideLifecycle(input: LifecycleInput): LifecycleDecision {
  const { verdict: raw, config, now } = input;
  const [kept = null, ...duplicates] = input.open;
  const openMemory = kept === null ? null : readMemory(kept.body);
  const savedHistory = input.saved.kind === 'read' ? input.saved.history : null;
  // The issue's copy first, so that it wins a tie.
  const before = newest([
    openMemory === null ? null : historyOf(openMemory),
    kept === null ? liveClosedHistory(input.recentlyClosed, config, now) : null,
    savedHistory,
  ]);

  let verdict = raw;
  let history: History | null = null;
  const provisional = observationOf(raw, now);
  if (provisional !== null) {
    const window = lastRuns([...(before?.observations ?? []), provisional], config.windowRuns);
    verdict = gradeByWindow(raw, window, config.errorRateThreshold);
    history = record(before, observationOf(verdict, now)!);
  }

  const plan = planIncident({
    verdict,
    evidence: input.evidence,
    existing: kept,
    duplicates,
    recentlyClosed: input.recentlyClosed,
    ...(history !== null && { history: { before, after: history } }),
    remembered: input.saved.kind !== 'off',
    config,
    now,
  });
  return { verdict, plan, history, warnings: stateWarnings(input.saved, kept) };
}
