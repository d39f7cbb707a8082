import type { Config } from '../config/types.js';
import type { Evidence } from '../evidence.js';
import { describePlan } from '../github/apply.js';
import { EVIDENCE_DETAIL, evidenceMarkdown } from '../incident/evidence-markdown.js';
import type { IncidentPlan } from '../incident/types.js';
import { inertInline } from '../text/inert.js';
import { RUNBOOK, SEVERITY_MEANING } from '../verdict/runbook.js';
import type { Verdict } from '../verdict/types.js';
import type { IssueOutcome } from './outputs.js';

export interface SummaryInput {
  verdict: Verdict;
  evidence: Evidence;
  /** Null when GitHub failed before a plan could be made. */
  plan: IncidentPlan | null;
  /** Null when the GitHub step failed: `failure` says why. */
  outcome: IssueOutcome | null;
  failure?: string | null;
  config: Pick<Config, 'runUrl' | 'dryRun'>;
  /** Lifecycle notes: the remembered state, locked or deleted issues, duplicates closed. */
  notes?: readonly string[];
}

function headline(verdict: Verdict): string {
  switch (verdict.kind) {
    case 'unhealthy':
      return `${verdict.severity}: ${RUNBOOK[verdict.diagnosis!].title} (${SEVERITY_MEANING[verdict.severity!]})`;
    case 'healthy':
      return 'Healthy: every probe passed';
    case 'inconclusive':
      return 'Inconclusive: the probes never reached the API (runner network)';
    case 'config_error':
      return 'Configuration error: the probe itself was rejected';
  }
}

function issueLine(plan: IncidentPlan | null, outcome: IssueOutcome | null, failure: string | null): string {
  if (outcome === null || plan === null) {
    return `**Incident issue: not brought up to date, the run failed.** ${inertInline(failure ?? 'GitHub failed.', 2_000)}`;
  }
  if (outcome.dryRun)
    return `**Dry run**, nothing was written to GitHub. ${inertInline(describePlan(plan), 2_000)}`;
  const issue = outcome.issueUrl ? `[#${outcome.issueNumber}](${outcome.issueUrl})` : 'none';
  return `**Incident issue:** ${issue}, action taken: \`${outcome.taken}\`. ${inertInline(plan.reason, 1_000)}`;
}

/** The job summary: the verdict, the evidence behind it, and what happened to the incident issue. */
export function renderSummary(input: SummaryInput): string {
  const { verdict, evidence, plan, outcome, config } = input;
  const notes = [...new Set(input.notes ?? [])].map((note) => `- ${inertInline(note, 1_000)}`);
  const parts = [
    `## Claude API triage: ${headline(verdict)}`,
    issueLine(plan, outcome, input.failure ?? null),
    ...(notes.length > 0 ? [notes.join('\n')] : []),
    evidenceMarkdown(verdict, evidence, config.runUrl, EVIDENCE_DETAIL[0]!),
  ];
  if (
    plan &&
    outcome?.dryRun &&
    (plan.action === 'open' || plan.action === 'update' || plan.action === 'close')
  ) {
    const body = plan.body;
    if (body) {
      // Shown as code so that the preview cannot ping anyone or render as a second issue.
      const fence = '`'.repeat(Math.max(3, ...[...body.matchAll(/`+/g)].map((m) => m[0].length + 1)));
      parts.push(
        `<details><summary>Issue body that would be written</summary>\n\n${fence}markdown\n${body}\n${fence}\n\n</details>`,
      );
    }
  }
  return `${parts.join('\n\n')}\n`;
}
