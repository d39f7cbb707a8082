/**
 * `npm run bench`: what one run of the action costs, measured on the bundled dist/index.js against the
 * loopback simulator (so API latency is ~0 and what is left is the action's own cost).
 *
 * Targets (the product promise "costs almost nothing to run"), checked here and nowhere else:
 *   - bundle start to exit (config error path, no I/O):          median < 500 ms
 *   - a healthy default run (1 model x 5 samples + status page):  median < 1,500 ms, peak RSS < 120 MB
 *   - a heavy run (3 models x 50 samples, 300 KB HTML 502 pages):  peak RSS < 200 MB
 *   - GitHub calls: healthy with no incident = 1 read, 0 writes (with a state file; 2 reads without, to follow
 *     an incident people closed); a steady incident = 1 read, <= 1 write
 * Exits 1 when a target is missed.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runBundledAction, type ActionRun } from '../sim/action-runner.js';
import { startSimulator, type Simulator } from '../sim/index.js';

const REPEATS = 5;
/** Prints the process's peak resident set size (KB on Linux) on exit. */
const PEAK_RSS_HOOK = `data:text/javascript,process.on('exit',()=>process.stderr.write('PEAK_RSS_KB='+process.resourceUsage().maxRSS+'\\n'))`;

interface Measured {
  ms: number;
  rssMb: number;
  run: ActionRun;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function measure(sim: Simulator | null, inputs: Record<string, string>): Promise<Measured> {
  const started = performance.now();
  const run = await runBundledAction({
    inputs,
    nodeArgs: ['--import', PEAK_RSS_HOOK],
    env: sim ? { GITHUB_REPOSITORY: `${sim.github.owner}/${sim.github.repo}` } : {},
  });
  const ms = performance.now() - started;
  const kb = Number(/PEAK_RSS_KB=(\d+)/.exec(run.stderr)?.[1] ?? NaN);
  return { ms, rssMb: kb / 1024, run };
}

function githubCalls(sim: Simulator, from: number): { reads: number; writes: number } {
  const made = sim.github.requests.slice(from);
  return {
    reads: made.filter((r) => r.method === 'GET').length,
    writes: made.filter((r) => r.method !== 'GET').length,
  };
}

const rows: Array<[string, string, string, boolean]> = [];
function check(name: string, observed: string, target: string, ok: boolean): void {
  rows.push([name, observed, target, ok]);
}

async function main(): Promise<void> {
  // 1. Start-up: the config-error path exits before any I/O.
  const starts: number[] = [];
  for (let i = 0; i < REPEATS; i++) starts.push((await measure(null, {})).ms);
  check('bundle start to exit (median)', `${median(starts).toFixed(0)} ms`, '< 500 ms', median(starts) < 500);

  const sim = await startSimulator();
  const stateDir = await mkdtemp(path.join(tmpdir(), 'runbook-bench-'));
  try {
    const inputs = {
      // The recommended setup: the rolling window kept in a state file between runs.
      'state-file': path.join(stateDir, 'state.json'),
      'anthropic-api-key': 'sk-ant-api03-bench-key',
      'github-token': sim.github.token,
      'github-api-url': sim.github.url,
      'anthropic-base-url': sim.anthropic.url,
      'status-page-url': sim.statusPage.url,
    };

    // 2. A healthy default run.
    sim.anthropic.setBehaviour('healthy');
    sim.statusPage.setScenario('operational');
    const healthy: Measured[] = [];
    await measure(sim, inputs); // the first run creates the state file
    let mark = sim.github.requests.length;
    for (let i = 0; i < REPEATS; i++) healthy.push(await measure(sim, inputs));
    const calls = githubCalls(sim, mark);
    const healthyMs = median(healthy.map((m) => m.ms));
    const healthyRss = Math.max(...healthy.map((m) => m.rssMb));
    check('healthy run, 1 model x 5 (median)', `${healthyMs.toFixed(0)} ms`, '< 1,500 ms', healthyMs < 1_500);
    check('healthy run, peak RSS', `${healthyRss.toFixed(0)} MB`, '< 120 MB', healthyRss < 120);
    check(
      'healthy run, GitHub calls per run',
      `${calls.reads / REPEATS} read, ${calls.writes / REPEATS} write`,
      '1 read, 0 writes',
      calls.reads === REPEATS && calls.writes === 0,
    );

    // 3. A steady incident: open it, then measure the runs that only keep it current.
    sim.anthropic.setBehaviour('overloaded');
    await measure(sim, inputs);
    mark = sim.github.requests.length;
    for (let i = 0; i < REPEATS; i++) await measure(sim, inputs);
    const steady = githubCalls(sim, mark);
    check(
      'steady incident, GitHub calls per run',
      `${steady.reads / REPEATS} read, ${steady.writes / REPEATS} write`,
      '1 read, <= 1 write',
      steady.reads === REPEATS && steady.writes <= REPEATS,
    );

    // 4. Heavy: many samples of huge proxy error pages.
    sim.anthropic.setBehaviour({ kind: 'proxy-html-502', sizeBytes: 300 * 1024 });
    const heavy = await measure(sim, {
      ...inputs,
      models: 'claude-haiku-4-5, claude-sonnet-4-5, claude-opus-4-5',
      samples: '50',
      concurrency: '10',
      'dry-run': 'true',
    });
    check('heavy run, 150 x 300 KB HTML 502, wall', `${heavy.ms.toFixed(0)} ms`, '(reported)', true);
    check('heavy run, peak RSS', `${heavy.rssMb.toFixed(0)} MB`, '< 200 MB', heavy.rssMb < 200);
  } finally {
    await sim.close();
    await rm(stateDir, { recursive: true, force: true });
  }

  const width = [0, 1, 2].map((i) => Math.max(...rows.map((r) => String(r[i]).length), 8));
  console.log(
    `${'measure'.padEnd(width[0]!)}  ${'observed'.padEnd(width[1]!)}  ${'target'.padEnd(width[2]!)}  ok`,
  );
  for (const [name, observed, target, ok] of rows) {
    console.log(
      `${name.padEnd(width[0]!)}  ${observed.padEnd(width[1]!)}  ${target.padEnd(width[2]!)}  ${ok ? 'yes' : 'NO'}`,
    );
  }
  console.log(`Node ${process.version}, ${REPEATS} repeats; loopback simulator, so API latency is excluded.`);
  if (rows.some((r) => !r[3])) process.exitCode = 1;
}

await main();
