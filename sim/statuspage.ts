/**
 * A loopback stand-in for an Atlassian Statuspage (API v2, no auth) showing the Claude page in chosen
 * states: healthy, rebuilt real incidents, and the faults a monitor must read as "unknown".
 * Scenario payloads live in test/fixtures/statuspage (see test/fixtures/README.md).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isRecord, listenOnLoopback, plainHeaders, type LoopbackServer } from './loopback.js';
import { readFixtureJson } from './fixtures.js';

export type PageState =
  | 'operational'
  | 'api-partial-outage'
  | 'api-major-outage'
  | 'api-degraded'
  | 'console-incident'
  | 'incident-without-components';

export type PageFault =
  | 'challenge-403'
  | 'challenge-405'
  | 'missing-fields'
  | 'server-error'
  | 'invalid-json'
  | 'wrong-shape'
  | 'unknown-enum'
  | 'huge'
  | 'slow'
  | 'hang';

export type ScenarioKind = PageState | PageFault;

export interface ScenarioOptions {
  kind: ScenarioKind;
  /** `slow`: real ms before answering (tests use tens of ms). */
  delayMs?: number;
  /** `slow`: what to answer after the delay (default `operational`). */
  then?: Scenario;
  /** `server-error`: 500 or 503 (default 503). */
  status?: number;
  /** `huge`: approximate size of the JSON in bytes (default 4 MB). */
  sizeBytes?: number;
}

export type Scenario = ScenarioKind | ScenarioOptions;

export interface StatusPageRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
}

export interface StatusPageSim {
  /** Page base URL, e.g. http://127.0.0.1:43122 (GET {url}/api/v2/summary.json). */
  url: string;
  setScenario(scenario: Scenario): void;
  /** Serves exactly this payload on every endpoint (strings are sent verbatim). */
  setPayload(body: string | object, status?: number, headers?: Record<string, string>): void;
  requests: StatusPageRequest[];
  close(): Promise<void>;
}

/** Ids of the components on status.claude.com (FIELD-NOTES). */
export const CLAUDE_COMPONENT_IDS = {
  claudeAi: 'rwppv331jlwc',
  console: '0qbwn08sd68x',
  api: 'k8w3r06qmzrp',
  code: 'yyzkbfz2thpt',
  cowork: 'bpp5gb3hpjcl',
  government: '0scnb50nvy53',
} as const;

/** A component status value Statuspage does not document, to prove readers keep unknown values. */
export const UNKNOWN_COMPONENT_STATUS = 'limited_availability';

const DEFAULT_HUGE_BYTES = 4 * 1024 * 1024;

type Summary = Record<string, unknown> & {
  page: unknown;
  status: unknown;
  components: unknown[];
  incidents: unknown[];
};

const JSON_HEADERS = {
  'content-type': 'application/json; charset=utf-8',
  'cache-control': 'max-age=0, private, must-revalidate',
  'access-control-allow-origin': '*',
  vary: 'Accept,Accept-Encoding',
};

type Answer =
  | { type: 'summary'; summary: Summary }
  | { type: 'raw'; status: number; headers: Record<string, string>; body: string }
  | { type: 'slow'; delayMs: number; then: Answer }
  | { type: 'hang' };

export async function startStatusPageSim(): Promise<StatusPageSim> {
  const requests: StatusPageRequest[] = [];
  let current: Answer = answerFor('operational');
  let server: LoopbackServer | null = null;

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const path = req.url ?? '/';
    requests.push({ method: req.method ?? 'GET', path, headers: plainHeaders(req) });
    const endpoint = path.split('?')[0] ?? '';
    if (req.method !== 'GET' || !ENDPOINTS.has(endpoint)) {
      sendText(
        res,
        404,
        { 'content-type': 'text/html; charset=utf-8' },
        '<html><body><h1>Page not found</h1></body></html>\n',
      );
      return;
    }
    if (!server) throw new Error('simulator not started');
    serve(server, res, endpoint, current);
  };

  server = await listenOnLoopback(handle);
  const started = server;
  return {
    url: started.url,
    requests,
    setScenario(scenario) {
      current = answerFor(scenario);
    },
    setPayload(body, status = 200, headers = {}) {
      const text = typeof body === 'string' ? body : JSON.stringify(body);
      current = { type: 'raw', status, headers: { ...JSON_HEADERS, ...headers }, body: text };
    },
    close: () => started.close(),
  };
}

const ENDPOINTS = new Map<string, (summary: Summary) => unknown>([
  ['/api/v2/summary.json', (s) => s],
  ['/api/v2/status.json', (s) => ({ page: s.page, status: s.status })],
  ['/api/v2/components.json', (s) => ({ page: s.page, components: s.components })],
  ['/api/v2/incidents/unresolved.json', (s) => ({ page: s.page, incidents: s.incidents })],
]);

function serve(server: LoopbackServer, res: ServerResponse, endpoint: string, answer: Answer): void {
  switch (answer.type) {
    case 'summary': {
      const view = ENDPOINTS.get(endpoint) ?? ((s: Summary) => s);
      sendText(res, 200, JSON_HEADERS, JSON.stringify(view(answer.summary)));
      return;
    }
    case 'raw':
      sendText(res, answer.status, answer.headers, answer.body);
      return;
    case 'slow':
      server.later(answer.delayMs, () => serve(server, res, endpoint, answer.then));
      return;
    case 'hang':
      return;
  }
}

function answerFor(scenario: Scenario): Answer {
  const options: ScenarioOptions = typeof scenario === 'string' ? { kind: scenario } : scenario;
  switch (options.kind) {
    case 'operational':
    case 'api-partial-outage':
    case 'api-major-outage':
    case 'api-degraded':
    case 'console-incident':
    case 'incident-without-components':
      return { type: 'summary', summary: pageState(options.kind) };
    case 'unknown-enum':
      return { type: 'summary', summary: withUnknownApiStatus(pageState('operational')) };
    case 'huge':
      return { type: 'summary', summary: hugeSummary(options.sizeBytes ?? DEFAULT_HUGE_BYTES) };
    case 'wrong-shape': {
      const { page, status } = pageState('operational');
      return { type: 'summary', summary: { page, status } as Summary };
    }
    case 'invalid-json':
      return {
        type: 'raw',
        status: 200,
        headers: JSON_HEADERS,
        body: JSON.stringify(pageState('operational')).slice(0, 200),
      };
    case 'challenge-403':
      return { type: 'raw', status: 403, headers: CHALLENGE_HEADERS, body: CHALLENGE_PAGE };
    case 'challenge-405':
      // Some bot defences answer an API GET with 405 and the same interstitial page.
      return { type: 'raw', status: 405, headers: CHALLENGE_HEADERS, body: CHALLENGE_PAGE };
    case 'missing-fields':
      return { type: 'summary', summary: withoutOptionalFields(pageState('api-partial-outage')) };
    case 'server-error': {
      const status = options.status ?? 503;
      return {
        type: 'raw',
        status,
        headers: { 'content-type': 'text/html; charset=utf-8' },
        body: serverErrorPage(status),
      };
    }
    case 'slow':
      return { type: 'slow', delayMs: options.delayMs ?? 0, then: answerFor(options.then ?? 'operational') };
    case 'hang':
      return { type: 'hang' };
  }
}

/** A fresh copy each time, so a test that mutates what it read cannot leak into the next one. */
function pageState(state: PageState): Summary {
  return readFixtureJson<Summary>(`statuspage/${state}.json`);
}

function withUnknownApiStatus(summary: Summary): Summary {
  for (const component of summary.components) {
    if (isRecord(component) && component['id'] === CLAUDE_COMPONENT_IDS.api)
      component['status'] = UNKNOWN_COMPONENT_STATUS;
  }
  summary.status = { indicator: 'minor', description: 'Minor Service Outage' };
  return summary;
}

/**
 * A summary stripped to its bones: no page or status block, components without names or statuses, an
 * incident without name, status, impact, links, dates or component list, and updates without bodies.
 */
function withoutOptionalFields(summary: Summary): Summary {
  const strip = (value: unknown, keep: readonly string[]): unknown =>
    isRecord(value) ? Object.fromEntries(Object.entries(value).filter(([key]) => keep.includes(key))) : value;
  return {
    components: summary.components.map((component) => strip(component, ['id'])),
    incidents: summary.incidents.map((incident) => {
      const bare = strip(incident, ['id']) as Record<string, unknown>;
      const updates = isRecord(incident) ? incident['incident_updates'] : undefined;
      if (Array.isArray(updates)) bare['incident_updates'] = updates.map((u) => strip(u, ['status']));
      return bare;
    }),
  } as Summary;
}

/** A valid summary of about `sizeBytes`: many extra components, the six real ones last. */
function hugeSummary(sizeBytes: number): Summary {
  const summary = pageState('operational');
  const realComponents = summary.components;
  const template = realComponents[0] as Record<string, unknown>;
  const filler: unknown[] = [];
  let size = JSON.stringify(summary).length;
  for (let i = 0; size < sizeBytes; i += 1) {
    const component = {
      ...template,
      id: `filler${String(i).padStart(6, '0')}`,
      name: `Regional endpoint ${i}`,
      description: 'An extra component that only makes the page heavy. '.repeat(4),
      position: 100 + i,
      showcase: false,
    };
    size += JSON.stringify(component).length + 1;
    filler.push(component);
  }
  summary.components = [...filler, ...realComponents];
  return summary;
}

const CHALLENGE_HEADERS = {
  'content-type': 'text/html; charset=UTF-8',
  'cf-mitigated': 'challenge',
  'cache-control': 'private, max-age=0, no-store, no-cache, must-revalidate',
  server: 'cloudflare',
};

const CHALLENGE_PAGE =
  '<!DOCTYPE html><html lang="en-US"><head><title>Just a moment...</title></head>' +
  '<body><noscript>Enable JavaScript and cookies to continue</noscript>' +
  '<div id="challenge">Checking that the connection is secure before continuing.</div></body></html>\n';

function serverErrorPage(status: number): string {
  const title = status === 500 ? 'Internal Server Error' : 'Service Unavailable';
  return `<!DOCTYPE html><html><head><title>${status} ${title}</title></head><body><h1>${title}</h1><p>Please try again in a few minutes.</p></body></html>\n`;
}

function sendText(res: ServerResponse, status: number, headers: Record<string, string>, text: string): void {
  const bytes = Buffer.from(text, 'utf8');
  res.writeHead(status, { ...headers, 'content-length': String(bytes.length) });
  res.end(bytes);
}
