import type { Diagnosis, Severity } from '../verdict/types.js';
import type { Gap, Observation } from './hysteresis.js';

/** The incident issue as read from GitHub (only the fields we use). */
export interface IncidentIssue {
  number: number;
  title: string;
  /** Raw body, byte for byte as GitHub returned it ('' when null). */
  body: string;
  state: 'open' | 'closed';
  /** GitHub's state_reason: completed, not_planned, duplicate, reopened, or null. */
  stateReason: string | null;
  labels: string[];
  htmlUrl: string;
  locked: boolean;
  createdAt: string;
}

/**
 * What the action remembers about an open incident between runs. Stored in the issue body inside a
 * hidden HTML comment, so the issue stays the single source of truth and nothing else is needed.
 */
export interface IncidentMemory {
  v: 1;
  /** ISO time the episode was first detected. */
  openedAt: string;
  severity: Severity;
  diagnosis: Diagnosis;
  peakSeverity: Severity;
  /** Every diagnosis seen during the episode, first-seen order. */
  diagnosesSeen: Diagnosis[];
  /** Consecutive healthy runs observed since the last unhealthy one. */
  healthyStreak: number;
  /** ISO time of the last run that updated the issue. */
  lastRunAt: string;
  /** ISO time of the last unhealthy observation (the end time on recovery). */
  lastUnhealthyAt: string;
  /** Request ids of failing requests, oldest first, capped. */
  requestIds: string[];
  /**
   * ISO time of the first healthy run after the last unhealthy one: the incident's end time when it
   * closes. Absent while unhealthy (and in memories written before the field existed).
   */
  recoveredAt?: string;
  // The fields below were added with the lifecycle (hysteresis, reminders, reopening); memories written
  // before them lack them and still parse.
  /** The rolling window of observations, oldest first (see hysteresis.ts). */
  window?: Observation[];
  /** Consecutive unhealthy observations ending with the last run. */
  unhealthyStreak?: number;
  /** ISO time of the last comment the action posted here: reminders are spaced from it. */
  lastCommentAt?: string;
  /** ISO time the action closed the issue after a recovery. Absent while open, and when people closed it. */
  closedAt?: string;
  /** ISO time the action noted (once) that people closed the issue while the API was still failing. */
  closedByPeopleNotedAt?: string;
  /** ISO time the episode people closed ended: `recovery-runs` healthy observations after it. */
  episodeEndedAt?: string;
  /** Gaps in monitoring while the incident was open, oldest first, capped. */
  gaps?: Gap[];
  /** Recoveries that did not hold: closed by the action, reopened when the problem recurred. */
  reopenings?: { closedAt: string; reopenedAt: string }[];
}

/** Pure description of what to do with GitHub; `effects` carries it out, dry-run only prints it. */
export type IncidentPlan = (
  | { action: 'none'; reason: string }
  | { action: 'open'; reason: string; title: string; body: string; labels: string[] }
  | {
      action: 'update';
      reason: string;
      issueNumber: number;
      /** New title, or null to leave it. */
      title: string | null;
      /** New body, or null to leave it (e.g. nothing changed). */
      body: string | null;
      /** Timeline comment, or null: only when severity or diagnosis changed. */
      comment: string | null;
      /** Full label set to write, or null to leave labels alone. */
      labels: string[] | null;
    }
  | {
      /** Reopen a closed incident issue the action closed recently: the same episode continues. */
      action: 'reopen';
      reason: string;
      issueNumber: number;
      title: string | null;
      body: string | null;
      /** The recurrence comment, or null on a locked issue. */
      comment: string | null;
      labels: string[] | null;
    }
  | {
      action: 'close';
      reason: string;
      issueNumber: number;
      title: string | null;
      body: string | null;
      /** The close record, or null on a locked issue. */
      comment: string | null;
      labels: string[] | null;
    }
) & {
  /** What the `action-taken` output reports once the plan is carried out. */
  taken: ActionTaken;
  /** Other open incident issues, closed as duplicates of the one kept (the oldest). */
  duplicates?: DuplicateClose[];
  /** Sentences for the log and job summary beyond the reason (watching, locked, closed by people…). */
  notes?: string[];
  /** True when this run ended the episode of an issue people closed: no issue is followed any more. */
  episodeEnded?: boolean;
};

/** One duplicate incident issue to close, with a comment linking the one kept. */
export interface DuplicateClose {
  issueNumber: number;
  keptNumber: number;
  /** `Duplicate of #N` and why; null on a locked issue (it is closed without a comment). */
  comment: string | null;
}

/** Values of the `action-taken` output. */
export type ActionTaken = 'opened' | 'updated' | 'recovering' | 'closed' | 'reopened' | 'none';
