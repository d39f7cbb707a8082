import * as core from '@actions/core';
import { ConfigError, parseConfig, type InputReader } from './config/inputs.js';
import type { Config } from './config/types.js';
import type { Evidence } from './evidence.js';
import { applyPlan, describePlan } from './github/apply.js';
import { createGitHubClient } from './github/client.js';
import { createIncidentStore, type IncidentStore } from './github/incidents.js';
import { planIncident } from './incident/plan.js';
import type { IncidentIssue } from './incident/types.js';
import { closeHttp } from './probes/http.js';
import { probeModels } from './probes/messages.js';
import { readStatusPage } from './probes/status-page.js';
import { buildOutputs, type IssueOutcome, type RunOutputs } from './report/outputs.js';
import { renderSummary } from './report/summary.js';
import { redact } from './text/redact.js';
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

/** The runbook, in order. Each step is one call; deciding is pure, doing sits at the edges. */
export async function triage(context: RunContext): Promise<RunResult> {
  // 1. Inputs, all validated before any request. The key is masked first, before anything could log it.
  const rawKey = context.read('anthropic-api-key').trim();
  if (rawKey) core.setSecret(rawKey);
  const config = parseConfig(context.read, context.env);
  const scrub = (text: string): string => redact(text, [config.anthropicApiKey, config.githubToken]);

  // 2. Probes, concurrently: every model's canary requests and the status page.
  const evidence = await collectEvidence(config, context.now);

  // 3. Verdict (pure).
  const verdict = classify(evidence, config);
  logVerdict(verdict, scrub);

  // 4. The incident issue: read it, plan (pure), then write, unless this is a dry run.
  const store =
    config.githubToken === ''
      ? null
      : createIncidentStore(
          createGitHubClient(config.githubToken, config.githubApiUrl),
          config.repository,
          config.labels[0]!,
        );
  const existing = await findIncident(store);
  const plan = planIncident({ verdict, evidence, existing, config, now: context.now() });
  let outcome: IssueOutcome;
  if (config.dryRun || store === null || verdict.kind === 'config_error') {
    if (config.dryRun) core.info(`Dry run: ${scrub(describePlan(plan))}`);
    outcome = {
      taken: plan.taken,
      issueNumber: existing?.number ?? null,
      issueUrl: existing?.htmlUrl ?? null,
      dryRun: config.dryRun,
    };
  } else {
    outcome = await applyPlan(store, plan, existing, scrub);
  }

  // 5. Outputs and the job summary, every run.
  const outputs = buildOutputs(verdict, outcome);
  for (const [name, value] of Object.entries(outputs)) core.setOutput(name, scrub(value));
  await writeSummary(scrub(renderSummary({ verdict, evidence, plan, outcome, config })));

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

async function findIncident(store: IncidentStore | null): Promise<IncidentIssue | null> {
  if (store === null) {
    core.info('Dry run without a github-token: the existing incident issue, if any, was not read.');
    return null;
  }
  const open = await store.findOpenIncidents();
  if (open.length > 1) {
    core.warning(
      `Found ${open.length} open incident issues (${open.map((issue) => `#${issue.number}`).join(', ')}); maintaining the oldest, #${open[0]!.number}.`,
    );
  }
  return open[0] ?? null;
}

function logVerdict(verdict: Verdict, scrub: (text: string) => string): void {
  const headline =
    verdict.kind === 'unhealthy'
      ? `${verdict.severity} ${verdict.diagnosis}`
      : verdict.kind.replace('_', ' ');
  core.info(`Verdict: ${headline}`);
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
