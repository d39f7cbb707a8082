/**
 * Reading the Claude status page from the simulator over real loopback HTTP: every page state parsed
 * into the reading the classifier judges, and every fault read as "unknown", never as healthy.
 */
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  CLAUDE_COMPONENT_IDS,
  UNKNOWN_COMPONENT_STATUS,
  startStatusPageSim,
  type StatusPageSim,
} from '../../sim/statuspage.js';
import { refusedUrl } from '../../sim/anthropic.js';
import { closeHttp } from '../../src/probes/http.js';
import { parseSummary, readStatusPage, type StatusPageConfig } from '../../src/probes/status-page.js';

const API = CLAUDE_COMPONENT_IDS.api;
const CONSOLE = CLAUDE_COMPONENT_IDS.console;
/** The four components Anthropic tagged in the big incidents: claude.ai, API, Code, Cowork. */
const FOUR_PRODUCTS = [
  CLAUDE_COMPONENT_IDS.claudeAi,
  CLAUDE_COMPONENT_IDS.api,
  CLAUDE_COMPONENT_IDS.code,
  CLAUDE_COMPONENT_IDS.cowork,
];

let page: StatusPageSim;

beforeEach(async () => {
  page = await startStatusPageSim();
});
afterEach(async () => {
  await page.close();
});
afterAll(async () => {
  await closeHttp();
});

function config(overrides: Partial<StatusPageConfig> = {}): StatusPageConfig {
  return { statusPageUrl: page.url, statusComponents: [API], requestTimeoutMs: 2_000, ...overrides };
}

const API_COMPONENT = { id: API, name: 'Claude API (api.anthropic.com)' };

describe('readStatusPage on each page state', () => {
  it('reads the operational page: indicator none, the API operational, no incident', async () => {
    const reading = await readStatusPage(config());

    expect(reading).toEqual({
      url: page.url,
      ok: true,
      error: null,
      indicator: 'none',
      description: 'All Systems Operational',
      components: [{ ...API_COMPONENT, status: 'operational' }],
      missingComponentIds: [],
      incidents: [],
    });
    expect(page.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /api/v2/summary.json']);
    expect(page.requests[0]!.headers.accept).toBe('application/json');
  });

  it('reads a partial outage with its incident touching the API', async () => {
    page.setScenario('api-partial-outage');
    const reading = await readStatusPage(config());

    expect(reading).toMatchObject({
      ok: true,
      indicator: 'minor',
      components: [{ ...API_COMPONENT, status: 'partial_outage' }],
    });
    expect(reading.incidents).toHaveLength(1);
    expect(reading.incidents[0]).toMatchObject({
      id: '7g1qpkyz5gxh',
      status: 'investigating',
      impact: 'major',
      shortlink: 'https://stspg.io/90s4l9yywzbk',
      touchesWatched: true,
      latestUpdate: { status: 'investigating' },
    });
    expect([...reading.incidents[0]!.componentIds].sort()).toEqual([...FOUR_PRODUCTS].sort());
  });

  it('reads a major outage and picks the newest of its updates', async () => {
    page.setScenario('api-major-outage');
    const reading = await readStatusPage(config());

    expect(reading).toMatchObject({
      indicator: 'critical',
      components: [{ id: API, status: 'major_outage' }],
    });
    const [incident] = reading.incidents;
    expect(incident).toMatchObject({
      id: 'q2kg8n613kr3',
      status: 'identified',
      impact: 'critical',
      touchesWatched: true,
    });
    // Two updates: investigating at 19:49, identified at 20:33.
    expect(incident!.latestUpdate).toMatchObject({ status: 'identified', at: '2026-07-29T20:33:45.585Z' });
  });

  it('reads a degraded API', async () => {
    page.setScenario('api-degraded');
    const reading = await readStatusPage(config());

    expect(reading.components).toEqual([{ ...API_COMPONENT, status: 'degraded_performance' }]);
    expect(reading.incidents.map((i) => [i.id, i.impact, i.componentIds, i.touchesWatched])).toEqual([
      ['2pt83vlkk7x7', 'minor', [API], true],
    ]);
  });

  it('reads a Console-only incident as not touching the API, and as touching the Console when watched', async () => {
    page.setScenario('console-incident');
    const apiOnly = await readStatusPage(config());
    expect(apiOnly.components).toEqual([{ ...API_COMPONENT, status: 'operational' }]);
    expect(apiOnly.incidents.map((i) => [i.id, i.componentIds, i.touchesWatched])).toEqual([
      ['978mjkgw6mh7', [CONSOLE], false],
    ]);

    const withConsole = await readStatusPage(config({ statusComponents: [API, CONSOLE] }));
    expect(withConsole.components.map((c) => [c.id, c.status])).toEqual([
      [API, 'operational'],
      [CONSOLE, 'degraded_performance'],
    ]);
    expect(withConsole.incidents[0]!.touchesWatched).toBe(true);
  });

  it('reads an incident naming no component as touching what is watched', async () => {
    page.setScenario('incident-without-components');
    const reading = await readStatusPage(config());

    expect(reading.indicator).toBe('none');
    expect(reading.components).toEqual([{ ...API_COMPONENT, status: 'operational' }]);
    expect(reading.incidents.map((i) => [i.id, i.componentIds, i.touchesWatched])).toEqual([
      ['kmbpgrsszf72', [], true],
    ]);
  });

  it('keeps an undocumented component status verbatim', async () => {
    page.setScenario('unknown-enum');
    const reading = await readStatusPage(config());

    expect(reading.ok).toBe(true);
    expect(reading.components).toEqual([{ ...API_COMPONENT, status: UNKNOWN_COMPONENT_STATUS }]);
  });

  it('reports watched ids the page does not list, in the order they were asked for', async () => {
    const reading = await readStatusPage(config({ statusComponents: ['zzzz0000', API, 'aaaa1111'] }));

    expect(reading.components.map((c) => c.id)).toEqual([API]);
    expect(reading.missingComponentIds).toEqual(['zzzz0000', 'aaaa1111']);
  });

  it('finds the watched components of a 4 MB page listed after thousands of others', async () => {
    page.setScenario({ kind: 'huge', sizeBytes: 4 * 1024 * 1024 });
    const reading = await readStatusPage(config());

    expect(reading.ok).toBe(true);
    expect(reading.components).toEqual([{ ...API_COMPONENT, status: 'operational' }]);
  });

  it('follows the redirect of an old status-page address to the page', async () => {
    const target = await startStatusPageSim();
    try {
      target.setScenario('api-degraded');
      page.setPayload('', 301, { location: `${target.url}/api/v2/summary.json` });

      const reading = await readStatusPage(config());

      expect(reading).toMatchObject({ ok: true, components: [{ id: API, status: 'degraded_performance' }] });
      expect(target.requests.map((r) => r.path)).toEqual(['/api/v2/summary.json']);
    } finally {
      await target.close();
    }
  });
});

describe('readStatusPage on a page it cannot read', () => {
  it.each([
    { fault: 'challenge-403' as const, error: 'status page HTTP 403' },
    { fault: 'server-error' as const, error: 'status page HTTP 503' },
    { fault: 'invalid-json' as const, error: 'the summary is not valid JSON (a challenge or error page?)' },
    {
      fault: 'wrong-shape' as const,
      error: 'the summary has no components list (not a Statuspage v2 summary)',
    },
  ])('reads $fault as unknown: $error', async ({ fault, error }) => {
    page.setScenario(fault);
    const reading = await readStatusPage(config());

    expect(reading).toEqual({
      url: page.url,
      ok: false,
      error,
      indicator: null,
      description: null,
      components: [],
      missingComponentIds: [],
      incidents: [],
    });
  });

  it('reads a summary over 5 MB as unknown', async () => {
    page.setScenario({ kind: 'huge', sizeBytes: 6 * 1024 * 1024 });
    expect(await readStatusPage(config())).toMatchObject({
      ok: false,
      error: 'the summary is larger than 5 MB',
    });
  });

  it('reads a page that never answers as unknown within request-timeout-ms', async () => {
    page.setScenario('hang');
    const started = performance.now();

    const reading = await readStatusPage(config({ requestTimeoutMs: 150 }));

    expect(reading).toMatchObject({ ok: false, error: 'status page no answer in time' });
    expect(performance.now() - started).toBeLessThan(1_500);
  });

  it('reads a slow page that answers in time', async () => {
    page.setScenario({ kind: 'slow', delayMs: 50, then: 'api-degraded' });
    expect(await readStatusPage(config())).toMatchObject({
      ok: true,
      components: [{ status: 'degraded_performance' }],
    });
  });

  it('reads an unreachable page as unknown, naming the network error', async () => {
    const reading = await readStatusPage(config({ statusPageUrl: await refusedUrl() }));
    expect(reading).toMatchObject({ ok: false, error: 'status page could not be reached (ECONNREFUSED)' });
  });

  it('gives up on a redirect loop', async () => {
    page.setPayload('', 302, { location: '/api/v2/summary.json' });
    const reading = await readStatusPage(config());

    expect(reading).toMatchObject({ ok: false, error: 'more than 3 redirects' });
    expect(page.requests).toHaveLength(4);
  });
});

describe('parseSummary', () => {
  const watch = (ids: string[]): StatusPageConfig => ({
    statusPageUrl: 'https://status.claude.com',
    statusComponents: ids,
    requestTimeoutMs: 1_000,
  });

  it('collects component ids from the incident and from every update, and takes the newest update', () => {
    const body = JSON.stringify({
      status: { indicator: 'major', description: 'Partial System Outage' },
      components: [{ id: API, name: 'Claude API', status: 'partial_outage' }],
      incidents: [
        {
          id: 'inc1',
          name: 'Errors on one model',
          status: 'monitoring',
          impact: 'major',
          shortlink: 'https://stspg.io/abc',
          started_at: '2026-12-03T08:00:00Z',
          components: [{ id: CONSOLE }],
          incident_updates: [
            {
              status: 'identified',
              body: 'older',
              created_at: '2026-12-03T08:10:00Z',
              affected_components: null,
            },
            {
              status: 'monitoring',
              body: 'newer',
              created_at: '2026-12-03T08:40:00Z',
              affected_components: [{ code: API, old_status: 'major_outage', new_status: 'partial_outage' }],
            },
          ],
        },
        { name: 'an incident without an id is skipped' },
      ],
    });

    const reading = parseSummary(watch([API]), body);

    expect(reading.incidents).toEqual([
      {
        id: 'inc1',
        name: 'Errors on one model',
        status: 'monitoring',
        impact: 'major',
        shortlink: 'https://stspg.io/abc',
        startedAt: '2026-12-03T08:00:00Z',
        componentIds: [CONSOLE, API],
        touchesWatched: true,
        latestUpdate: { status: 'monitoring', body: 'newer', at: '2026-12-03T08:40:00Z' },
      },
    ]);
  });

  it('fills what a sparse incident leaves out instead of failing', () => {
    const reading = parseSummary(
      watch([API]),
      JSON.stringify({ components: [], incidents: [{ id: 'bare' }] }),
    );

    expect(reading).toMatchObject({
      ok: true,
      indicator: null,
      description: null,
      missingComponentIds: [API],
    });
    expect(reading.incidents).toEqual([
      {
        id: 'bare',
        name: '(unnamed incident)',
        status: 'unknown',
        impact: 'unknown',
        shortlink: null,
        startedAt: null,
        componentIds: [],
        touchesWatched: true,
        latestUpdate: null,
      },
    ]);
  });
});
