/**
 * Multi-run scenarios of the incident lifecycle: the bundled action (dist/index.js) started like the
 * Actions runner, run after run on a replayed schedule against the loopback simulator, with a state
 * file that persists between runs the way the README's cache steps persist it. People act between runs
 * through the simulator's helpers (editBody, closeIssue, lock, deleteIssue, transferIssue).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runBundledAction, type ActionRun } from '../../sim/action-runner.js';
import { startSimulator, type CommentJson, type IssueJson, type Simulator } from '../../sim/index.js';

/** Shaped like a real key, so that pattern-based redaction is exercised too. */
export const API_KEY =
  'sk-ant-api03-Lf7Qw2Zr9Xc4Vb8Nm1As5Dg3Hj6Kl0PoIu7Yt2Re4Wq9Ez1Xc5Vb8Nm3As6Dg0Hj2Kl4Pq7Zr1Xc9Vb-3Kp8LmRcYh2Gd_AA';
/** Minute 0 of every scenario; runs are given in minutes after it, like a schedule every 10 minutes. */
export const START = Date.parse('2026-12-03T09:00:00Z');
const FIRST_RUN_ID = 8001;
const MINUTE_MS = 60_000;

export function minute(m: number): string {
  return new Date(START + m * MINUTE_MS).toISOString();
}

/** The time as the issue writes it: `2026-12-03 09:10 UTC`. */
export function shown(m: number): string {
  return `${minute(m).slice(0, 16).replace('T', ' ')} UTC`;
}

export interface LifecycleRun extends ActionRun {
  at: string;
  runUrl: string;
}

export interface LifecycleScenario {
  sim: Simulator;
  /** The state file the runs share (the `state-file` input), unless a run overrides it. */
  stateFile: string;
  /** Runs the action once at minute `m`. */
  run(m: number, inputs?: Record<string, string>): Promise<LifecycleRun>;
  /** Runs the action several times at once, all at minute `m` (overlapping schedule and dispatch). */
  runTogether(m: number, count: number, inputs?: Record<string, string>): Promise<LifecycleRun[]>;
  /** Where the runs send GitHub requests: the simulator, or a proxy in front of it. */
  setGitHubUrl(url: string): void;
  issues(): IssueJson[];
  comments(issueNumber: number): string[];
  close(): Promise<void>;
}

export async function startLifecycle(defaults: Record<string, string> = {}): Promise<LifecycleScenario> {
  let clock = START;
  let runs = 0;
  const sim = await startSimulator({ now: () => new Date(clock) });
  const dir = await mkdtemp(path.join(tmpdir(), 'runbook-lifecycle-'));
  const stateFile = path.join(dir, 'state', 'runbook.json');
  let githubUrl = sim.github.url;
  const repository = `${sim.github.owner}/${sim.github.repo}`;

  const once = async (m: number, inputs: Record<string, string>): Promise<LifecycleRun> => {
    runs += 1;
    const runId = String(FIRST_RUN_ID + runs - 1);
    const at = minute(m);
    const result = await runBundledAction({
      inputs: {
        'anthropic-api-key': API_KEY,
        'github-token': sim.github.token,
        'github-api-url': githubUrl,
        'anthropic-base-url': sim.anthropic.url,
        'status-page-url': sim.statusPage.url,
        samples: '5',
        'state-file': stateFile,
        ...defaults,
        ...inputs,
      },
      env: { RUNBOOK_NOW: at, GITHUB_RUN_ID: runId, GITHUB_REPOSITORY: repository },
    });
    return { ...result, at, runUrl: `https://github.com/${repository}/actions/runs/${runId}` };
  };

  return {
    sim,
    stateFile,
    async run(m, inputs = {}) {
      clock = START + m * MINUTE_MS;
      const result = await once(m, inputs);
      if (result.exitCode !== 0)
        throw new Error(`run at minute ${m} failed:\n${result.stdout}\n${result.stderr}`);
      return result;
    },
    async runTogether(m, count, inputs = {}) {
      clock = START + m * MINUTE_MS;
      return Promise.all(Array.from({ length: count }, () => once(m, inputs)));
    },
    setGitHubUrl(url) {
      githubUrl = url;
    },
    issues: () => sim.github.issues().filter((issue) => issue.pull_request === undefined),
    comments: (n) => sim.github.comments(n).map((c: CommentJson) => c.body),
    async close() {
      await sim.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Starts a scenario, hands it to `body`, and always cleans up. */
export async function withLifecycle<T>(
  body: (scenario: LifecycleScenario) => Promise<T>,
  defaults: Record<string, string> = {},
): Promise<T> {
  const scenario = await startLifecycle(defaults);
  try {
    return await body(scenario);
  } finally {
    await scenario.close();
  }
}

export function labelNames(issue: IssueJson): string[] {
  return issue.labels.map((label) => label.name);
}

/** The memory the action keeps in the issue body, parsed. */
export function memoryOf(body: string | null): Record<string, unknown> {
  const match = /<!-- claude-incident-runbook:memory (.*?) -->/s.exec(body ?? '');
  if (!match?.[1]) throw new Error('no memory comment in the body');
  return JSON.parse(match[1]) as Record<string, unknown>;
}

/** The content of one machine section, markers and surrounding blank lines removed. */
export function section(body: string | null, name: string): string {
  const match = new RegExp(`<!-- runbook:begin ${name} -->([\\s\\S]*?)<!-- runbook:end ${name} -->`).exec(
    body ?? '',
  );
  if (!match?.[1]) throw new Error(`no ${name} section in the body`);
  return match[1].trim();
}

/**
 * The parts of a body that belong to people: everything outside the delimited sections and the hidden
 * memory, in order. Written independently of src/ on purpose: the contract as a reader sees it.
 */
export function peoplesParts(body: string | null): string[] {
  const machine =
    /<!-- runbook:begin ([a-z-]+) -->[\s\S]*?<!-- runbook:end \1 -->|<!-- claude-incident-runbook:memory [\s\S]*? -->/g;
  return (body ?? '').replace(machine, '\u0000').split('\u0000');
}

export interface GitHubProxy {
  url: string;
  close(): Promise<void>;
}

/**
 * A pass-through proxy in front of the simulated GitHub. `hold` may delay a request (to line up two runs
 * exactly) before it is forwarded; nothing is changed on the way.
 */
export async function startGitHubProxy(
  target: string,
  hold: (method: string, pathAndQuery: string) => Promise<void>,
): Promise<GitHubProxy> {
  const forward = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    await hold(req.method ?? 'GET', req.url ?? '/');
    const upstream = http.request(
      new URL(req.url ?? '/', target),
      { method: req.method, headers: { ...req.headers, host: new URL(target).host } },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    upstream.end(Buffer.concat(chunks));
  };
  const server = http.createServer((req, res) => void forward(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * Markdown as a reader sees it rendered: escapes and the zero-width spaces that keep `#1` and `@team`
 * from linking or pinging removed.
 */
export function rendered(markdown: string): string {
  return markdown.replace(/\u200b/g, '').replace(/\\([\\`*_{}[\]()#+\-.!|<>~])/g, '$1');
}

/**
 * A scenario is several runs of the bundle (a node process each, about half a second of CPU): on a
 * loaded two-core machine a ten-run scenario can take longer than the suite's 20 s default.
 */
export const SCENARIO_TIMEOUT_MS = 90_000;
