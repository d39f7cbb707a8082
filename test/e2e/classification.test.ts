/**
 * Every row of docs/classification.md through the real binary: what the API or the status page does,
 * and the severity, diagnosis, issue and evidence a user gets. One simulator per row, run concurrently.
 */
import { describe, expect, it } from 'vitest';
import type { Behaviour, Scenario as PageScenario } from '../../sim/index.js';
import { issuesOnly, labelNames, section, underHeading, withScenario } from './harness.js';

interface Row {
  /** What happens, as a user would say it. */
  when: string;
  api?: Behaviour | Behaviour[];
  page?: PageScenario;
  inputs?: Record<string, string>;
  severity: 'P1' | 'P2' | 'P3' | 'P4';
  diagnosis: string;
  /** Runbook title the issue is named after. */
  title: string;
  /** Text the Evidence section must show (markdown escapes removed, see `plain`). */
  evidence: string[];
  /** Request ids the Request IDs section must list. */
  requestIds?: string[];
}

/** Text as a reader sees it rendered: markdown escapes and the zero-width spaces that defuse mentions removed. */
function plain(markdown: string): string {
  return markdown.replace(/\\([\\`*_[\]|!~#])/g, '$1').replace(/\u200B/g, '');
}

/** Twenty-four healthy answers and one 500: 4 %, under the default 5 % threshold. */
const ONE_IN_25: Behaviour[] = ['server-error', ...Array<Behaviour>(24).fill('healthy')];
/** One 500 and one 529 in fifty: two causes under the threshold. */
const TWO_IN_50: Behaviour[] = ['server-error', 'overloaded', ...Array<Behaviour>(48).fill('healthy')];

const ROWS: Row[] = [
  {
    when: 'every request answers 401',
    api: 'key-rejected',
    severity: 'P1',
    diagnosis: 'key_rejected',
    title: 'API key rejected (401/403)',
    evidence: ['3 of 3 requests failed: 401 authentication_error ×3', 'invalid x-api-key'],
  },
  {
    when: 'every request answers 403',
    api: 'permission',
    severity: 'P1',
    diagnosis: 'key_rejected',
    title: 'API key rejected (401/403)',
    evidence: ['403 permission_error ×3'],
  },
  {
    when: 'every request answers 402',
    api: 'billing',
    severity: 'P1',
    diagnosis: 'billing',
    title: 'Billing problem (402 or no credit)',
    evidence: ['402 billing_error ×3'],
  },
  {
    when: 'the model id is unknown (404)',
    api: 'model-not-found',
    severity: 'P1',
    diagnosis: 'model_unavailable',
    title: 'Model not found (404)',
    evidence: ['404 not_found_error ×3', 'model: claude-haiku-4-5'],
  },
  {
    when: 'every request is rate limited (429)',
    api: 'rate-limited',
    severity: 'P2',
    diagnosis: 'rate_limited',
    title: 'Rate limited (429)',
    evidence: ['3 of 3 requests failed: 429 rate_limit_error ×3 (exhausted: requests; retry-after 17 s)'],
  },
  {
    when: 'the monthly spend cap is reached (429 enforced_spend_limit_reached)',
    api: 'spend-cap',
    severity: 'P1',
    diagnosis: 'spend_limit',
    title: 'Spend limit reached',
    evidence: ['429 rate_limit_error (enforced_spend_limit_reached) ×3'],
  },
  {
    when: 'the self-set usage limit is reached (400)',
    api: 'spend-limit-400',
    severity: 'P1',
    diagnosis: 'spend_limit',
    title: 'Spend limit reached',
    evidence: ['400 invalid_request_error ×3', 'You have reached your specified API usage limits'],
  },
  {
    when: 'every request answers 500',
    api: 'server-error',
    severity: 'P1',
    diagnosis: 'server_error',
    title: 'API server errors (5xx)',
    evidence: ['500 api_error ×3'],
  },
  {
    when: 'every request answers 504',
    api: 'gateway-timeout',
    severity: 'P1',
    diagnosis: 'timeout',
    title: 'Requests timing out',
    evidence: ['504 timeout_error ×3'],
  },
  {
    when: 'every request answers 529 in the older shape without request_id in the body',
    api: 'older-shape',
    severity: 'P1',
    diagnosis: 'overloaded',
    title: 'API overloaded (529)',
    evidence: ['529 overloaded_error ×3'],
    // Taken from the request-id header when the body has none.
    requestIds: ['req_sim_000001', 'req_sim_000002', 'req_sim_000003'],
  },
  {
    when: 'a proxy answers 502 with an HTML page',
    api: 'proxy-html-502',
    severity: 'P1',
    diagnosis: 'server_error',
    title: 'API server errors (5xx)',
    evidence: ['502 ×3: non-JSON answer (text/html): 502 Bad Gateway'],
  },
  {
    when: 'the API never answers within request-timeout-ms',
    api: 'hang',
    inputs: { 'request-timeout-ms': '1000', 'latency-threshold-ms': '100' },
    severity: 'P1',
    diagnosis: 'timeout',
    title: 'Requests timing out',
    evidence: ['3 of 3 requests failed: no response headers within the timeout ×3'],
  },
  {
    when: 'the body does not finish within request-timeout-ms',
    api: { kind: 'slow-body', delayMs: 3_000 },
    inputs: { 'request-timeout-ms': '1000', 'latency-threshold-ms': '100' },
    severity: 'P1',
    diagnosis: 'timeout',
    title: 'Requests timing out',
    evidence: ['response body incomplete at the timeout ×3'],
  },
  {
    when: 'the connection breaks mid-body',
    api: 'reset-mid-body',
    severity: 'P1',
    diagnosis: 'server_error',
    title: 'API server errors (5xx)',
    evidence: ['connection lost mid-response ×3'],
  },
  {
    when: 'a 200 carries a body that is not JSON',
    api: 'bad-json',
    severity: 'P1',
    diagnosis: 'server_error',
    title: 'API server errors (5xx)',
    evidence: ['200 with a body that is not a Messages response ×3'],
  },
  {
    when: 'answers take longer than latency-threshold-ms',
    api: { kind: 'slow', delayMs: 60 },
    inputs: { 'latency-threshold-ms': '20', 'request-timeout-ms': '2000' },
    severity: 'P2',
    diagnosis: 'slow',
    title: 'Slow responses',
    evidence: ['over the 20 ms threshold (3 requests)'],
  },
  {
    when: 'one request in five answers 500 (20 %, at or above 5 %)',
    api: ['server-error', 'healthy', 'healthy', 'healthy', 'healthy'],
    inputs: { samples: '5' },
    severity: 'P2',
    diagnosis: 'server_error',
    title: 'API server errors (5xx)',
    evidence: ['1 of 5 requests failed (20%, at or above the 5% threshold): 500 api_error ×1'],
  },
  {
    when: 'one request in twenty-five answers 500 (4 %, under 5 %)',
    api: ONE_IN_25,
    inputs: { samples: '25', concurrency: '10' },
    severity: 'P3',
    diagnosis: 'server_error',
    title: 'API server errors (5xx)',
    evidence: ['1 of 25 requests failed (4%, under the 5% threshold): 500 api_error ×1'],
  },
  {
    when: 'a 500 and a 529 in fifty requests (two causes under 5 %)',
    api: TWO_IN_50,
    inputs: { samples: '50', concurrency: '10' },
    severity: 'P3',
    diagnosis: 'intermittent_errors',
    title: 'Intermittent errors',
    evidence: ['2 of 50 requests failed (4%, under the 5% threshold)'],
  },
  {
    when: 'answers are wrong',
    api: 'wrong-answer',
    severity: 'P4',
    diagnosis: 'degraded_quality',
    title: 'Wrong canary answers',
    evidence: ['3 of 3 answers did not match canary-expect', 'wrong canary answer ×3: 41'],
  },
  {
    when: 'the status page shows the API in major outage while the API answers',
    page: 'api-major-outage',
    severity: 'P1',
    diagnosis: 'upstream_incident',
    title: 'Anthropic status page incident',
    evidence: ['Status page: Claude API (api.anthropic.com) (k8w3r06qmzrp) is major_outage'],
  },
  {
    when: 'the status page shows the API in partial outage',
    page: 'api-partial-outage',
    severity: 'P2',
    diagnosis: 'upstream_incident',
    title: 'Anthropic status page incident',
    evidence: ['(k8w3r06qmzrp) is partial_outage'],
  },
  {
    when: 'the status page shows the API degraded',
    page: 'api-degraded',
    severity: 'P3',
    diagnosis: 'upstream_incident',
    title: 'Anthropic status page incident',
    evidence: ['(k8w3r06qmzrp) is degraded_performance'],
  },
  {
    when: 'the status page has an open incident naming no component',
    page: 'incident-without-components',
    severity: 'P3',
    diagnosis: 'upstream_incident',
    title: 'Anthropic status page incident',
    evidence: ['(impact none, naming no component)'],
  },
];

describe.concurrent('each classification row through the bundled action', () => {
  it.each(ROWS)('$severity $diagnosis when $when', async (row) => {
    await withScenario(async (scenario) => {
      if (row.api !== undefined) scenario.sim.anthropic.setBehaviour(row.api);
      if (row.page !== undefined) scenario.sim.statusPage.setScenario(row.page);

      const run = await scenario.run(row.inputs);

      expect(run.exitCode, run.stdout).toBe(0);
      expect(run.outputs).toMatchObject({
        severity: row.severity,
        diagnosis: row.diagnosis,
        'action-taken': 'opened',
      });
      const issues = issuesOnly(scenario);
      expect(issues).toHaveLength(1);
      const issue = issues[0]!;
      const models = row.api === undefined ? '' : ' on claude-haiku-4-5';
      expect(issue.title).toBe(`${row.severity} Claude API incident: ${row.title}${models}`);
      expect(labelNames(issue)).toEqual(['incident', `severity:${row.severity}`]);
      const evidence = plain(section(issue.body!, 'evidence'));
      for (const text of row.evidence) expect(evidence).toContain(text);
      for (const id of row.requestIds ?? [])
        expect(section(issue.body!, 'request-ids')).toContain(`- \`${id}\``);
      expect(section(issue.body!, 'mitigation')).toContain(`Runbook for **${row.title}**`);
      expect(run.summary).toContain(`## Claude API triage: ${row.severity}: ${row.title}`);
    });
  });

  it('stays healthy when the only status-page incident concerns the Console', async () => {
    await withScenario(async (scenario) => {
      scenario.sim.statusPage.setScenario('console-incident');
      const run = await scenario.run();

      expect(run.exitCode).toBe(0);
      expect(run.outputs).toMatchObject({ severity: 'none', diagnosis: 'healthy', 'action-taken': 'none' });
      expect(issuesOnly(scenario)).toHaveLength(0);
      // The incident is still shown, marked as not touching what is watched.
      expect(plain(run.summary)).toContain(
        '| Usage pages on platform.claude.com failing to load | monitoring | major | no |',
      );
    });
  });

  it('stays healthy with a note when the watched component reports an undocumented status', async () => {
    await withScenario(async (scenario) => {
      scenario.sim.statusPage.setScenario('unknown-enum');
      const run = await scenario.run();

      expect(run.outputs).toMatchObject({ severity: 'none', diagnosis: 'healthy' });
      expect(issuesOnly(scenario)).toHaveLength(0);
      expect(plain(run.summary)).toContain('reports an unknown status "limited_availability" (not counted)');
    });
  });

  it('still opens P1 overloaded when the status page challenges the runner, and says the page is unknown', async () => {
    await withScenario(async (scenario) => {
      scenario.sim.anthropic.setBehaviour('overloaded');
      scenario.sim.statusPage.setScenario('challenge-403');
      const run = await scenario.run();

      expect(run.outputs).toMatchObject({
        severity: 'P1',
        diagnosis: 'overloaded',
        'action-taken': 'opened',
      });
      expect(run.summary).toContain('Status page unknown: status page HTTP 403');
      const issue = issuesOnly(scenario)[0]!;
      expect(section(issue.body!, 'impact')).toContain('- Status page: unknown (status page HTTP 403)');
      expect(section(issue.body!, 'evidence')).toContain('Status page unknown: status page HTTP 403');
    });
  });

  it('gives each model its own verdict and names only the failing one in the title', async () => {
    await withScenario(async (scenario) => {
      scenario.sim.anthropic.setBehaviour('overloaded', 'claude-sonnet-4-5');
      const run = await scenario.run({ models: 'claude-haiku-4-5, claude-sonnet-4-5' });

      expect(run.outputs).toMatchObject({ severity: 'P1', diagnosis: 'overloaded' });
      const requested = scenario.sim.anthropic.requests.map((r) => r.model).sort();
      expect(requested).toEqual([
        ...Array(3).fill('claude-haiku-4-5'),
        ...Array(3).fill('claude-sonnet-4-5'),
      ]);
      const issue = issuesOnly(scenario)[0]!;
      expect(issue.title).toBe('P1 Claude API incident: API overloaded (529) on claude-sonnet-4-5');
      const evidence = section(issue.body!, 'evidence');
      expect(evidence).toContain('| claude-haiku-4-5 | healthy | 3 | 3 | 0 | 0% |');
      expect(evidence).toContain('| claude-sonnet-4-5 | P1 | 3 | 0 | 3 | 100% |');
      const impact = section(issue.body!, 'impact');
      expect(impact).toContain('- claude-haiku-4-5: healthy; 0 of 3 requests failed');
      expect(impact).toContain('- claude-sonnet-4-5: **P1**; 3 of 3 requests failed');
      expect(underHeading(issue.body!, '### Detection')).toContain(
        'Probe: 3 Messages API request(s) per model to claude-haiku-4-5, claude-sonnet-4-5',
      );
      expect(run.summary).toContain('| claude-haiku-4-5 | healthy |');
      expect(run.summary).toContain('| claude-sonnet-4-5 | P1 |');
    });
  });
});
