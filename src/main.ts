import * as core from '@actions/core';
import { parseLifecycleInputs, type LifecycleConfig } from './config/lifecycle.js';
import { ConfigError, parseConfig, type InputReader } from './config/inputs.js';
import type { Config } from './config/types.js';
import type { Evidence } from './evidence.js';
import { applyPlan, describePlan } from './github/apply.js';
import { createGitHubClient } from './github/client.js';
import { createIncidentStore, type IncidentStore } from './github/incidents.js';
import { decideLifecycle, type LifecycleDecision, type SavedHistory } from './incident/lifecycle.js';
import type { IncidentIssue, IncidentPlan } from './incident/types.js';
import { closeHttp } from './probes/http.js';
import { probeModels } from './probes/messages.js';
import { readStatusPage } from './probes/status-page.js';
import { buildOutputs, type IssueOutcome, type RunOutputs } from './report/outputs.js';
import { renderSummary } from './report/summary.js';
import { readStateFile, writeStateFile } from './state/file.js';
import { savedStateOf } from './state/saved-state.js';
import { redact, redactDeep } from './text/redact.js';
import { classify } from './verdict/classify.js';
import type { Verdict } from './verdict/types.js';

export interface RunContext {
  read: InputReader;
  env: NodeJS.ProcessEnv;
  /** Wall clock; the test suite pins it through RUNBOOK_NOW to replay a timeline. */
  now: () => Date;
}

export interface RunResult {
  verdict: Verdict;
  outputs: RunOutputs;
}

type RunConfig = Config & LifecycleConfig;

/** The runbook, in order. Each step is one call; deciding is pure, doing sits at the edges. */
export async function triage(context: RunContext): Promise<RunResult> {
  // 1. Inputs, all validated before any request. The key is masked first, before anything could log it.
  const rawKey = context.read('anthropic-api-key').trim();
  if (rawKey) core.setSecret(rawKey);
  const config: RunConfig = {
    ...parseConfig(context.read, context.env),
    ...parseLifecycleInputs(context.read),
  };
  const secrets = [config.anthropicApiKey, config.githubToken];
  const scrub = (text: string): string => redact(text, secrets);

  // 2. Probes, concurrently: every model's canary requests and the status page. Everything upstream sent
  // is redacted once, here, before any renderer escapes it (escaping changes how a secret is spelled).
  const evidence = redactDeep(await collectEvidence(config, context.now), secrets);

  // 3. Verdict of this run alone (pure), logged before any GitHub call.
  const observed = classify(evidence, config);
  logVerdict(observed, scrub);

  // 4-6. Remember, decide, act. If GitHub fails, the run still reports this run's own verdict and fails.
  let verdict = observed;
  let plan: IncidentPlan | null = null;
  let outcome: IssueOutcome | null = null;
  let notes: string[] = [];
  let failure: string | null = null;
  let outputs: RunOutputs;
  try {
    // 4. What is remembered: the state file, and the incident issues (the source of truth).
    const saved = await readSaved(config);
    const store = createStore(config);
    const incidents = await readIncidents(store, observed, saved);

    // 5. Decide (pure): grade the run by the window, then plan the issue.
    const decision = decideLifecycle({
      verdict: observed,
      evidence,
      open: incidents.open,
      recentlyClosed: incidents.recentlyClosed,
      saved: saved.history,
      config,
      now: context.now(),
    });
    ({ verdict, plan } = decision);
    if (verdict !== observed) logVerdict(verdict, scrub, 'Verdict over the window');
    notes = [...decision.warnings, ...incidents.warnings];
    for (const warning of notes) core.warning(scrub(warning));
    core.info(scrub(plan.reason));
    // The plan's own notes; what happens while writing is logged where it happens (github/apply.ts).
    for (const note of plan.notes ?? []) core.info(scrub(note));

    // 6. Carry the plan out, unless this is a dry run; then save the window for the next run.
    outcome = await carryOut(config, store, decision, subjectOf(plan, incidents), scrub);
    notes.push(...(outcome.notes ?? []));
  } catch (error) {
    failure = error instanceof Error ? error.message : String(error);
    throw error;
  } finally {
    // 7. Outputs and the job summary, every run, failed ones included: a workflow can still page on them.
    outputs = buildOutputs(verdict, outcome);
    for (const [name, value] of Object.entries(outputs)) core.setOutput(name, scrub(value));
    await writeSummary(scrub(renderSummary({ verdict, evidence, plan, outcome, config, notes, failure })));
  }

  if (verdict.kind === 'config_error') {
    throw new ConfigError(
      `The probe was rejected as a configuration error, not an incident: ${verdict.notes.join(' ')}`,
    );
  }
  if (verdict.kind === 'inconclusive') {
    core.warning(
      scrub(`Inconclusive: ${verdict.notes.join(' ')} No incident was opened, updated or closed.`),
    );
  }
  return { verdict, outputs };
}

/**
 * Applies the plan to GitHub and saves the state file, or, in a dry run (or without anything to write),
 * only says what would have been done.
 */
async function carryOut(
  config: RunConfig,
  store: IncidentStore | null,
  decision: LifecycleDecision,
  kept: IncidentIssue | null,
  scrub: (text: string) => string,
): Promise<IssueOutcome> {
  const { plan, verdict } = decision;
  if (config.dryRun || store === null || verdict.kind === 'config_error') {
    if (config.dryRun) core.info(`Dry run: ${scrub(describePlan(plan))}`);
    return {
      taken: plan.taken,
      issueNumber: kept?.number ?? null,
      issueUrl: kept?.htmlUrl ?? null,
      dryRun: config.dryRun,
      notes: plan.notes ?? [],
    };
  }
  let applied: IssueOutcome | undefined;
  try {
    applied = await applyPlan(store, plan, kept, scrub);
  } finally {
    // Also after a failed write: the observation was made, and the next run should count it.
    await saveState(config, decision, followedAfter(decision, kept, applied));
  }
  return applied;
}

async function collectEvidence(config: Config, now: () => Date): Promise<Evidence> {
  const startedAt = now().toISOString();
  core.info(
    `Probing ${config.models.join(', ')} (${config.samples} request(s) each) and ${config.statusPageUrl}.`,
  );
  try {
    const [samples, statusPage] = await Promise.all([probeModels(config, now), readStatusPage(config)]);
    return { startedAt, samples, statusPage };
  } finally {
    await closeHttp();
  }
}

function createStore(config: RunConfig): IncidentStore | null {
  if (config.githubToken === '') return null;
  return createIncidentStore(
    createGitHubClient(config.githubToken, config.githubApiUrl),
    config.repository,
    config.labels[0]!,
  );
}

interface SavedRead {
  history: SavedHistory;
  /** The incident the file remembers as open, to explain its disappearance. */
  incident: number | null;
}

/** The state file, if configured. Never throws: a missing or corrupt file means an empty window. */
async function readSaved(config: RunConfig): Promise<SavedRead> {
  if (config.stateFile === null) return { history: { kind: 'off' }, incident: null };
  const read = await readStateFile(config.stateFile);
  switch (read.kind) {
    case 'missing':
      core.info(`No state file at ${config.stateFile} yet (a first run, or a cache miss).`);
      return { history: { kind: 'missing' }, incident: null };
    case 'unreadable':
      return { history: { kind: 'unreadable', problem: read.problem }, incident: null };
    case 'read':
      return { history: { kind: 'read', history: read.state.history }, incident: read.state.incident };
  }
}

interface IncidentsRead {
  /** Open incident issues, oldest first. */
  open: IncidentIssue[];
  recentlyClosed: IncidentIssue | null;
  warnings: string[];
}

/**
 * The open incident issues and, when none is open, the most recently closed one (a recurrence may
 * reopen it; people may have closed it mid-incident). When the state file remembers an open incident
 * that is no longer listed, it is looked up once to say what became of it.
 */
async function readIncidents(
  store: IncidentStore | null,
  verdict: Verdict,
  saved: SavedRead,
): Promise<IncidentsRead> {
  if (store === null) {
    core.info('Dry run without a github-token: the existing incident issue, if any, was not read.');
    return { open: [], recentlyClosed: null, warnings: [] };
  }
  const open = await store.findOpenIncidents();
  const recentlyClosed = needsRecentlyClosed(open, verdict, saved) ? await store.findRecentlyClosed() : null;
  const warnings: string[] = [];
  const remembered = saved.incident;
  if (
    remembered !== null &&
    !open.some((i) => i.number === remembered) &&
    recentlyClosed?.number !== remembered
  ) {
    const found = await store.lookup(remembered);
    if (found.kind === 'gone') {
      warnings.push(
        `${found.explanation} It was the incident issue followed by the last run: what it recorded is gone, ` +
          'and a new issue is opened while the API is unhealthy.',
      );
    } else if (found.issue.state === 'open') {
      warnings.push(
        `Issue #${remembered} was the incident issue followed by the last run but no longer carries the label or ` +
          'the hidden marker: ' +
          'it is no longer maintained.',
      );
    }
  }
  return { open, recentlyClosed, warnings };
}

/**
 * The issue the plan acts on: the open incident, or the closed one it reopens or keeps counting in
 * (people closed it mid-episode). Outputs, dry runs and the state file all name this issue.
 */
function subjectOf(plan: IncidentPlan, incidents: IncidentsRead): IncidentIssue | null {
  if (incidents.open[0] !== undefined) return incidents.open[0];
  const closed = incidents.recentlyClosed;
  return closed !== null && 'issueNumber' in plan && plan.issueNumber === closed.number ? closed : null;
}

/**
 * Whether this run needs our most recently closed incident: an unhealthy run may reopen it or respect
 * a close by people; a healthy run only to count the end of an episode people closed. With a state file
 * that is only when the last run followed an issue, so a quiet healthy run reads GitHub once.
 */
function needsRecentlyClosed(open: readonly IncidentIssue[], verdict: Verdict, saved: SavedRead): boolean {
  if (open.length > 0) return false;
  if (verdict.kind === 'unhealthy') return true;
  if (verdict.kind !== 'healthy') return false;
  return saved.history.kind !== 'read' || saved.incident !== null;
}

/**
 * The issue the next run should follow, for the state file: the open incident, or the issue people
 * closed while its episode goes on. Null once nothing is followed.
 */
function followedAfter(
  decision: LifecycleDecision,
  kept: IncidentIssue | null,
  outcome: IssueOutcome | undefined,
): number | null {
  const { plan } = decision;
  if (outcome === undefined) return kept?.number ?? null;
  switch (plan.action) {
    case 'close':
      return null;
    case 'open':
    case 'reopen':
      return outcome.issueNumber;
    case 'update':
      // A deleted or transferred issue leaves no number.
      return plan.episodeEnded ? null : outcome.issueNumber;
    case 'none':
      return kept?.number ?? null;
  }
}

/**
 * Saves the window for the next run. Not in a dry run (it writes nothing), and not after a run that was
 * no observation (the file keeps what it had). A failed write is a warning: the file is a memory aid,
 * the incident issue stays the source of truth.
 */
async function saveState(
  config: RunConfig,
  decision: LifecycleDecision,
  incident: number | null,
): Promise<void> {
  if (config.stateFile === null || config.dryRun || decision.history === null) return;
  try {
    const savedAt = new Date(decision.history.updatedAt);
    await writeStateFile(config.stateFile, savedStateOf(decision.history, incident, savedAt));
  } catch (error) {
    core.warning(`The state file ${config.stateFile} could not be written: ${(error as Error).message}`);
  }
}

function logVerdict(verdict: Verdict, scrub: (text: string) => string, title = 'Verdict'): void {
  const headline =
    verdict.kind === 'unhealthy'
      ? `${verdict.severity} ${verdict.diagnosis}`
      : verdict.kind.replace('_', ' ');
  core.info(`${title}: ${headline}`);
  for (const finding of verdict.findings)
    core.info(scrub(`  ${finding.severity} ${finding.diagnosis}: ${finding.reason}`));
  for (const note of verdict.notes) core.info(scrub(`  note: ${note}`));
}

async function writeSummary(markdown: string): Promise<void> {
  // Outside Actions (no GITHUB_STEP_SUMMARY) there is nowhere to write it; the log already has the verdict.
  if (!process.env.GITHUB_STEP_SUMMARY) return;
  await core.summary.addRaw(markdown, true).write();
}

/** Entry point used by dist/index.js: the one place that fails the run. */
export async function main(): Promise<void> {
  const pinned = process.env.RUNBOOK_NOW ? new Date(process.env.RUNBOOK_NOW) : null;
  try {
    await triage({
      read: (name) => core.getInput(name),
      env: process.env,
      now: () => (pinned && !Number.isNaN(pinned.getTime()) ? pinned : new Date()),
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const secrets = [
      core.getInput('anthropic-api-key'),
      core.getInput('github-token'),
      process.env.GITHUB_TOKEN ?? '',
    ];
    core.setFailed(
      redact(
        message,
        secrets.map((s) => s.trim()),
      ),
    );
  }
}
