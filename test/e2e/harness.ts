/**
 * Runs the bundled action (dist/index.js) against the loopback simulator the way the Actions runner
 * starts it, on a replayed clock, and reads what users see: exit code, outputs, job summary, log and
 * the issues on the simulated GitHub. Every scenario gets its own simulator so scenarios can run
 * concurrently.
 */
import { runBundledAction, type ActionRun } from '../../sim/action-runner.js';
import { startSimulator, type CommentJson, type IssueJson, type Simulator } from '../../sim/index.js';

/** Shaped like a real key (prefix, 86 random characters, suffix) so that pattern-based redaction is exercised too. */
export const API_KEY =
  'sk-ant-api03-Zq8vN1xT4pLm7rKc2WfYh9GdBs3JeUo6AiQw0PzXnVt5MyRlHk1CgFjE8DbSa2uIo7TqWvNx-4Kp9LmRcYh3Gd_AA';

/** When the replayed outage starts; runs are RUN_INTERVAL_MS apart like a schedule every ten minutes. */
export const START = Date.parse('2026-12-03T09:00:00Z');
export const RUN_INTERVAL_MS = 10 * 60 * 1000;

/** Few samples keep every run fast; scenarios that need a rate use more. */
const DEFAULT_SAMPLES = '3';
/** First workflow run id of a scenario; each run gets the next one, so each run links to itself. */
const FIRST_RUN_ID = 5001;

export interface Scenario {
  sim: Simulator;
  /** Runs the action once, at START + n × RUN_INTERVAL_MS for the n-th run of this scenario. */
  run(inputs?: Record<string, string>): Promise<RunRecord>;
  /** Sets the replayed clock for the next run (the simulated GitHub stamps with it too). */
  at(iso: string): void;
  close(): Promise<void>;
}

export interface RunRecord extends ActionRun {
  /** ISO time the run was pinned to (RUNBOOK_NOW). */
  now: string;
  /** Link to this workflow run, as the action writes it. */
  runUrl: string;
  /** Requests the action sent to the simulated GitHub during this run. */
  githubRequests: Simulator['github']['requests'];
}

export async function startScenario(): Promise<Scenario> {
  let clock = START;
  let runs = 0;
  let pinned: number | null = null;
  const sim = await startSimulator({ now: () => new Date(clock) });
  const baseInputs = (): Record<string, string> => ({
    'anthropic-api-key': API_KEY,
    'github-token': sim.github.token,
    'github-api-url': sim.github.url,
    'anthropic-base-url': sim.anthropic.url,
    'status-page-url': sim.statusPage.url,
    samples: DEFAULT_SAMPLES,
  });
  return {
    sim,
    at(iso) {
      pinned = Date.parse(iso);
    },
    async run(inputs = {}) {
      clock = pinned ?? START + runs * RUN_INTERVAL_MS;
      pinned = null;
      runs += 1;
      const now = new Date(clock).toISOString();
      const runId = String(FIRST_RUN_ID + runs - 1);
      const repository = `${sim.github.owner}/${sim.github.repo}`;
      const before = sim.github.requests.length;
      const result = await runBundledAction({
        inputs: { ...baseInputs(), ...inputs },
        env: { RUNBOOK_NOW: now, GITHUB_RUN_ID: runId, GITHUB_REPOSITORY: repository },
      });
      return {
        ...result,
        now,
        runUrl: `https://github.com/${repository}/actions/runs/${runId}`,
        githubRequests: sim.github.requests.slice(before),
      };
    },
    close: () => sim.close(),
  };
}

/** Starts a scenario, hands it to `body`, and always closes the simulator. */
export async function withScenario<T>(body: (scenario: Scenario) => Promise<T>): Promise<T> {
  const scenario = await startScenario();
  try {
    return await body(scenario);
  } finally {
    await scenario.close();
  }
}

/** Issues on the simulated GitHub, pull requests left out. */
export function issuesOnly(scenario: Scenario): IssueJson[] {
  return scenario.sim.github.issues().filter((issue) => issue.pull_request === undefined);
}

export function labelNames(issue: IssueJson): string[] {
  return issue.labels.map((label) => label.name);
}

export function commentBodies(scenario: Scenario, issueNumber: number): string[] {
  return scenario.sim.github.comments(issueNumber).map((comment: CommentJson) => comment.body);
}

/** Requests that change something on GitHub. */
export function writes(requests: Scenario['sim']['github']['requests']): string[] {
  return requests.filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.path}`);
}

/**
 * The parts of an incident body that belong to people: everything outside the action's delimited
 * sections and its hidden memory comment, in order. Written independently of src/ on purpose: this is
 * the contract as a reader of the issue sees it.
 */
export function humanOwnedSlices(body: string): string[] {
  const machineOwned =
    /<!-- runbook:begin ([a-z-]+) -->[\s\S]*?<!-- runbook:end \1 -->|<!-- claude-incident-runbook:memory [\s\S]*? -->/g;
  return body.replace(machineOwned, '\u0000').split('\u0000');
}

/** The content of one machine section, markers and surrounding blank lines removed. */
export function section(body: string, name: string): string {
  const match = new RegExp(`<!-- runbook:begin ${name} -->([\\s\\S]*?)<!-- runbook:end ${name} -->`).exec(
    body,
  );
  if (!match?.[1]) throw new Error(`no ${name} section in the body`);
  return match[1].trim();
}

/** The text under a `### Heading` up to the next heading of any level. */
export function underHeading(body: string, heading: string): string {
  const lf = body.replace(/\r\n/g, '\n');
  const start = lf.indexOf(`\n${heading}\n`);
  if (start === -1) throw new Error(`no "${heading}" heading in the body`);
  const rest = lf.slice(start + heading.length + 2);
  const next = rest.search(/\n#{2,3} /);
  return (next === -1 ? rest : rest.slice(0, next)).trim();
}

/** Log lines of a run with the `::add-mask::` command removed: that line is how masking works. */
export function logWithoutMaskCommand(run: ActionRun): string {
  return `${run.stdout}\n${run.stderr}`
    .split('\n')
    .filter((line) => !line.startsWith('::add-mask::'))
    .join('\n');
}

/** The memory the action keeps in the issue body, parsed. */
export function memoryOf(body: string): Record<string, unknown> {
  const match = /<!-- claude-incident-runbook:memory (.*?) -->/s.exec(body);
  if (!match?.[1]) throw new Error('no memory comment in the body');
  return JSON.parse(match[1]) as Record<string, unknown>;
}

/** Request ids of failing answers the simulated API sent, in arrival order (its ids count up). */
export function simRequestIds(first: number, last: number): string[] {
  return Array.from({ length: last - first + 1 }, (_, i) => `req_sim_${String(first + i).padStart(6, '0')}`);
}
