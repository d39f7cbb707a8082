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
  plan: IncidentPlan;
  outcome: IssueOutcome;
  config: Pick<Config, 'runUrl' | 'dryRun'>;
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

function issueLine(plan: IncidentPlan, outcome: IssueOutcome): string {
  if (outcome.dryRun)
    return `**Dry run**, nothing was written to GitHub. ${inertInline(describePlan(plan), 2_000)}`;
  const issue = outcome.issueUrl ? `[#${outcome.issueNumber}](${outcome.issueUrl})` : 'none';
  return `**Incident issue:** ${issue}, action taken: \`${outcome.taken}\`. ${inertInline(plan.reason, 1_000)}`;
}

/** The job summary: the verdict, the evidence behind it, and what happened to the incident issue. */
export function renderSummary(input: SummaryInput): string {
  const { verdict, evidence, plan, outcome, config } = input;
  const parts = [
    `## Claude API triage: ${headline(verdict)}`,
    issueLine(plan, outcome),
    evidenceMarkdown(verdict, evidence, config.runUrl, EVIDENCE_DETAIL[0]!),
  ];
  if (outcome.dryRun && (plan.action === 'open' || plan.action === 'update' || plan.action === 'close')) {
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
