import type { Diagnosis, Severity } from '../verdict/types.js';

/** The incident issue as read from GitHub (only the fields we use). */
export interface IncidentIssue {
  number: number;
  title: string;
  /** Raw body, byte for byte as GitHub returned it ('' when null). */
  body: string;
  state: 'open' | 'closed';
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
      action: 'close';
      reason: string;
      issueNumber: number;
      title: string | null;
      body: string | null;
      comment: string;
      labels: string[] | null;
    }
) & {
  /** What the `action-taken` output reports once the plan is carried out. */
  taken: ActionTaken;
};

/** Values of the `action-taken` output. */
export type ActionTaken = 'opened' | 'updated' | 'recovering' | 'closed' | 'none';
