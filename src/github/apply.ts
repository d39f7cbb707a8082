import * as core from '@actions/core';
import type { IncidentIssue, IncidentPlan } from '../incident/types.js';
import type { IssueOutcome } from '../report/outputs.js';
import type { IncidentStore } from './incidents.js';

/**
 * Carries out an IncidentPlan. Every write is awaited and any failure propagates: a run whose GitHub write
 * failed is never green. `scrub` is applied to every text that leaves for GitHub (defence in depth: the key
 * is redacted where evidence is gathered too).
 */
export async function applyPlan(
  store: IncidentStore,
  plan: IncidentPlan,
  existing: IncidentIssue | null,
  scrub: (text: string) => string,
): Promise<IssueOutcome> {
  const outcome = (issue: IncidentIssue | null): IssueOutcome => ({
    taken: plan.taken,
    issueNumber: issue?.number ?? null,
    issueUrl: issue?.htmlUrl ?? null,
    dryRun: false,
  });

  switch (plan.action) {
    case 'none':
      return outcome(existing);
    case 'open': {
      const issue = await store.create(scrub(plan.title), scrub(plan.body), plan.labels);
      core.info(`Opened incident issue #${issue.number}: ${issue.htmlUrl}`);
      return outcome(issue);
    }
    case 'update':
    case 'close': {
      let issue = existing;
      const changes = {
        ...(plan.title !== null && { title: scrub(plan.title) }),
        ...(plan.body !== null && { body: scrub(plan.body) }),
        ...(plan.labels !== null && { labels: plan.labels }),
      };
      // Comment before closing, so that the closing explanation is there when people get the notification.
      if (plan.comment !== null) {
        if (existing?.locked)
          core.warning(`Issue #${plan.issueNumber} is locked: the timeline comment was not posted.`);
        else await store.comment(plan.issueNumber, scrub(plan.comment));
      }
      if (plan.action === 'close') {
        issue = await store.update(plan.issueNumber, {
          ...changes,
          state: 'closed',
          stateReason: 'completed',
        });
        core.info(`Closed incident issue #${plan.issueNumber}: ${issue.htmlUrl}`);
      } else if (Object.keys(changes).length > 0) {
        issue = await store.update(plan.issueNumber, changes);
        core.info(`Updated incident issue #${plan.issueNumber}: ${issue.htmlUrl}`);
      }
      return outcome(issue);
    }
  }
}

/** What a dry run prints instead of writing. */
export function describePlan(plan: IncidentPlan): string {
  switch (plan.action) {
    case 'none':
      return `No change to GitHub: ${plan.reason}`;
    case 'open':
      return `Would open an issue titled "${plan.title}" with labels ${plan.labels.join(', ')}: ${plan.reason}`;
    case 'update':
      return `Would update issue #${plan.issueNumber}${plan.comment ? ' and comment' : ''}: ${plan.reason}`;
    case 'close':
      return `Would comment on and close issue #${plan.issueNumber}: ${plan.reason}`;
  }
}
