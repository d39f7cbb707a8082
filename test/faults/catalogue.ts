/**
 * Every fault the action must survive, with what it must do about each: the exit status, the verdict in
 * its outputs, the state it leaves on GitHub, and (for every entry) that the key shows up nowhere.
 * Run by test/faults/faults.test.ts and by `npm run faults`, which prints the table.
 */
import { readFixtureJson } from '../../sim/fixtures.js';
import { refusedUrl, secondaryRateLimit, stalledTlsServer, type Behaviour } from '../../sim/index.js';
import { mutatePayload, prng } from './mutate.js';
import { API_KEY, type Fault, type Observation, type World } from './runner.js';

/** Timeouts short enough for tests, with the latency threshold under them as inputs require. */
const FAST_TIMEOUTS = { 'request-timeout-ms': '1000', 'latency-threshold-ms': '100' };
/** A body the simulated API sends for longer than FAST_TIMEOUTS allows. */
const TOO_LONG_MS = 3_000;
const GITHUB_LIMIT = 65_536;

/** Hostile text copied from outside: every way it could ping, link, inject or break the layout. */
const HOSTILE_INCIDENT_NAME = '@acme/oncall see #4242 <img src=x onerror=alert(1)> ```` | x |';
const HOSTILE_UPDATE =
  '@channel we are on it, see acme/payments#77 and GH-31 and https://github.com/octo-org/payments/issues/9\n' +
  '```\n<script>alert(1)</script>\n| col | umn |\n<!-- runbook:end evidence -->\n';
/** Fragments of the hostile text that must never be live outside code in anything posted. */
const HOSTILE_FRAGMENTS = ['@acme', '@channel', '#4242', 'payments#77', 'GH-31', '<img', '<script'];

type Summary = { components: unknown[]; incidents: Record<string, unknown>[] } & Record<string, unknown>;

function pageWith(state: string, change: (summary: Summary) => void): Summary {
  const summary = readFixtureJson<Summary>(`statuspage/${state}.json`);
  change(summary);
  return summary;
}

/** A 500 `api_error` whose message is `message`: the error text travels into the issue. */
function apiErrorSaying(message: string): Behaviour {
  return { kind: 'server-error', message };
}

/** Opens the incident with an overloaded API, so that the faulty run updates it. */
async function openIncident(world: World): Promise<void> {
  world.sim.anthropic.setBehaviour('overloaded');
  const run = await world.run();
  if (run.exitCode !== 0 || world.sim.github.issues().length !== 1)
    throw new Error(`the run that opens the incident failed: ${run.stdout.slice(-500)}`);
}

function bodiesUnderLimit(o: Observation): string[] {
  return [...o.issues.map((i) => i.body ?? ''), ...o.comments.map((c) => c.body)]
    .filter((text) => text.length >= GITHUB_LIMIT)
    .map((text) => `a body of ${text.length} characters`);
}

function noWrites(o: Observation): string[] {
  return o.githubWrites.length === 0 ? [] : [`GitHub writes: ${o.githubWrites.join(', ')}`];
}

function requestsTo(path: RegExp, method: string, count: number) {
  return (o: Observation): string[] => {
    const matching = o.sim.github.requests.filter(
      (r) => r.method === method && path.test(r.path.split('?')[0]!),
    );
    return matching.length === count
      ? []
      : [`${matching.length} ${method} ${path} requests, expected ${count}`];
  };
}

function all(...checks: ((o: Observation) => string[])[]) {
  return (o: Observation): string[] => checks.flatMap((check) => check(o));
}

// ---------------------------------------------------------------------------------------------------
// The Anthropic side.

/** A fault where every canary request meets the same API behaviour. */
function api(
  id: string,
  description: string,
  behaviour: Behaviour,
  expect: Fault['expect'],
  inputs: Record<string, string> = {},
): Fault {
  return {
    id,
    side: 'anthropic',
    description,
    setup: (world) => world.sim.anthropic.setBehaviour(behaviour),
    inputs,
    expect,
  };
}

const opened = (verdict: string, more: Partial<Fault['expect']> = {}): Fault['expect'] => ({
  exitCode: 0,
  verdict,
  actionTaken: 'opened',
  issues: 1,
  comments: 0,
  ...more,
});

const inconclusive = (more: Partial<Fault['expect']> = {}): Fault['expect'] => ({
  exitCode: 0,
  verdict: 'none/inconclusive',
  actionTaken: 'none',
  issues: 0,
  warnings: ['Inconclusive: No request reached the API'],
  check: noWrites,
  ...more,
});

const configError = (error: string[], more: Partial<Fault['expect']> = {}): Fault['expect'] => ({
  exitCode: 1,
  verdict: 'none/config_error',
  actionTaken: 'none',
  issues: 0,
  error,
  check: noWrites,
  ...more,
});

const ANTHROPIC: Fault[] = [
  {
    id: 'api-refused',
    side: 'anthropic',
    description: 'a refused connection to the API is the runner’s network: inconclusive, a warning, no issue',
    setup: async () => ({ 'anthropic-base-url': await refusedUrl() }),
    expect: inconclusive({ warnings: ['ECONNREFUSED ×3'] }),
  },
  {
    id: 'api-dns',
    side: 'anthropic',
    description: 'a DNS failure for the API host is the runner’s network: inconclusive, no issue',
    // `.invalid` never resolves (RFC 6761); a runner without DNS at all fails the same way, or times out connecting.
    inputs: { 'anthropic-base-url': 'http://api.does-not-exist.invalid', ...FAST_TIMEOUTS },
    expect: inconclusive({
      check: all(noWrites, (o) =>
        o.warningLines.some((w) => /ENOTFOUND|EAI_AGAIN|CONNECT_TIMEOUT/.test(w))
          ? []
          : ['no DNS error code in the warning'],
      ),
    }),
  },
  {
    id: 'api-connect-stalls',
    side: 'anthropic',
    description:
      'a connection still being set up when the deadline passes is the network, not an API timeout',
    setup: async (world) => {
      const stalled = await stalledTlsServer();
      world.onClose(stalled.close);
      return { 'anthropic-base-url': stalled.url, ...FAST_TIMEOUTS };
    },
    expect: inconclusive({ warnings: ['CONNECT_TIMEOUT ×3'] }),
  },
  api(
    'api-reset-mid-body',
    'a connection reset in the middle of the body is a P1 server error',
    'reset-mid-body',
    opened('P1/server_error', { summary: ['connection lost mid-response ×3'] }),
  ),
  api(
    'api-timeout-before-headers',
    'no response headers before the deadline is a P1 timeout',
    'hang',
    opened('P1/timeout', { summary: ['no response headers within the timeout ×3'] }),
    FAST_TIMEOUTS,
  ),
  api(
    'api-timeout-after-headers',
    'a body still arriving at the deadline is a P1 timeout',
    { kind: 'slow-body', delayMs: 2 * TOO_LONG_MS },
    opened('P1/timeout', { summary: ['response body incomplete at the timeout ×3'] }),
    // Headers come at once; the deadline leaves a loaded runner ample time to see them before it passes.
    { 'request-timeout-ms': String(TOO_LONG_MS), 'latency-threshold-ms': '1000' },
  ),
  api(
    'api-slow-body',
    'a slow body that arrives in time is P2 slow, measured to the last byte',
    { kind: 'slow-body', delayMs: 150 },
    opened('P2/slow', { summary: ['over the 50 ms threshold'] }),
    { 'latency-threshold-ms': '50', 'request-timeout-ms': '3000' },
  ),
  api(
    'api-proxy-html-502',
    'a proxy’s HTML 502 page is a P1 server error, described by its title',
    'proxy-html-502',
    opened('P1/server_error', { summary: ['502 Bad Gateway'] }),
  ),
  api(
    'api-proxy-html-300kb',
    'a 300 KB HTML 503 page is a P1 server error and the issue stays under GitHub’s limit',
    { kind: 'proxy-html-502', status: 503, sizeBytes: 300 * 1024 },
    opened('P1/server_error', { summary: ['503 Service Unavailable'], check: bodiesUnderLimit }),
  ),
  api(
    'api-invalid-json',
    'a 200 whose body is cut JSON is a P1 server error, never a success',
    'bad-json',
    opened('P1/server_error'),
  ),
  api(
    'api-wrong-shape-200',
    'a 200 with JSON of another shape is a P1 server error, never a success',
    'wrong-shape',
    opened('P1/server_error'),
  ),
  api(
    'api-wrong-shape-error',
    'a 500 with JSON that is not the documented error shape is a P1 server error with the request id',
    'error-wrong-shape',
    opened('P1/server_error', { body: ['req_sim_000001'] }),
  ),
  api(
    'api-redirect',
    'a redirecting base URL is a configuration error: the run fails and nothing is followed',
    'redirect',
    configError(['redirecting to', 'set anthropic-base-url']),
  ),
  api(
    'api-400-invalid',
    'a 400 invalid_request_error is a configuration error naming the API’s message',
    'invalid-request',
    configError(['400 invalid_request_error', 'messages.0.content: Input should be a valid list']),
  ),
  api(
    'api-400-spend-limit',
    'a 400 saying the self-set usage limit is reached is P1 spend limit',
    'spend-limit-400',
    opened('P1/spend_limit'),
  ),
  api('api-401', 'a 401 authentication_error is P1 key rejected', 'key-rejected', opened('P1/key_rejected')),
  api('api-402', 'a 402 billing_error is P1 billing', 'billing', opened('P1/billing')),
  api('api-403', 'a 403 permission_error is P1 key rejected', 'permission', opened('P1/key_rejected')),
  api(
    'api-404-model',
    'a 404 naming the model is P1 model unavailable',
    'model-not-found',
    opened('P1/model_unavailable', { body: ['model: claude-haiku-4-5'] }),
  ),
  api(
    'api-404-path',
    'a 404 that names no model means the base URL is wrong: a configuration error, not an outage',
    {
      kind: 'raw',
      status: 404,
      body: { type: 'error', error: { type: 'not_found_error', message: 'Not Found' } },
    },
    configError(['anthropic-base-url answered 404', 'https://api.anthropic.com']),
  ),
  api(
    'api-409',
    'a 409 conflict_error on every request is a P1 server error',
    'conflict',
    opened('P1/server_error'),
  ),
  api(
    'api-413-cdn',
    'a 413 HTML page from the CDN is a P1 server error',
    'request-too-large',
    opened('P1/server_error', { summary: ['413'] }),
  ),
  api(
    'api-429-seconds',
    'a 429 with retry-after in seconds is P2 rate limited, showing the wait',
    'rate-limited',
    opened('P2/rate_limited', { summary: ['retry-after 17 s'] }),
  ),
  api(
    'api-429-date',
    'a 429 with retry-after as an HTTP date is P2 rate limited, the wait shown in seconds',
    'rate-limited-until',
    opened('P2/rate_limited', {
      summary: ['retry-after 17 s'],
      check: (o) => (/retry-after [A-Z][a-z]{2},/.test(o.run.summary) ? ['the raw HTTP date is shown'] : []),
    }),
  ),
  api(
    'api-429-spend-cap',
    'a 429 for the monthly spend cap is P1 spend limit',
    'spend-cap',
    opened('P1/spend_limit'),
  ),
  api('api-500', 'a 500 api_error is a P1 server error', 'server-error', opened('P1/server_error')),
  api('api-504', 'a 504 timeout_error is a P1 timeout', 'gateway-timeout', opened('P1/timeout')),
  api('api-529', 'a 529 overloaded_error is P1 overloaded', 'overloaded', opened('P1/overloaded')),
  api(
    'api-529-no-request-id',
    'a 529 body without request_id still gives the request id, from the header',
    'older-shape',
    opened('P1/overloaded', { body: ['req_sim_000001'] }),
  ),
];

// ---------------------------------------------------------------------------------------------------
// The status page. The API is healthy unless said otherwise, so the page alone decides.

function page(
  id: string,
  description: string,
  setup: NonNullable<Fault['setup']>,
  expect: Fault['expect'],
  inputs: Record<string, string> = {},
): Fault {
  return { id, side: 'status page', description, setup, inputs, expect };
}

const healthyButUnknownPage = (reason: string): Fault['expect'] => ({
  exitCode: 0,
  verdict: 'none/healthy',
  actionTaken: 'none',
  issues: 0,
  summary: [`Status page unknown: ${reason}`],
});

const STATUS_PAGE: Fault[] = [
  page(
    'page-503',
    'a 503 from the status page is "status page unknown", never an outage',
    (w) => w.sim.statusPage.setScenario('server-error'),
    healthyButUnknownPage('status page HTTP 503'),
  ),
  page(
    'page-403-challenge',
    'a 403 bot challenge during an API outage: P1 from the probes, the page shown as unknown',
    (w) => {
      w.sim.statusPage.setScenario('challenge-403');
      w.sim.anthropic.setBehaviour('overloaded');
    },
    opened('P1/overloaded', {
      summary: ['Status page unknown: status page HTTP 403'],
      body: ['unknown (status page HTTP 403)', 'req_sim_000001'],
    }),
  ),
  page(
    'page-405-challenge',
    'a 405 challenge page is "status page unknown"',
    (w) => w.sim.statusPage.setScenario('challenge-405'),
    healthyButUnknownPage('status page HTTP 405'),
  ),
  page(
    'page-invalid-json',
    'invalid JSON from the status page is "status page unknown"',
    (w) => w.sim.statusPage.setScenario('invalid-json'),
    healthyButUnknownPage('the summary is not valid JSON'),
  ),
  page(
    'page-wrong-shape',
    'a summary without a components list is "status page unknown"',
    (w) => w.sim.statusPage.setScenario('wrong-shape'),
    healthyButUnknownPage('the summary has no components list'),
  ),
  page(
    'page-unknown-enum',
    'an undocumented component status is noted and not counted',
    (w) => w.sim.statusPage.setScenario('unknown-enum'),
    {
      exitCode: 0,
      verdict: 'none/healthy',
      actionTaken: 'none',
      issues: 0,
      summary: ['reports an unknown status "limited\\_availability" (not counted)'],
    },
  ),
  page(
    'page-missing-fields',
    'an incident stripped of its name, status, impact and components still reads, as P3 naming no component',
    (w) => w.sim.statusPage.setScenario('missing-fields'),
    opened('P3/upstream_incident', { body: ['(unnamed incident)'] }),
  ),
  page(
    'page-huge-4mb',
    'a 4 MB summary listing the watched component last is read',
    (w) => w.sim.statusPage.setScenario({ kind: 'huge', sizeBytes: 4 * 1024 * 1024 }),
    {
      exitCode: 0,
      verdict: 'none/healthy',
      actionTaken: 'none',
      issues: 0,
      check: (o) => (o.run.summary.includes('Status page unknown') ? ['the page was not read'] : []),
    },
  ),
  page(
    'page-over-5mb',
    'a summary over 5 MB is "status page unknown"',
    (w) => w.sim.statusPage.setScenario({ kind: 'huge', sizeBytes: 6 * 1024 * 1024 }),
    healthyButUnknownPage('the summary is larger than 5 MB'),
  ),
  page(
    'page-slow',
    'a status page slower than the deadline is "status page unknown"; the probes still decide',
    (w) => w.sim.statusPage.setScenario({ kind: 'slow', delayMs: 2 * TOO_LONG_MS }),
    healthyButUnknownPage('status page no answer in time'),
    // The page's deadline is request-timeout-ms; the latency threshold stays far above a loaded runner's.
    { 'request-timeout-ms': String(TOO_LONG_MS), 'latency-threshold-ms': '1000' },
  ),
  page(
    'page-refused',
    'an unreachable status page during an API outage: P1 from the probes, the page unknown',
    async (w) => {
      w.sim.anthropic.setBehaviour('server-error');
      return { 'status-page-url': await refusedUrl() };
    },
    opened('P1/server_error', { summary: ['Status page unknown: status page could not be reached'] }),
  ),
];

// ---------------------------------------------------------------------------------------------------
// GitHub. The API is overloaded, so every run wants to open or update the incident.

const ISSUES = /\/repos\/[^/]+\/[^/]+\/issues$/;
const COMMENTS = /\/issues\/\d+\/comments$/;
const ISSUE = /\/issues\/\d+$/;

function github(
  id: string,
  description: string,
  setup: (world: World) => void,
  expect: Fault['expect'],
  extra: Partial<Fault> = {},
): Fault {
  return {
    id,
    side: 'github',
    description,
    setup: (world) => {
      world.sim.anthropic.setBehaviour('overloaded');
      setup(world);
    },
    expect,
    ...extra,
  };
}

const failedRun = (
  error: string[],
  issues: number,
  more: Partial<Fault['expect']> = {},
): Fault['expect'] => ({
  exitCode: 1,
  verdict: 'P1/overloaded',
  issues,
  error,
  ...more,
});

/** A run that fails reading the incident issues, which it does before its verdict is final. */
const failedRead = (error: string[], more: Partial<Fault['expect']> = {}): Fault['expect'] =>
  failedRun(error, 0, { verdictMayBeMissing: true, check: noWrites, ...more });

const GITHUB: Fault[] = [
  github(
    'gh-list-5xx-recovers',
    'two 502s on the issue list are retried within the budget and the run succeeds',
    (w) => w.sim.github.failNext({ method: 'GET', path: ISSUES, status: 502, times: 2 }),
    opened('P1/overloaded'),
  ),
  github(
    'gh-list-5xx-exhausted',
    'three 502s on the issue list exhaust the budget: the run fails and nothing is written',
    (w) => w.sim.github.failNext({ method: 'GET', path: ISSUES, status: 502, times: 3 }),
    failedRead(['listing open incident issues failed (HTTP 502)', 'next run will try again'], {
      check: all(noWrites, requestsTo(ISSUES, 'GET', 3)),
    }),
  ),
  github(
    'gh-create-5xx',
    'a 500 on create (not written) is followed by a look and one more create: one issue',
    (w) => w.sim.github.failNext({ method: 'POST', path: ISSUES, status: 500 }),
    opened('P1/overloaded', { check: requestsTo(ISSUES, 'POST', 2) }),
  ),
  github(
    'gh-create-answer-lost',
    'a create that succeeded although its 502 answer was lost leaves exactly one issue',
    (w) => w.sim.github.failNext({ method: 'POST', path: ISSUES, status: 502, applyWrite: true }),
    opened('P1/overloaded', { check: requestsTo(ISSUES, 'POST', 1) }),
  ),
  github(
    'gh-create-dropped',
    'a create whose connection dropped after the write leaves exactly one issue',
    (w) => w.sim.github.failNext({ method: 'POST', path: ISSUES, status: 'drop', applyWrite: true }),
    opened('P1/overloaded', { check: requestsTo(ISSUES, 'POST', 1) }),
  ),
  github(
    'gh-secondary-403',
    'a 403 secondary rate limit with retry-after 1 on create is waited out and retried',
    (w) => w.sim.github.failNext({ method: 'POST', path: ISSUES, ...secondaryRateLimit(1) }),
    opened('P1/overloaded', { check: requestsTo(ISSUES, 'POST', 2) }),
  ),
  github(
    'gh-secondary-429',
    'a 429 with retry-after 1 on the list is waited out and retried',
    (w) => w.sim.github.failNext({ method: 'GET', path: ISSUES, ...secondaryRateLimit(1, 429) }),
    opened('P1/overloaded'),
  ),
  github(
    'gh-rate-limit-too-long',
    'a secondary rate limit asking for 120 s is not waited for: the run fails saying why',
    (w) => w.sim.github.failNext({ method: 'POST', path: ISSUES, ...secondaryRateLimit(120), times: 3 }),
    failedRun(['HTTP 403', 'rate'], 0, { check: requestsTo(ISSUES, 'POST', 1) }),
  ),
  github(
    'gh-rate-limit-exhausted',
    'a secondary rate limit on every list call exhausts the budget: the run fails, nothing written',
    (w) => w.sim.github.failNext({ method: 'GET', path: ISSUES, ...secondaryRateLimit(1, 429), times: 5 }),
    failedRead(['HTTP 429', 'rate'], { check: all(noWrites, requestsTo(ISSUES, 'GET', 3)) }),
  ),
  github(
    'gh-no-permission',
    'a token without issues: write fails the run saying to add the permission',
    (w) => w.sim.github.setPermissions('read'),
    failedRun(['HTTP 403', 'permissions: issues: write'], 0),
  ),
  github(
    'gh-issues-disabled',
    'issues disabled in the repository (410) fail the run saying where to enable them',
    (w) => w.sim.github.setIssuesEnabled(false),
    failedRead(['HTTP 410', 'Issues']),
  ),
  github(
    'gh-repo-not-found',
    'a repository that does not exist (404) fails the run naming the input to check',
    () => undefined,
    failedRead(['HTTP 404', 'repository']),
    { inputs: { repository: 'octo-org/no-such-repo' } },
  ),
  github(
    'gh-bad-token',
    'a rejected token (401) fails the run naming github-token',
    () => undefined,
    failedRead(['HTTP 401', 'github-token']),
    { inputs: { 'github-token': 'ghs_revokedtoken000000000000000000000' } },
  ),
  github(
    'gh-unreachable',
    'an unreachable GitHub API fails the run naming github-api-url',
    () => undefined,
    failedRead(['github-api-url']),
    {
      setup: async (w) => {
        w.sim.anthropic.setBehaviour('overloaded');
        return { 'github-api-url': await refusedUrl() };
      },
    },
  ),
  github(
    'gh-422-too-long',
    'a 422 "body is too long" on create fails the run with GitHub’s reason, never green',
    (w) =>
      w.sim.github.failNext({
        method: 'POST',
        path: ISSUES,
        status: 422,
        body: {
          message: 'Validation Failed',
          errors: [
            {
              resource: 'Issue',
              code: 'custom',
              field: 'body',
              message: 'body is too long (maximum is 65536 characters)',
            },
          ],
          documentation_url: 'https://docs.github.com/rest/issues/issues#create-an-issue',
          status: '422',
        },
      }),
    failedRun(['HTTP 422', 'body is too long'], 0),
  ),
  {
    id: 'gh-comment-5xx',
    side: 'github',
    description: 'a comment that fails with 500 three times fails the run: a failed write is never green',
    before: openIncident,
    setup: (w) => {
      w.sim.anthropic.setBehaviour('server-error');
      w.sim.github.failNext({ method: 'POST', path: COMMENTS, status: 500, times: 3 });
    },
    expect: { exitCode: 1, verdict: 'P1/server_error', issues: 1, comments: 0, error: ['HTTP 500'] },
  },
  {
    id: 'gh-comment-answer-lost',
    side: 'github',
    description: 'a comment that was posted although its 502 answer was lost is not posted twice',
    before: openIncident,
    setup: (w) => {
      w.sim.anthropic.setBehaviour('server-error');
      w.sim.github.failNext({ method: 'POST', path: COMMENTS, status: 502, applyWrite: true });
    },
    expect: { exitCode: 0, verdict: 'P1/server_error', actionTaken: 'updated', issues: 1, comments: 1 },
  },
  {
    id: 'gh-update-answer-lost',
    side: 'github',
    description:
      'an issue update whose 502 answer was lost is retried (it is idempotent) and the run succeeds',
    before: openIncident,
    setup: (w) => {
      w.sim.anthropic.setBehaviour('server-error');
      w.sim.github.failNext({ method: 'PATCH', path: ISSUE, status: 502, applyWrite: true });
    },
    expect: {
      exitCode: 0,
      verdict: 'P1/server_error',
      actionTaken: 'updated',
      issues: 1,
      comments: 1,
      check: (o) =>
        o.issues[0]!.title.includes('server errors')
          ? []
          : [`the title was not updated: ${o.issues[0]!.title}`],
    },
  },
  {
    id: 'gh-close-fails',
    side: 'github',
    description: 'a close that fails with 500 three times fails the run and leaves the incident open',
    before: async (w) => {
      await openIncident(w);
      w.sim.anthropic.setBehaviour('healthy');
      await w.run();
    },
    setup: (w) => w.sim.github.failNext({ method: 'PATCH', path: ISSUE, status: 500, times: 3 }),
    expect: {
      exitCode: 1,
      verdict: 'none/healthy',
      issues: 1,
      error: ['HTTP 500'],
      check: (o) => (o.issues[0]!.state === 'open' ? [] : ['the issue is closed']),
    },
  },
];

// ---------------------------------------------------------------------------------------------------
// Inputs: refused before any request, naming the input, the value and what is accepted.

function badInput(
  input: string,
  inputs: Record<string, string>,
  value: string,
  accepted: string,
  description?: string,
): Fault {
  return {
    id: `input-${input}-${
      Object.values(inputs)[0]!
        .trim()
        .replace(/[^\w]+/g, '-')
        .slice(0, 20) || 'blank'
    }`,
    side: 'input',
    description:
      description ??
      `${input}: ${JSON.stringify(inputs[input])} is refused before any request, naming the input`,
    inputs,
    expect: {
      exitCode: 1,
      verdict: '—',
      issues: 0,
      noRequests: true,
      error: [`Input "${input}"`, value, accepted],
    },
  };
}

const INPUTS: Fault[] = [
  badInput('samples', { samples: '0' }, '"0"', 'from 1 to 50'),
  badInput('samples', { samples: '51' }, '"51"', 'from 1 to 50'),
  badInput('samples', { samples: 'five' }, '"five"', 'whole number'),
  badInput('concurrency', { concurrency: '0' }, '"0"', 'from 1 to 20'),
  badInput('recovery-runs', { 'recovery-runs': '-1' }, '"-1"', 'whole number'),
  badInput('error-rate-threshold', { 'error-rate-threshold': '1.5' }, '"1.5"', 'fraction'),
  badInput('latency-threshold-ms', { 'latency-threshold-ms': '0' }, '"0"', 'from 1 to'),
  badInput(
    'request-timeout-ms',
    { 'request-timeout-ms': '500', 'latency-threshold-ms': '800' },
    '"500"',
    'more than latency-threshold-ms (800)',
    'a request timeout shorter than the latency threshold is refused, naming both',
  ),
  badInput(
    'models',
    { models: ' , ' },
    '","',
    'only separators',
    'a model list of only separators is refused, not replaced by the default',
  ),
  badInput('models', { models: 'claude haiku' }, '"claude haiku"', 'model ids such as claude-haiku-4-5'),
  badInput(
    'anthropic-base-url',
    { 'anthropic-base-url': 'api.anthropic.com' },
    '"api.anthropic.com"',
    'absolute http(s) URL',
  ),
  badInput(
    'anthropic-base-url',
    { 'anthropic-base-url': 'https://api.anthropic.com/v1' },
    '"https://api.anthropic.com/v1"',
    'without /v1',
    'a base URL ending in /v1 is refused: the action appends /v1/messages itself',
  ),
  badInput(
    'status-page-url',
    { 'status-page-url': 'ftp://status.claude.com' },
    '"ftp://status.claude.com"',
    'http(s)',
  ),
  badInput(
    'status-page-url',
    { 'status-page-url': 'https://status.claude.com/api/v2/summary.json' },
    '/api/v2/summary.json"',
    'the page root',
    'a status-page URL pointing at summary.json is refused: the action appends it itself',
  ),
  badInput('github-api-url', { 'github-api-url': 'not a url' }, '"not a url"', 'absolute http(s) URL'),
  badInput('status-components', { 'status-components': 'Claude API' }, '"Claude API"', 'component ids'),
  badInput('canary-expect', { 'canary-expect': '(' }, '"("', 'regular expression'),
  badInput('dry-run', { 'dry-run': 'yes' }, '"yes"', 'true or false'),
  badInput('labels', { labels: ' , ' }, '","', 'only separators'),
  badInput('repository', { repository: 'not-a-repo' }, '"not-a-repo"', 'owner/name'),
  {
    id: 'input-anthropic-api-key-missing',
    side: 'input',
    description: 'a missing API key is refused before any request, saying how to pass it',
    inputs: { 'anthropic-api-key': '' },
    expect: {
      exitCode: 1,
      verdict: '—',
      issues: 0,
      noRequests: true,
      error: ['Input "anthropic-api-key" is required', 'secrets.ANTHROPIC_API_KEY'],
    },
  },
  {
    id: 'input-unknown-component',
    side: 'input',
    description: 'a status-components id the page does not list is a warning naming the input; the run works',
    inputs: { 'status-components': 'k8w3r06qmzrp, zzzz0000nope' },
    expect: {
      exitCode: 0,
      verdict: 'none/healthy',
      actionTaken: 'none',
      issues: 0,
      warnings: [
        'Input "status-components"',
        'zzzz0000nope',
        'k8w3r06qmzrp (Claude API (api.anthropic.com))',
      ],
    },
  },
];

// ---------------------------------------------------------------------------------------------------
// Secrets: the key never leaves the log's mask, however an upstream sends it back. (Every entry of the
// catalogue is checked for leaks; these are the ones that try hardest.)

const ADMIN_KEY_ON_PAGE = 'sk-ant-admin01-PastedByMistakeOnTheStatusPage0123456789abcdefABCDEF';

const SECRETS: Fault[] = [
  {
    id: 'key-echoed-in-error',
    side: 'secrets',
    description: 'the key echoed in a 500’s error message is redacted from the issue, log and summary',
    setup: (w) => w.sim.anthropic.setBehaviour('echo-key'),
    expect: opened('P1/server_error', { body: ['authorising key \\[REDACTED\\]'] }),
  },
  {
    id: 'key-echoed-in-headers',
    side: 'secrets',
    description: 'the key echoed in request-id, retry-after and rate-limit headers is redacted everywhere',
    setup: (w) =>
      w.sim.anthropic.setBehaviour({
        kind: 'raw',
        status: 429,
        headers: {
          'request-id': `req_${API_KEY}`,
          'retry-after': API_KEY,
          'anthropic-ratelimit-requests-remaining': API_KEY,
        },
        body: { type: 'error', error: { type: 'rate_limit_error', message: 'slow down' } },
      }),
    expect: opened('P2/rate_limited'),
  },
  {
    id: 'key-echoed-in-400',
    side: 'secrets',
    description: 'the key echoed in a 400 is redacted from the failed run’s error message',
    setup: (w) =>
      w.sim.anthropic.setBehaviour({ kind: 'invalid-request', message: `x-api-key ${API_KEY} is malformed` }),
    expect: configError(['[REDACTED] is malformed']),
  },
  {
    id: 'key-in-redirect',
    side: 'secrets',
    description: 'a redirect whose location carries the key is reported without it',
    setup: (w) =>
      w.sim.anthropic.setBehaviour({
        kind: 'redirect',
        location: `https://elsewhere.example/?key=${API_KEY}`,
      }),
    expect: configError(['redirecting to https://elsewhere.example/?key=[REDACTED]']),
  },
  {
    id: 'key-in-proxy-page',
    side: 'secrets',
    description: 'the key inside a proxy’s HTML page title is redacted',
    setup: (w) =>
      w.sim.anthropic.setBehaviour({
        kind: 'raw',
        status: 502,
        headers: { 'content-type': 'text/html' },
        body: `<html><head><title>Bad gateway for ${API_KEY}</title></head><body>oops</body></html>`,
      }),
    expect: opened('P1/server_error'),
  },
  {
    id: 'key-pattern-on-page',
    side: 'secrets',
    description: 'a different Anthropic key pasted in a status-page update is redacted by its pattern',
    setup: (w) =>
      w.sim.statusPage.setPayload(
        pageWith('api-degraded', (s) => {
          s.incidents[0]!['name'] = `Rotating ${ADMIN_KEY_ON_PAGE}`;
          const updates = s.incidents[0]!['incident_updates'] as Record<string, unknown>[];
          updates[0]!['body'] = `Use ${ADMIN_KEY_ON_PAGE} meanwhile`;
        }),
      ),
    expect: opened('P3/upstream_incident'),
  },
  {
    id: 'key-dry-run-preview',
    side: 'secrets',
    description: 'a dry run previewing an issue built from an echoed key shows it redacted',
    setup: (w) => w.sim.anthropic.setBehaviour('echo-key'),
    inputs: { 'dry-run': 'true' },
    expect: {
      exitCode: 0,
      verdict: 'P1/server_error',
      actionTaken: 'dry-run:opened',
      issues: 0,
      summary: ['authorising key \\[REDACTED\\]'],
    },
  },
];

// ---------------------------------------------------------------------------------------------------
// Text from outside, posted inert.

const TEXT: Fault[] = [
  {
    id: 'text-hostile-incident',
    side: 'text',
    description: 'a status-page incident named to ping, link, inject HTML and break fences is posted inert',
    setup: (w) =>
      w.sim.statusPage.setPayload(
        pageWith('api-partial-outage', (s) => {
          s.incidents[0]!['name'] = HOSTILE_INCIDENT_NAME;
          const updates = s.incidents[0]!['incident_updates'] as Record<string, unknown>[];
          updates[0]!['body'] = HOSTILE_UPDATE;
        }),
      ),
    expect: opened('P2/upstream_incident', { inert: HOSTILE_FRAGMENTS }),
  },
  {
    id: 'text-hostile-api-error',
    side: 'text',
    description:
      'an API error message with the key, @channel, references, HTML, fences and pipes is posted inert',
    setup: (w) =>
      w.sim.anthropic.setBehaviour(
        apiErrorSaying(
          `@channel ${API_KEY} #4242 <img src=x onerror=alert(1)> \`\`\`\n| a | b |\n${HOSTILE_UPDATE}`,
        ),
      ),
    expect: opened('P1/server_error', { inert: HOSTILE_FRAGMENTS }),
  },
  {
    id: 'text-hostile-comment',
    side: 'text',
    description: 'hostile API text in the comment of a diagnosis change is posted inert too',
    before: openIncident,
    setup: (w) =>
      w.sim.anthropic.setBehaviour(apiErrorSaying(`@channel see #4242 <img src=x onerror=alert(1)>`)),
    expect: {
      exitCode: 0,
      verdict: 'P1/server_error',
      actionTaken: 'updated',
      issues: 1,
      comments: 1,
      inert: HOSTILE_FRAGMENTS,
    },
  },
  {
    id: 'text-300kb-error',
    side: 'text',
    description: 'a 300 KB API error message is truncated and the issue stays under 65,536 characters',
    setup: (w) => w.sim.anthropic.setBehaviour(apiErrorSaying(`${'@x #1 <b>| '.repeat(30_000)}`)),
    expect: opened('P1/server_error', { check: bodiesUnderLimit }),
  },
  {
    id: 'text-many-huge-incidents',
    side: 'text',
    description: '200 unresolved incidents with 10 KB updates still fit one issue under the limit',
    setup: (w) =>
      w.sim.statusPage.setPayload(
        pageWith('api-partial-outage', (s) => {
          const template = s.incidents[0]!;
          s.incidents = Array.from({ length: 200 }, (_, i) => {
            const incident = structuredClone(template);
            incident['id'] = `fuzz${String(i).padStart(8, '0')}`;
            incident['name'] = `${HOSTILE_INCIDENT_NAME} ${i} ${'long name '.repeat(50)}`;
            const updates = incident['incident_updates'] as Record<string, unknown>[];
            updates[0]!['body'] = `${HOSTILE_UPDATE}${'x'.repeat(10_000)}`;
            return incident;
          });
        }),
      ),
    expect: opened('P2/upstream_incident', { inert: HOSTILE_FRAGMENTS, check: bodiesUnderLimit }),
  },
  {
    id: 'text-hostile-header',
    side: 'text',
    description: 'hostile text in a retry-after header is shown inert',
    setup: (w) =>
      w.sim.anthropic.setBehaviour({
        kind: 'raw',
        status: 429,
        headers: { 'retry-after': '@channel <img src=x onerror=alert(1)> #4242 ```' },
        body: { type: 'error', error: { type: 'rate_limit_error', message: 'Rate limited' } },
      }),
    expect: opened('P2/rate_limited', { inert: HOSTILE_FRAGMENTS }),
  },
];

// ---------------------------------------------------------------------------------------------------
// Fuzzing through the bundled action: mutated real payloads always end in a verdict, never a crash.

/** Seeds of the end-to-end fuzz runs; the unit fuzz tests try thousands more. */
const FUZZ_SEEDS = [11, 23, 37];

const REAL_SUMMARY = readFixtureJson<unknown>('real/statuspage-claude-summary-incident.json');
const REAL_MESSAGE = readFixtureJson<{ body: unknown }>('real/anthropic-messages-200-with-headers.json').body;

const FUZZ: Fault[] = FUZZ_SEEDS.flatMap((seed): Fault[] => [
  {
    id: `fuzz-page-${seed}`,
    side: 'status page',
    description: `a mutated real status page (seed ${seed}) ends in a verdict, not a crash`,
    setup: (w) => w.sim.statusPage.setPayload(mutatePayload(REAL_SUMMARY, prng(seed))),
    expect: { exitCode: 0, verdict: 'any', issues: 'at most 1' },
  },
  {
    id: `fuzz-api-${seed}`,
    side: 'anthropic',
    description: `a mutated real Messages answer (seed ${seed}) ends in a verdict, not a crash`,
    setup: (w) =>
      w.sim.anthropic.setBehaviour({
        kind: 'raw',
        status: 200,
        body: mutatePayload(REAL_MESSAGE, prng(seed)),
      }),
    expect: { exitCode: 0, verdict: 'any', issues: 'at most 1' },
  },
]);

export const CATALOGUE: readonly Fault[] = [
  ...ANTHROPIC,
  ...STATUS_PAGE,
  ...GITHUB,
  ...INPUTS,
  ...SECRETS,
  ...TEXT,
  ...FUZZ,
];
