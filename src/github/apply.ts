import * as core from '@actions/core';
import { planDuplicates } from '../incident/plan.js';
import type { DuplicateClose, IncidentIssue, IncidentPlan } from '../incident/types.js';
import type { IssueOutcome } from '../report/outputs.js';
import { GitHubError } from './errors.js';
import { goneExplanation, isIssueGone } from './incidents.js';
import type { IncidentStore } from './incidents.js';

type Scrub = (text: string) => string;

/** GitHub's answer to a comment on a locked conversation (403), when the lock came after the list. */
const LOCKED_ANSWER = /locked/i;

/**
 * Carries out an IncidentPlan. Every write is awaited and any failure propagates: a run whose GitHub write
 * failed is never green. Two failures are explained instead, because retrying cannot help: the issue was
 * deleted or transferred (the next unhealthy run opens a new one), or locked (no comment is possible).
 * `scrub` is applied to every text that leaves for GitHub (defence in depth: the key is redacted where
 * evidence is gathered too).
 */
export async function applyPlan(
  store: IncidentStore,
  plan: IncidentPlan,
  existing: IncidentIssue | null,
  scrub: Scrub,
): Promise<IssueOutcome> {
  const outcome = await applyMainStep(store, plan, existing, scrub);
  for (const duplicate of plan.duplicates ?? []) await closeDuplicate(store, duplicate, scrub);
  return outcome;
}

function outcomeOf(plan: IncidentPlan, issue: IncidentIssue | null, notes: string[] = []): IssueOutcome {
  return {
    taken: plan.taken,
    issueNumber: issue?.number ?? null,
    issueUrl: issue?.htmlUrl ?? null,
    dryRun: false,
    notes: [...(plan.notes ?? []), ...notes],
  };
}

async function applyMainStep(
  store: IncidentStore,
  plan: IncidentPlan,
  existing: IncidentIssue | null,
  scrub: Scrub,
): Promise<IssueOutcome> {
  switch (plan.action) {
    case 'none':
      return outcomeOf(plan, existing);
    case 'open':
      return openOnce(store, plan, scrub);
    case 'update':
    case 'close':
    case 'reopen':
      try {
        return outcomeOf(plan, await writeIssue(store, plan, existing, scrub));
      } catch (error) {
        if (!isIssueGone(error)) throw error;
        const note = `${goneExplanation(plan.issueNumber, error)} It is not retried; the next unhealthy run opens a new incident issue.`;
        core.warning(note);
        return { ...outcomeOf(plan, null, [note]), taken: 'none' };
      }
  }
}

/**
 * Creates the issue, then lists again: a run that started at the same moment may have created one too.
 * The oldest is kept; a run whose issue is not the oldest closes its own as a duplicate, so two racing
 * runs converge whichever finishes first, and each duplicate is closed once, by the run that made it.
 */
async function openOnce(
  store: IncidentStore,
  plan: Extract<IncidentPlan, { action: 'open' }>,
  scrub: Scrub,
): Promise<IssueOutcome> {
  const created = await store.create(scrub(plan.title), scrub(plan.body), plan.labels);
  core.info(`Opened incident issue #${created.number}: ${created.htmlUrl}`);
  const open = await store.findOpenIncidents();
  const kept = open[0];
  if (kept === undefined || kept.number >= created.number) return outcomeOf(plan, created);
  const [duplicate] = planDuplicates(kept, [created]);
  if (duplicate !== undefined) await closeDuplicate(store, duplicate, scrub);
  const note = `Another run opened #${kept.number} for this incident at the same time: #${created.number} was closed as its duplicate.`;
  core.info(note);
  return { ...outcomeOf(plan, kept, [note]), taken: 'none' };
}

async function writeIssue(
  store: IncidentStore,
  plan: Extract<IncidentPlan, { action: 'update' | 'close' | 'reopen' }>,
  existing: IncidentIssue | null,
  scrub: Scrub,
): Promise<IncidentIssue | null> {
  let issue = existing?.number === plan.issueNumber ? existing : null;
  const changes = {
    ...(plan.title !== null && { title: scrub(plan.title) }),
    ...(plan.body !== null && { body: scrub(plan.body) }),
    ...(plan.labels !== null && { labels: plan.labels }),
  };
  switch (plan.action) {
    case 'reopen':
      // Reopen first: the recurrence comment then notifies about an open issue.
      // GitHub sets state_reason "reopened" itself; sending it would fail on GHES versions without it.
      issue = await store.update(plan.issueNumber, { ...changes, state: 'open' });
      core.info(`Reopened incident issue #${plan.issueNumber}: ${issue.htmlUrl}`);
      await postComment(store, plan.issueNumber, plan.comment, scrub);
      return issue;
    case 'close':
      // Comment before closing, so that the closing explanation is there when people get the notification.
      await postComment(store, plan.issueNumber, plan.comment, scrub);
      issue = await store.update(plan.issueNumber, { ...changes, state: 'closed', stateReason: 'completed' });
      core.info(`Closed incident issue #${plan.issueNumber}: ${issue.htmlUrl}`);
      return issue;
    case 'update':
      await postComment(store, plan.issueNumber, plan.comment, scrub);
      if (Object.keys(changes).length > 0) {
        issue = await store.update(plan.issueNumber, changes);
        core.info(`Updated incident issue #${plan.issueNumber}: ${issue.htmlUrl}`);
      }
      return issue;
  }
}

async function postComment(store: IncidentStore, issueNumber: number, comment: string | null, scrub: Scrub) {
  if (comment === null) return;
  try {
    await store.comment(issueNumber, scrub(comment));
  } catch (error) {
    // Locked between the list and this write: the comment cannot be posted by GITHUB_TOKEN, ever. Judged on
    // GitHub's own words, not our hint (whose generic 403 advice mentions locks too).
    if (error instanceof GitHubError && error.status === 403 && LOCKED_ANSWER.test(error.detail)) {
      core.warning(`Issue #${issueNumber} is locked: the comment was not posted.`);
      return;
    }
    throw error;
  }
}

/** Comments `Duplicate of #N` and closes as a duplicate, unless another run already closed it. */
async function closeDuplicate(store: IncidentStore, duplicate: DuplicateClose, scrub: Scrub): Promise<void> {
  const current = await store.lookup(duplicate.issueNumber);
  if (current.kind === 'gone' || current.issue.state === 'closed') return;
  await postComment(store, duplicate.issueNumber, duplicate.comment, scrub);
  try {
    await store.update(duplicate.issueNumber, { state: 'closed', stateReason: 'duplicate' });
  } catch (error) {
    // GHES versions before the `duplicate` state reason answer 422: close it as not planned instead
    // (the comment says what it duplicates). The kept issue, updated every run, stays the newest.
    if (!(error instanceof GitHubError) || error.status !== 422) throw error;
    await store.update(duplicate.issueNumber, { state: 'closed', stateReason: 'not_planned' });
  }
  core.info(`Closed #${duplicate.issueNumber} as a duplicate of #${duplicate.keptNumber}.`);
}

/** What a dry run prints instead of writing. */
export function describePlan(plan: IncidentPlan): string {
  const duplicates = (plan.duplicates ?? []).map((d) => `#${d.issueNumber}`);
  const extra = duplicates.length > 0 ? ` Would close ${duplicates.join(', ')} as duplicates.` : '';
  switch (plan.action) {
    case 'none':
      return `No change to GitHub: ${plan.reason}${extra}`;
    case 'open':
      return `Would open an issue titled "${plan.title}" with labels ${plan.labels.join(', ')}: ${plan.reason}${extra}`;
    case 'update':
      return `Would update issue #${plan.issueNumber}${plan.comment ? ' and comment' : ''}: ${plan.reason}${extra}`;
    case 'reopen':
      return `Would reopen issue #${plan.issueNumber}${plan.comment ? ' and comment' : ''}: ${plan.reason}${extra}`;
    case 'close':
      return `Would ${plan.comment ? 'comment on and ' : ''}close issue #${plan.issueNumber}: ${plan.reason}${extra}`;
  }
}
