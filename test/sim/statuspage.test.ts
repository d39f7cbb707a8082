import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  CLAUDE_COMPONENT_IDS,
  UNKNOWN_COMPONENT_STATUS,
  startStatusPageSim,
  type StatusPageSim,
} from '../../sim/statuspage.js';

const ALL_IDS = Object.values(CLAUDE_COMPONENT_IDS);
const { api: API, console: CONSOLE } = CLAUDE_COMPONENT_IDS;
let sim: StatusPageSim;

beforeEach(async () => {
  sim = await startStatusPageSim();
});
afterEach(async () => {
  await sim.close();
});

interface Component {
  id: string;
  status: string;
}
interface Incident {
  id: string;
  impact: string;
  status: string;
  components: Component[];
  incident_updates: { affected_components: { code: string }[] | null }[];
}
interface Summary {
  status: { indicator: string };
  components: Component[];
  incidents: Incident[];
}

async function get(path = '/api/v2/summary.json', init: RequestInit = {}): Promise<Response> {
  return fetch(`${sim.url}${path}`, init);
}

async function summary(): Promise<Summary> {
  const response = await get();
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
  return (await response.json()) as Summary;
}

function statusOf(page: Summary, id: string): string | undefined {
  return page.components.find((c) => c.id === id)?.status;
}

/** Every component id an incident names, in its components and in every update. */
function namedIds(incident: Incident): string[] {
  const fromUpdates = incident.incident_updates.flatMap((u) =>
    (u.affected_components ?? []).map((a) => a.code),
  );
  return [...new Set([...incident.components.map((c) => c.id), ...fromUpdates])];
}

describe('the status page simulator shows the Claude page in known states', () => {
  it('operational lists the six Claude components, all operational, and no incident', async () => {
    const page = await summary();
    expect(page.status.indicator).toBe('none');
    expect(page.components.map((c) => c.id).sort()).toEqual([...ALL_IDS].sort());
    expect(new Set(page.components.map((c) => c.status))).toEqual(new Set(['operational']));
    expect(page.incidents).toEqual([]);
  });

  it('api-partial-outage reads minor on the indicator while its open incident is major', async () => {
    sim.setScenario('api-partial-outage');
    const page = await summary();
    expect(page.status.indicator).toBe('minor');
    expect(page.incidents).toHaveLength(1);
    expect(page.incidents[0]).toMatchObject({ id: '7g1qpkyz5gxh', impact: 'major', status: 'investigating' });
    expect(namedIds(page.incidents[0]!)).toContain(API);
    for (const id of ['rwppv331jlwc', API, 'yyzkbfz2thpt', 'bpp5gb3hpjcl'])
      expect(statusOf(page, id)).toBe('partial_outage');
    expect(statusOf(page, CONSOLE)).toBe('operational');
  });

  it('api-major-outage shows the API in major_outage under a critical incident', async () => {
    sim.setScenario('api-major-outage');
    const page = await summary();
    expect(page.status.indicator).toBe('critical');
    expect(statusOf(page, API)).toBe('major_outage');
    expect(page.incidents[0]?.impact).toBe('critical');
  });

  it('api-degraded shows only the API in degraded_performance under a minor incident', async () => {
    sim.setScenario('api-degraded');
    const page = await summary();
    expect(page.components.filter((c) => c.status !== 'operational').map((c) => c.id)).toEqual([API]);
    expect(statusOf(page, API)).toBe('degraded_performance');
    expect(page.incidents[0]?.impact).toBe('minor');
  });

  it('console-incident touches only the Console, never the API', async () => {
    sim.setScenario('console-incident');
    const page = await summary();
    expect(page.components.filter((c) => c.status !== 'operational').map((c) => c.id)).toEqual([CONSOLE]);
    expect(page.incidents).toHaveLength(1);
    expect(namedIds(page.incidents[0]!)).toEqual([CONSOLE]);
  });

  it('incident-without-components has an open incident naming no component while everything reads operational', async () => {
    sim.setScenario('incident-without-components');
    const page = await summary();
    expect(page.status.indicator).toBe('none');
    expect(new Set(page.components.map((c) => c.status))).toEqual(new Set(['operational']));
    expect(page.incidents).toHaveLength(1);
    expect(namedIds(page.incidents[0]!)).toEqual([]);
  });

  it('derives status.json, components.json and incidents/unresolved.json from the same state', async () => {
    sim.setScenario('api-partial-outage');
    const status = (await (await get('/api/v2/status.json')).json()) as Record<string, unknown>;
    expect(Object.keys(status)).toEqual(['page', 'status']);
    expect(status['status']).toEqual({ indicator: 'minor', description: 'Minor Service Outage' });
    const unresolved = (await (await get('/api/v2/incidents/unresolved.json')).json()) as {
      incidents: Incident[];
    };
    expect(unresolved.incidents.map((i) => i.id)).toEqual(['7g1qpkyz5gxh']);
    const components = (await (await get('/api/v2/components.json')).json()) as { components: Component[] };
    expect(components.components).toHaveLength(6);
  });

  it('answers an unknown path with 404', async () => {
    expect((await get('/api/v2/nothing.json')).status).toBe(404);
  });
});

describe('the status page simulator plays faults', () => {
  it('challenge-403 answers a 403 HTML challenge page', async () => {
    sim.setScenario('challenge-403');
    const response = await get();
    expect(response.status).toBe(403);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(response.headers.get('cf-mitigated')).toBe('challenge');
    expect(await response.text()).toContain('<title>Just a moment...</title>');
  });

  it('server-error answers an HTML 503, or 500 when asked', async () => {
    sim.setScenario('server-error');
    const unavailable = await get();
    expect(unavailable.status).toBe(503);
    expect(unavailable.headers.get('content-type')).toMatch(/^text\/html/);
    sim.setScenario({ kind: 'server-error', status: 500 });
    expect((await get()).status).toBe(500);
  });

  it('invalid-json answers 200 JSON that does not parse', async () => {
    sim.setScenario('invalid-json');
    const response = await get();
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(() => JSON.parse(text)).toThrow();
  });

  it('wrong-shape answers valid JSON without components or incidents', async () => {
    sim.setScenario('wrong-shape');
    const body = (await (await get()).json()) as Record<string, unknown>;
    expect(body['status']).toBeDefined();
    expect(body['components']).toBeUndefined();
    expect(body['incidents']).toBeUndefined();
  });

  it('unknown-enum gives the API a component status Statuspage does not document', async () => {
    sim.setScenario('unknown-enum');
    expect(statusOf(await summary(), API)).toBe(UNKNOWN_COMPONENT_STATUS);
  });

  it('huge answers several megabytes of valid JSON that still holds the real components', async () => {
    sim.setScenario({ kind: 'huge', sizeBytes: 3_000_000 });
    const text = await (await get()).text();
    expect(text.length).toBeGreaterThanOrEqual(3_000_000);
    const page = JSON.parse(text) as Summary;
    expect(statusOf(page, API)).toBe('operational');
  });

  it('slow answers after delayMs with the chosen state', async () => {
    sim.setScenario({ kind: 'slow', delayMs: 60, then: 'api-degraded' });
    const started = performance.now();
    const page = await summary();
    expect(performance.now() - started).toBeGreaterThanOrEqual(55);
    expect(statusOf(page, API)).toBe('degraded_performance');
  });

  it('hang never answers, and close() still returns', async () => {
    sim.setScenario('hang');
    await expect(get('/api/v2/summary.json', { signal: AbortSignal.timeout(50) })).rejects.toThrow();
  });

  it('setPayload serves any body, status and headers on every endpoint', async () => {
    sim.setPayload('{"page":{}}', 202, { 'x-extra': 'yes' });
    const response = await get('/api/v2/status.json');
    expect(response.status).toBe(202);
    expect(response.headers.get('x-extra')).toBe('yes');
    expect(await response.text()).toBe('{"page":{}}');
    sim.setPayload({ components: [] });
    expect(await (await get()).json()).toEqual({ components: [] });
  });

  it('records the requests it received', async () => {
    await get('/api/v2/summary.json', { headers: { 'user-agent': 'runbook-test' } });
    expect(sim.requests).toEqual([
      expect.objectContaining({
        method: 'GET',
        path: '/api/v2/summary.json',
        headers: expect.objectContaining({ 'user-agent': 'runbook-test' }),
      }),
    ]);
  });
});
