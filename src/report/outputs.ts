import type { ActionTaken } from '../incident/types.js';
import type { Verdict } from '../verdict/types.js';

/** The action's outputs, one place that decides their values. */
export interface RunOutputs {
  severity: string;
  diagnosis: string;
  'issue-number': string;
  'issue-url': string;
  'action-taken': string;
}

export interface IssueOutcome {
  taken: ActionTaken;
  issueNumber: number | null;
  issueUrl: string | null;
  dryRun: boolean;
  /** What the job summary should say beyond the plan's reason (duplicates closed, a deleted issue…). */
  notes?: string[];
}

/**
 * `severity` is P1..P4 or `none`; `diagnosis` is the runbook diagnosis, or for runs without an incident
 * the kind of verdict (`healthy`, `inconclusive`, `config_error`). In a dry run `action-taken` says what
 * would have happened, prefixed `dry-run:`. A null outcome means GitHub failed: `action-taken` is `failed`,
 * and the verdict is still reported so that a workflow can page on it.
 */
export function buildOutputs(verdict: Verdict, outcome: IssueOutcome | null): RunOutputs {
  if (outcome === null) {
    return {
      severity: verdict.severity ?? 'none',
      diagnosis: verdict.diagnosis ?? verdict.kind,
      'issue-number': '',
      'issue-url': '',
      'action-taken': 'failed',
    };
  }
  return {
    severity: verdict.severity ?? 'none',
    diagnosis: verdict.diagnosis ?? verdict.kind,
    'issue-number': outcome.issueNumber === null ? '' : String(outcome.issueNumber),
    'issue-url': outcome.issueUrl ?? '',
    'action-taken': outcome.dryRun ? `dry-run:${outcome.taken}` : outcome.taken,
  };
}
