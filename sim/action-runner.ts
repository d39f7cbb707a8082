import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The bundle the runner executes: `runs.main` of action.yml. */
export const BUNDLE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'index.js');

export interface ActionRun {
  exitCode: number;
  stdout: string;
  stderr: string;
  /** Parsed from the GITHUB_OUTPUT file, as the runner reads it. */
  outputs: Record<string, string>;
  /** Contents of the GITHUB_STEP_SUMMARY file. */
  summary: string;
}

export interface ActionRunOptions {
  /** Inputs by their action.yml names; passed as INPUT_<NAME> with hyphens kept, as the runner does. */
  inputs: Record<string, string>;
  /** Extra environment (GITHUB_REPOSITORY, RUNBOOK_NOW...). */
  env?: Record<string, string>;
  /** Defaults to the Node binary running this process (Node 24 under npm scripts). */
  node?: string;
  /** Extra Node flags before the script (the benchmark uses --import to read peak memory). */
  nodeArgs?: string[];
  /** The bundle to start; defaults to $RUNBOOK_BUNDLE, else dist/index.js (to try out a build made elsewhere). */
  bundle?: string;
  /**
   * Keep V8's compiled code of the bundle between runs (NODE_COMPILE_CACHE), so that suites starting it a
   * hundred times spend their time on the runs, not on compiling 4 MB again. Off by default: the runner
   * starts the action cold, and start-up measurements must see that.
   */
  compileCache?: boolean;
}

/** Where runs share compiled code when `compileCache` is on. */
const COMPILE_CACHE_DIR = path.join(tmpdir(), 'claude-incident-runbook-compile-cache');

/** Parses the GITHUB_OUTPUT file format: `name<<DELIMITER\nvalue\nDELIMITER`, or `name=value`. */
export function parseOutputFile(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const [, name, delimiter] = heredoc;
      const value: string[] = [];
      for (i++; i < lines.length && lines[i] !== delimiter; i++) value.push(lines[i]!);
      outputs[name!] = value.join('\n');
    } else if (line.includes('=')) {
      outputs[line.slice(0, line.indexOf('='))] = line.slice(line.indexOf('=') + 1);
    }
  }
  return outputs;
}

/**
 * Runs dist/index.js as a child process the way the Actions runner starts a node24 action: inputs in
 * INPUT_* variables, file commands in GITHUB_OUTPUT and GITHUB_STEP_SUMMARY, context in GITHUB_* variables.
 */
export async function runBundledAction(options: ActionRunOptions): Promise<ActionRun> {
  const workdir = await mkdtemp(path.join(tmpdir(), 'runbook-run-'));
  const outputFile = path.join(workdir, 'output');
  const summaryFile = path.join(workdir, 'summary');
  await writeFile(outputFile, '');
  await writeFile(summaryFile, '');
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? workdir,
    GITHUB_ACTIONS: 'true',
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    GITHUB_REPOSITORY: 'octo-org/payments',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_RUN_ID: '1001',
    GITHUB_WORKFLOW: 'claude-incident',
    RUNNER_TEMP: workdir,
    // Retries and write spacing in milliseconds instead of seconds against the loopback simulator.
    RUNBOOK_GITHUB_TIME_SCALE: '1',
    ...(options.compileCache && { NODE_COMPILE_CACHE: COMPILE_CACHE_DIR }),
    ...options.env,
  };
  for (const [name, value] of Object.entries(options.inputs)) env[`INPUT_${name.toUpperCase()}`] = value;

  const bundle = options.bundle ?? (process.env.RUNBOOK_BUNDLE || BUNDLE);
  const child = spawn(options.node ?? process.execPath, [...(options.nodeArgs ?? []), bundle], {
    env,
    cwd: workdir,
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exitCode = await new Promise<number>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve(code ?? 1));
  });
  const run: ActionRun = {
    exitCode,
    stdout,
    stderr,
    outputs: parseOutputFile(await readFile(outputFile, 'utf8')),
    summary: await readFile(summaryFile, 'utf8'),
  };
  await rm(workdir, { recursive: true, force: true });
  return run;
}
