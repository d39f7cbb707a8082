import type { Config } from '../config/types.js';
import type { StatusIncident, StatusPageReading, WatchedComponent } from '../evidence.js';
import * as core from '@actions/core';
import { singleLine } from '../text/inert.js';
import { httpRequest, type HttpResult } from './http.js';

/** The real summary is ~10 KB; anything past 5 MB is not a status page we should parse. */
const MAX_SUMMARY_BYTES = 5 * 1024 * 1024;
/** A status page that takes longer than this is "unknown", not a reason to hold up triage. */
const STATUS_PAGE_TIMEOUT_MS = 15_000;
/** status.anthropic.com answers with a redirect to status.claude.com; follow a few hops for GETs. */
const MAX_REDIRECTS = 3;

export type StatusPageConfig = Pick<Config, 'statusPageUrl' | 'statusComponents' | 'requestTimeoutMs'>;

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
/** Short upstream text (names, enum values, links) as one line: it appears in logs, titles and table cells. */
const text = (value: unknown): string | null => (typeof value === 'string' ? singleLine(value) : null);
/** Long upstream text (an update's body) keeps its line breaks; it is only ever shown inside a code block. */
const prose = (value: unknown): string | null => (typeof value === 'string' ? value : null);

function unknownReading(config: StatusPageConfig, error: string): StatusPageReading {
  return {
    url: config.statusPageUrl,
    ok: false,
    error,
    indicator: null,
    description: null,
    components: [],
    missingComponentIds: [],
    incidents: [],
  };
}

function parseIncident(raw: Json, watched: Set<string>): StatusIncident | null {
  const id = text(raw.id);
  if (!id) return null;
  const componentIds = new Set<string>();
  if (Array.isArray(raw.components)) {
    for (const component of raw.components)
      if (isObject(component) && text(component.id)) componentIds.add(component.id as string);
  }
  const updates = Array.isArray(raw.incident_updates) ? raw.incident_updates.filter(isObject) : [];
  for (const update of updates) {
    if (!Array.isArray(update.affected_components)) continue;
    for (const affected of update.affected_components) {
      if (isObject(affected) && text(affected.code)) componentIds.add(affected.code as string);
    }
  }
  // Updates are newest first on Statuspage, but sort anyway: the feed is not strictly ordered.
  const latest = [...updates].sort((a, b) =>
    String(b.created_at ?? '').localeCompare(String(a.created_at ?? '')),
  )[0];
  const ids = [...componentIds];
  return {
    id,
    name: text(raw.name) ?? '(unnamed incident)',
    status: text(raw.status) ?? 'unknown',
    impact: text(raw.impact) ?? 'unknown',
    shortlink: text(raw.shortlink),
    startedAt: text(raw.started_at) ?? text(raw.created_at),
    componentIds: ids,
    // Anthropic sometimes opens incidents that name no component: they may concern anyone.
    touchesWatched: ids.length === 0 || ids.some((componentId) => watched.has(componentId)),
    latestUpdate: latest
      ? {
          status: text(latest.status) ?? 'unknown',
          body: prose(latest.body) ?? '',
          at: text(latest.created_at),
        }
      : null,
  };
}

/** A component the page lists, watched or not: what a user can pick for `status-components`. */
export interface ListedComponent {
  id: string;
  name: string;
}

interface ParsedSummary {
  reading: StatusPageReading;
  /** Every component the page lists (group rows included), in page order. */
  listed: ListedComponent[];
}

function parseSummaryDetailed(config: StatusPageConfig, body: string): ParsedSummary {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return {
      reading: unknownReading(config, 'the summary is not valid JSON (a challenge or error page?)'),
      listed: [],
    };
  }
  if (!isObject(json) || !Array.isArray(json.components)) {
    return {
      reading: unknownReading(config, 'the summary has no components list (not a Statuspage v2 summary)'),
      listed: [],
    };
  }
  const watched = new Set(config.statusComponents);
  const byId = new Map<string, WatchedComponent>();
  const listed: ListedComponent[] = [];
  for (const raw of json.components) {
    if (!isObject(raw)) continue;
    const id = text(raw.id);
    if (!id) continue;
    const name = text(raw.name) ?? id;
    listed.push({ id, name });
    if (watched.has(id)) byId.set(id, { id, name, status: text(raw.status) ?? 'unknown' });
  }
  const status = isObject(json.status) ? json.status : {};
  const incidents = Array.isArray(json.incidents) ? json.incidents.filter(isObject) : [];
  const reading: StatusPageReading = {
    url: config.statusPageUrl,
    ok: true,
    error: null,
    indicator: text(status.indicator),
    description: text(status.description),
    components: config.statusComponents.flatMap((id) => byId.get(id) ?? []),
    missingComponentIds: config.statusComponents.filter((id) => !byId.has(id)),
    incidents: incidents
      .map((incident) => parseIncident(incident, watched))
      .filter((incident): incident is StatusIncident => incident !== null),
  };
  return { reading, listed };
}

/** Parses a summary.json body. Pure; tolerant of unknown enum values and missing optional fields. */
export function parseSummary(config: StatusPageConfig, body: string): StatusPageReading {
  return parseSummaryDetailed(config, body).reading;
}

/** How many of the page's components the warning lists as examples. */
const LISTED_EXAMPLES = 8;

/**
 * The warning for watched ids the page does not list, naming the input, the ids and what the page does
 * list. Null when every id was found. Pure.
 */
export function missingComponentsWarning(
  reading: StatusPageReading,
  listed: readonly ListedComponent[],
): string | null {
  if (!reading.ok || reading.missingComponentIds.length === 0) return null;
  const examples = listed
    .slice(0, LISTED_EXAMPLES)
    .map((component) => `${component.id} (${component.name.slice(0, 60)})`);
  const more = listed.length > LISTED_EXAMPLES ? `, and ${listed.length - LISTED_EXAMPLES} more` : '';
  const choice =
    listed.length === 0 ? 'the page lists no components' : `the page lists ${examples.join(', ')}${more}`;
  return (
    `Input "status-components" has ids that ${reading.url} does not list: ${reading.missingComponentIds.join(', ')}. ` +
    `They are not watched; ${choice}. Accepted: component ids from ${reading.url}/api/v2/components.json.`
  );
}

function describeFailure(result: HttpResult): string {
  if (result.kind === 'failure') {
    return result.timedOut ? 'no answer in time' : `could not be reached (${result.code})`;
  }
  return `HTTP ${result.status}`;
}

/** Reads `/api/v2/summary.json`. Never throws: an unreadable page is a reading with ok=false. */
export async function readStatusPage(config: StatusPageConfig): Promise<StatusPageReading> {
  let url = `${config.statusPageUrl}/api/v2/summary.json`;
  const timeoutMs = Math.min(config.requestTimeoutMs, STATUS_PAGE_TIMEOUT_MS);
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    const result = await httpRequest({
      url,
      method: 'GET',
      headers: { accept: 'application/json', 'user-agent': 'claude-incident-runbook-action' },
      timeoutMs,
      maxBodyBytes: MAX_SUMMARY_BYTES,
    });
    if (
      result.kind === 'response' &&
      [301, 302, 303, 307, 308].includes(result.status) &&
      result.headers.location
    ) {
      url = new URL(result.headers.location, url).toString();
      continue;
    }
    if (result.kind === 'failure' || result.status !== 200) {
      return unknownReading(config, `status page ${describeFailure(result)}`);
    }
    if (result.truncated) return unknownReading(config, 'the summary is larger than 5 MB');
    const { reading, listed } = parseSummaryDetailed(config, result.body);
    // Said on the first read that shows it, as a warning: the run still works with the ids that were found.
    const warning = missingComponentsWarning(reading, listed);
    if (warning !== null) core.warning(warning);
    return reading;
  }
  return unknownReading(config, `more than ${MAX_REDIRECTS} redirects`);
}
