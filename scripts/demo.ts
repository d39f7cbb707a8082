/**
 * `npm run demo`: a scripted outage replayed against the loopback simulator, with the bundled action
 * (dist/index.js) started the way the Actions runner starts it, every 10 minutes, with a state file
 * carrying the window between runs. No key and no network needed.
 *
 *   1. healthy                         -> no issue
 *   2. status page: API degraded (P3)  -> watching: 1 of 2 unhealthy runs needed to open
 *   3. every request answers 529       -> P1 overloaded, issue opened at once
 *      (an on-call engineer writes in the issue and ticks a checkbox)
 *   4. 529s give way to 500s           -> P1 server error: issue updated, one timeline comment
 *   5-6. healthy                       -> recovering (1 of 2 healthy runs), then closed
 *   7. 500s again, 10 minutes later    -> the same issue reopened, with a comment
 *   8-9. healthy                       -> closed again, with the whole episode in the record
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runBundledAction } from '../sim/action-runner.js';
import { startSimulator } from '../sim/index.js';

const RUN_INTERVAL_MS = 10 * 60 * 1000;
const START = Date.parse('2026-12-03T09:00:00Z');

const bold = (text: string) => (process.stdout.isTTY ? `\x1b[1m${text}\x1b[0m` : text);

async function main(): Promise<void> {
  // The simulated GitHub stamps comments and closes with the same replayed clock as the runs.
  let clock = START;
  const sim = await startSimulator({ now: () => new Date(clock) });
  // What actions/cache restores and saves between scheduled runs in the README's workflow.
  const stateDir = await mkdtemp(path.join(tmpdir(), 'runbook-demo-'));
  try {
    const inputs = {
      'anthropic-api-key': 'sk-ant-api03-demo-key-not-real',
      'github-token': sim.github.token,
      'github-api-url': sim.github.url,
      'anthropic-base-url': sim.anthropic.url,
      'status-page-url': sim.statusPage.url,
      'state-file': path.join(stateDir, 'claude-incident-runbook.json'),
    };
    let runNumber = 0;
    const run = async (title: string): Promise<void> => {
      runNumber++;
      clock = START + (runNumber - 1) * RUN_INTERVAL_MS;
      const now = new Date(clock).toISOString();
      const result = await runBundledAction({
        inputs,
        env: {
          RUNBOOK_NOW: now,
          GITHUB_RUN_ID: String(7000 + runNumber),
          GITHUB_REPOSITORY: `${sim.github.owner}/${sim.github.repo}`,
        },
      });
      const o = result.outputs;
      console.log(
        `${bold(`run ${runNumber}`)} ${now}  ${title.padEnd(34)} severity=${o.severity ?? '?'} diagnosis=${o.diagnosis ?? '?'} action=${o['action-taken'] ?? '?'}${o['issue-number'] ? ` issue=#${o['issue-number']}` : ''}  exit=${result.exitCode}`,
      );
      if (result.exitCode !== 0) {
        console.log(result.stdout, result.stderr);
        throw new Error(`run ${runNumber} failed`);
      }
    };

    console.log(
      bold('Scripted outage against the loopback simulator (Anthropic API, status page, GitHub issues)\n'),
    );
    sim.anthropic.setBehaviour('healthy');
    sim.statusPage.setScenario('operational');
    await run('healthy');

    sim.statusPage.setScenario('api-degraded');
    await run('status page: API degraded (P3)');

    sim.anthropic.setBehaviour('overloaded');
    sim.statusPage.setScenario('api-partial-outage');
    await run('API answers 529 overloaded');

    const [incident] = sim.github.issues().filter((issue) => issue.pull_request === undefined);
    if (!incident) throw new Error('the demo expected an incident issue to be open');
    // What an on-call engineer does between runs: it must survive every update byte for byte.
    const edited = incident
      .body!.replace('- [ ] ', '- [x] ')
      .replace(
        /(### Root Cause\r?\n)/,
        '$1Upstream capacity: Anthropic confirmed elevated 529s. (written by @oncall)\n',
      );
    sim.github.editBody(incident.number, edited);
    console.log('      (the on-call engineer writes a root cause and ticks an action item)');

    sim.anthropic.setBehaviour('server-error');
    await run('529s give way to 500 api_error');

    sim.anthropic.setBehaviour('healthy');
    sim.statusPage.setScenario('operational');
    for (let i = 0; i < 2; i++) await run('healthy again');

    sim.anthropic.setBehaviour('server-error');
    await run('500s again soon after the close');

    sim.anthropic.setBehaviour('healthy');
    for (let i = 0; i < 2; i++) await run('healthy again');

    const final = sim.github.issue(incident.number)!;
    console.log(
      `\n${bold(`Issue #${final.number}: ${final.title}`)}  [${final.state}] labels: ${final.labels.map((l) => (typeof l === 'string' ? l : l.name)).join(', ')}\n`,
    );
    console.log(final.body);
    for (const comment of sim.github.comments(incident.number)) {
      console.log(
        bold(`\n--- comment by ${comment.user?.login ?? 'github-actions[bot]'} at ${comment.created_at}`),
      );
      console.log(comment.body);
    }
    const kept = final.body!.includes(
      'Upstream capacity: Anthropic confirmed elevated 529s. (written by @oncall)',
    );
    console.log(`\n${bold('What people wrote survived every update:')} ${kept ? 'yes' : 'NO'}`);
    if (!kept || final.state !== 'closed') process.exitCode = 1;
  } finally {
    await sim.close();
    await rm(stateDir, { recursive: true, force: true });
  }
}

await main();
