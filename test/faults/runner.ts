/**
 * Runs one fault of the catalogue: a fresh simulator, the fault injected, the bundled action started the
 * way the Actions runner starts it, and what users see compared with what the catalogue expects. Shared by
 * the test suite (test/faults/faults.test.ts) and `npm run faults`.
 */
import { runBundledAction, type ActionRun } from '../../sim/action-runner.js';
import { startSimulator, type CommentJson, type IssueJson, type Simulator } from '../../sim/index.js';
import { markdownProblems } from './markdown.js';

/** Shaped like a real key (prefix, random body, suffix) so that redaction by pattern is exercised too. */
export const API_KEY =
  'sk-ant-api03-F4uLtS8vQ2xN7pKr3WcYh6GdBm1JeTo9AiZw5PqXnVs0MyRlHk4CgFjE2DbUa8uIo3TqWvNx-7Kp1LmRcYh5Gd_AA';
/** Anything shaped like an Anthropic key, ours or another (an admin key pasted on a status page). */
const KEY_PATTERN = /sk-ant-[A-Za-z0-9_-]+/;

/** Replayed clock: the first run of a fault at START, the next ones RUN_INTERVAL_MS apart. */
const START = Date.parse('2026-12-03T09:00:00Z');
const RUN_INTERVAL_MS = 10 * 60 * 1000;
/** Few samples keep each run fast. */
const DEFAULT_SAMPLES = '3';

export type Side = 'anthropic' | 'status page' | 'github' | 'input' | 'secrets' | 'text';

/** The simulators of one fault, and a way to run the action against them. */
export interface World {
  sim: Simulator;
  /** One run of the bundled action; inputs override the defaults that point at the simulators. */
  run(inputs?: Record<string, string>): Promise<ActionRun>;
  /** Registers something to close when the fault is done (an extra server). */
  onClose(close: () => Promise<void>): void;
}

export interface Expectation {
  exitCode: 0 | 1;
  /** `severity/diagnosis` from the outputs; `—` when the run must stop before setting any; `any` for fuzzing. */
  verdict: string;
  /**
   * The run may stop before it has a verdict to report: a failed read of the incident issues comes before
   * the verdict is final (the window of past runs lives in the issue). When it does report one, it must be
   * `verdict`.
   */
  verdictMayBeMissing?: boolean;
  /** The `action-taken` output, when it matters. */
  actionTaken?: string;
  /** Issues on the simulated GitHub after the run (pull requests are never seeded here). */
  issues: number | 'at most 1';
  /** Comments on all issues after the run. */
  comments?: number;
  /** The run's `::error::` line contains each of these. */
  error?: readonly string[];
  /** Some `::warning::` line contains each of these. */
  warnings?: readonly string[];
  /** The job summary contains each of these. */
  summary?: readonly string[];
  /** The body of the (first) issue contains each of these. */
  body?: readonly string[];
  /** Nothing was sent to any simulator: the inputs were refused first. */
  noRequests?: boolean;
  /** Fragments of hostile outside text that must not be live (outside code) in any body or comment. */
  inert?: readonly string[];
  /** Further checks; each returns what went wrong. */
  check?: (observation: Observation) => string[];
}

export interface Fault {
  /** Short and stable: the first column of the table. */
  id: string;
  side: Side;
  /** A behaviour sentence: the fault, then what the action does about it. */
  description: string;
  /** Runs before the faulty one, e.g. to open the incident that the faulty run then updates. */
  before?: (world: World) => Promise<void>;
  /** Injects the fault; may return inputs for the faulty run (a URL made for this fault). */
  setup?: (world: World) => Promise<Record<string, string> | void> | Record<string, string> | void;
  /** Inputs of the faulty run. */
  inputs?: Record<string, string>;
  expect: Expectation;
}

export interface Observation {
  run: ActionRun;
  sim: Simulator;
  issues: IssueJson[];
  comments: CommentJson[];
  /** Requests each simulator received during the faulty run. */
  requests: { anthropic: number; statusPage: number; github: number };
  githubWrites: string[];
  errorLine: string | null;
  warningLines: string[];
}

export interface FaultResult {
  fault: Fault;
  expected: string;
  observed: string;
  handled: boolean;
  leakFree: boolean;
  /** What differed from the expectation. */
  problems: string[];
  /** Where a secret showed up. */
  leaks: string[];
  durationMs: number;
}

/**
 * `severity/diagnosis` from the outputs; from the log's `Verdict:` line when the run failed before setting
 * outputs (a failed GitHub write), marked "(log)"; `—` when the run never reached a verdict.
 */
function verdictOf(run: ActionRun): string {
  const { severity, diagnosis } = run.outputs;
  if (severity !== undefined) return `${severity}/${diagnosis ?? '?'}`;
  const logged = /^Verdict: (?:(P[1-4]) (\w+)|(\w[\w ]*))$/m.exec(run.stdout);
  if (logged === null) return '—';
  const verdict =
    logged[1] !== undefined ? `${logged[1]}/${logged[2]}` : `none/${logged[3]!.replace(' ', '_')}`;
  return `${verdict} (log)`;
}

/** The verdict without where it was read from. */
function verdictOnly(observed: string): string {
  return observed.replace(/ \(log\)$/, '');
}

function describeState(
  exitCode: number,
  verdict: string,
  issues: number | string,
  comments: number | null,
): string {
  const commentPart = comments === null ? '' : `, ${comments} comment${comments === 1 ? '' : 's'}`;
  const plural = typeof issues === 'number' && issues !== 1 ? 's' : '';
  return `exit ${exitCode} · ${verdict} · ${issues} issue${plural}${commentPart}`;
}

export function describeExpectation(expectation: Expectation): string {
  return describeState(
    expectation.exitCode,
    expectation.verdictMayBeMissing ? `${expectation.verdict} or —` : expectation.verdict,
    expectation.issues === 'at most 1' ? '≤ 1' : expectation.issues,
    expectation.comments ?? null,
  );
}

async function openWorld(): Promise<{ world: World; close: () => Promise<void> }> {
  let runs = 0;
  const closers: (() => Promise<void>)[] = [];
  const sim = await startSimulator({ now: () => new Date(START + Math.max(0, runs - 1) * RUN_INTERVAL_MS) });
  const repository = `${sim.github.owner}/${sim.github.repo}`;
  const world: World = {
    sim,
    onClose: (close) => closers.push(close),
    async run(inputs = {}) {
      runs += 1;
      return runBundledAction({
        compileCache: true,
        inputs: {
          'anthropic-api-key': API_KEY,
          'github-token': sim.github.token,
          'github-api-url': sim.github.url,
          'anthropic-base-url': sim.anthropic.url,
          'status-page-url': sim.statusPage.url,
          samples: DEFAULT_SAMPLES,
          ...inputs,
        },
        env: {
          RUNBOOK_NOW: new Date(START + (runs - 1) * RUN_INTERVAL_MS).toISOString(),
          GITHUB_RUN_ID: String(7000 + runs),
          GITHUB_REPOSITORY: repository,
        },
      });
    },
  };
  return {
    world,
    close: async () => {
      await Promise.all([sim.close(), ...closers.map((close) => close())]);
    },
  };
}

function observe(world: World, run: ActionRun, before: Observation['requests']): Observation {
  const { sim } = world;
  const issues = sim.github.issues();
  const githubRequests = sim.github.requests.slice(before.github);
  return {
    run,
    sim,
    issues,
    comments: issues.flatMap((issue) => sim.github.comments(issue.number)),
    requests: {
      anthropic: sim.anthropic.requests.length - before.anthropic,
      statusPage: sim.statusPage.requests.length - before.statusPage,
      github: githubRequests.length,
    },
    githubWrites: githubRequests.filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.path}`),
    errorLine: run.stdout.split('\n').find((line) => line.startsWith('::error::')) ?? null,
    warningLines: run.stdout.split('\n').filter((line) => line.startsWith('::warning::')),
  };
}

function unescapeCommand(line: string): string {
  return line.replace(/%0A/g, '\n').replace(/%0D/g, '\r').replace(/%25/g, '%');
}

/** Every difference between what was expected and what happened. */
function compare(expectation: Expectation, o: Observation): string[] {
  const problems: string[] = [];
  const { run } = o;
  if (run.exitCode !== expectation.exitCode)
    problems.push(`exit ${run.exitCode}, expected ${expectation.exitCode}`);
  const verdict = verdictOnly(verdictOf(run));
  if (expectation.verdict === 'any') {
    if (verdict === '—') problems.push('no verdict in the outputs');
  } else if (verdict !== expectation.verdict && !(verdict === '—' && expectation.verdictMayBeMissing)) {
    problems.push(`verdict ${verdict}, expected ${expectation.verdict}`);
  }
  if (expectation.actionTaken !== undefined && run.outputs['action-taken'] !== expectation.actionTaken)
    problems.push(`action-taken ${run.outputs['action-taken']}, expected ${expectation.actionTaken}`);
  const issuesOk =
    expectation.issues === 'at most 1' ? o.issues.length <= 1 : o.issues.length === expectation.issues;
  if (!issuesOk) problems.push(`${o.issues.length} issues, expected ${expectation.issues}`);
  if (expectation.comments !== undefined && o.comments.length !== expectation.comments)
    problems.push(`${o.comments.length} comments, expected ${expectation.comments}`);
  const error = o.errorLine === null ? null : unescapeCommand(o.errorLine);
  if (expectation.exitCode === 1 && error === null) problems.push('failed without an ::error:: line');
  if (expectation.exitCode === 0 && error !== null) problems.push(`unexpected error: ${error}`);
  for (const part of expectation.error ?? []) {
    if (!error?.includes(part))
      problems.push(`error line lacks ${JSON.stringify(part)}: ${error ?? '(none)'}`);
  }
  const warnings = o.warningLines.map(unescapeCommand);
  for (const part of expectation.warnings ?? []) {
    if (!warnings.some((line) => line.includes(part)))
      problems.push(`no warning with ${JSON.stringify(part)} (warnings: ${JSON.stringify(warnings)})`);
  }
  for (const part of expectation.summary ?? []) {
    if (!run.summary.includes(part)) problems.push(`summary lacks ${JSON.stringify(part)}`);
  }
  const firstBody = o.issues[0]?.body ?? '';
  for (const part of expectation.body ?? []) {
    if (!firstBody.includes(part)) problems.push(`issue body lacks ${JSON.stringify(part)}`);
  }
  if (expectation.noRequests) {
    const { anthropic, statusPage, github } = o.requests;
    if (anthropic + statusPage + github > 0)
      problems.push(`requests were sent (API ${anthropic}, status page ${statusPage}, GitHub ${github})`);
  }
  const posted = [
    ...o.issues.map((issue) => ({ what: `issue #${issue.number} body`, text: issue.body ?? '' })),
    ...o.comments.map((comment) => ({ what: `comment ${comment.id}`, text: comment.body })),
  ];
  for (const { what, text } of posted) {
    for (const problem of markdownProblems(text, expectation.inert ?? []))
      problems.push(`${what}: ${problem}`);
  }
  if (run.summary !== '') {
    for (const problem of markdownProblems(run.summary, expectation.inert ?? []))
      problems.push(`job summary: ${problem}`);
  }
  problems.push(...(expectation.check?.(o) ?? []));
  return problems;
}

/** Where the key, the token or anything shaped like a key shows up in what the run made visible. */
export function findLeaks(o: Observation, secrets: readonly string[]): string[] {
  const maskLines = o.run.stdout.split('\n').filter((line) => line.startsWith('::add-mask::'));
  const places: { where: string; text: string }[] = [
    {
      where: 'log',
      text: o.run.stdout
        .split('\n')
        .filter((line) => !line.startsWith('::add-mask::'))
        .join('\n'),
    },
    { where: 'stderr', text: o.run.stderr },
    { where: 'job summary', text: o.run.summary },
    ...Object.entries(o.run.outputs).map(([name, value]) => ({ where: `output ${name}`, text: value })),
    ...o.issues.flatMap((issue) => [
      { where: `issue #${issue.number} title`, text: issue.title },
      { where: `issue #${issue.number} body`, text: issue.body ?? '' },
    ]),
    ...o.comments.map((comment) => ({ where: `comment ${comment.id}`, text: comment.body })),
    ...o.sim.github.requests.map((request, index) => ({
      where: `GitHub request ${index + 1} (${request.method} ${request.path})`,
      text: JSON.stringify(request.body ?? ''),
    })),
  ];
  const leaks: string[] = [];
  for (const { where, text } of places) {
    if (secrets.some((secret) => secret !== '' && text.includes(secret)))
      leaks.push(`a secret in the ${where}`);
    else if (KEY_PATTERN.test(text)) leaks.push(`a key-shaped string in the ${where}`);
  }
  for (const line of maskLines) {
    if (line !== `::add-mask::${API_KEY}`) leaks.push(`an unexpected mask command: ${line.slice(0, 40)}…`);
  }
  return leaks;
}

export async function runFault(fault: Fault): Promise<FaultResult> {
  const started = performance.now();
  const { world, close } = await openWorld();
  try {
    await fault.before?.(world);
    const made = (await fault.setup?.(world)) ?? {};
    const { sim } = world;
    const before = {
      anthropic: sim.anthropic.requests.length,
      statusPage: sim.statusPage.requests.length,
      github: sim.github.requests.length,
    };
    const run = await world.run({ ...fault.inputs, ...made });
    const observation = observe(world, run, before);
    const problems = compare(fault.expect, observation);
    const leaks = findLeaks(observation, [API_KEY, sim.github.token]);
    return {
      fault,
      expected: describeExpectation(fault.expect),
      observed: describeState(
        run.exitCode,
        verdictOf(run),
        observation.issues.length,
        fault.expect.comments === undefined ? null : observation.comments.length,
      ),
      handled: problems.length === 0,
      leakFree: leaks.length === 0,
      problems,
      leaks,
      durationMs: performance.now() - started,
    };
  } finally {
    await close();
  }
}

/** Runs `faults` with at most `limit` at once; results in catalogue order. */
export async function runFaults(
  faults: readonly Fault[],
  limit: number,
  onResult?: (result: FaultResult) => void,
): Promise<FaultResult[]> {
  const results = new Array<FaultResult>(faults.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < faults.length) {
      const index = next++;
      const result = await runFault(faults[index]!);
      results[index] = result;
      onResult?.(result);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, faults.length) }, worker));
  return results;
}
