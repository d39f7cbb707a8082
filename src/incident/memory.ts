/**
 * What the action remembers between runs lives in the issue itself, in a hidden HTML comment holding
 * one line of JSON. People can delete or mangle it: reading never throws, it answers null.
 */
import { DIAGNOSES, SEVERITIES } from '../verdict/types.js';
import type { Diagnosis, Severity } from '../verdict/types.js';
import { validObservations } from './hysteresis.js';
import type { Gap, History } from './hysteresis.js';
import { INCIDENT_MARKER, lineEndingOf } from './markers.js';
import type { IncidentMemory } from './types.js';

const MEMORY_OPEN = '<!-- claude-incident-runbook:memory ';
const MEMORY_CLOSE = ' -->';
/**
 * The memory is only ever read or written where the action puts it: right after the first incident marker.
 * A memory comment elsewhere (pasted by a person quoting another issue's source) is people's text and is
 * neither read nor rewritten. The `s` flag: JSON.stringify leaves U+2028/U+2029 unescaped.
 */
const MEMORY_PATTERN = new RegExp(
  `(${escapeRegExp(INCIDENT_MARKER)}\\r?\\n?)<!-- claude-incident-runbook:memory (.*?) -->`,
  's',
);

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The comment holding the memory. `--` would end the HTML comment early and `<`, `>` could start or end
 * markup, so they are written as JSON escapes, which only occur inside JSON strings and parse back the same.
 */
export function memoryComment(memory: IncidentMemory): string {
  const json = JSON.stringify(memory)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/--/g, '-\\u002d');
  return `${MEMORY_OPEN}${json}${MEMORY_CLOSE}`;
}

/** The memory in the body, or null when it is missing, corrupt or of another version. Never throws. */
export function readMemory(body: string): IncidentMemory | null {
  const match = MEMORY_PATTERN.exec(body);
  if (match?.[2] === undefined || body.indexOf(INCIDENT_MARKER) !== match.index) return null;
  let value: unknown;
  try {
    value = JSON.parse(match[2]);
  } catch {
    return null;
  }
  return validMemory(value);
}

/** The body with the existing memory comment replaced in place; null when there is none. */
export function writeMemory(body: string, memory: IncidentMemory): string | null {
  const match = MEMORY_PATTERN.exec(body);
  if (match === null || body.indexOf(INCIDENT_MARKER) !== match.index) return null;
  // A replacer function, so `$` in the JSON is not read as a replacement pattern.
  return body.replace(MEMORY_PATTERN, (_all, prefix: string) => `${prefix}${memoryComment(memory)}`);
}

/**
 * The body with the memory written back on the line after the incident marker, for bodies where people
 * deleted it: without memory the healthy streak would restart every run and the issue would never close.
 * Null when the marker is gone too.
 */
export function insertMemory(body: string, memory: IncidentMemory): string | null {
  const at = body.indexOf(INCIDENT_MARKER);
  if (at === -1) return null;
  const after = at + INCIDENT_MARKER.length;
  return `${body.slice(0, after)}${lineEndingOf(body)}${memoryComment(memory)}${body.slice(after)}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isTime(value: unknown): value is string {
  return typeof value === 'string' && !Number.isNaN(Date.parse(value));
}

function isSeverity(value: unknown): value is Severity {
  return SEVERITIES.includes(value as Severity);
}

function isDiagnosis(value: unknown): value is Diagnosis {
  return DIAGNOSES.includes(value as Diagnosis);
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

/** Gaps and reopenings kept in memory: the newest, enough for the close record. */
export const MEMORY_EPISODE_EVENTS = 10;

function validPairs<K extends string>(value: unknown, keys: readonly [K, K]): Record<K, string>[] | null {
  if (value === undefined) return [];
  if (!Array.isArray(value)) return null;
  const pairs = value.filter(
    (item): item is Record<K, string> => isRecord(item) && keys.every((key) => isTime(item[key])),
  );
  return pairs.map((item) => ({ [keys[0]]: item[keys[0]], [keys[1]]: item[keys[1]] }) as Record<K, string>);
}

/** The lifecycle's optional fields: each is kept when valid and dropped when not, never failing the rest. */
function lifecycleFields(value: Record<string, unknown>): Partial<IncidentMemory> {
  const fields: Partial<IncidentMemory> = {};
  const window = validObservations(value.window);
  if (window !== null) fields.window = window;
  const streak = value.unhealthyStreak;
  if (typeof streak === 'number' && Number.isInteger(streak) && streak >= 0) fields.unhealthyStreak = streak;
  for (const key of ['lastCommentAt', 'closedAt', 'closedByPeopleNotedAt', 'episodeEndedAt'] as const) {
    if (isTime(value[key])) fields[key] = value[key];
  }
  const gaps = validPairs(value.gaps, ['from', 'to']);
  if (gaps !== null && gaps.length > 0) fields.gaps = gaps.slice(-MEMORY_EPISODE_EVENTS);
  const reopenings = validPairs(value.reopenings, ['closedAt', 'reopenedAt']);
  if (reopenings !== null && reopenings.length > 0)
    fields.reopenings = reopenings.slice(-MEMORY_EPISODE_EVENTS);
  return fields;
}

/** Rebuilds the memory field by field, so unknown fields and wrong types never reach the planner. */
function validMemory(value: unknown): IncidentMemory | null {
  if (!isRecord(value) || value.v !== 1) return null;
  const { openedAt, severity, diagnosis, peakSeverity, diagnosesSeen, healthyStreak } = value;
  const { lastRunAt, lastUnhealthyAt, requestIds, recoveredAt } = value;
  if (!isTime(openedAt) || !isTime(lastRunAt) || !isTime(lastUnhealthyAt)) return null;
  if (!isSeverity(severity) || !isSeverity(peakSeverity) || !isDiagnosis(diagnosis)) return null;
  if (!Array.isArray(diagnosesSeen) || !diagnosesSeen.every(isDiagnosis)) return null;
  if (typeof healthyStreak !== 'number' || !Number.isInteger(healthyStreak) || healthyStreak < 0) return null;
  if (!isStringArray(requestIds)) return null;
  if (recoveredAt !== undefined && !isTime(recoveredAt)) return null;
  const memory: IncidentMemory = {
    v: 1,
    openedAt,
    severity,
    diagnosis,
    peakSeverity,
    diagnosesSeen,
    healthyStreak,
    lastRunAt,
    lastUnhealthyAt,
    requestIds,
  };
  if (recoveredAt !== undefined) memory.recoveredAt = recoveredAt;
  return { ...memory, ...lifecycleFields(value) };
}

/**
 * The rolling window and counters the memory carries. A memory written before the window existed has
 * its counters only: the healthy streak, and one unhealthy run when the streak is zero.
 */
export function historyOf(memory: IncidentMemory): History {
  return {
    updatedAt: memory.lastRunAt,
    observations: memory.window ?? [],
    healthyStreak: memory.healthyStreak,
    unhealthyStreak: memory.unhealthyStreak ?? (memory.healthyStreak === 0 ? 1 : 0),
  };
}

/** The memory carrying this history (the window and both counters). */
export function withHistory(memory: IncidentMemory, history: History): IncidentMemory {
  return {
    ...memory,
    window: history.observations,
    healthyStreak: history.healthyStreak,
    unhealthyStreak: history.unhealthyStreak,
  };
}

/** The gap appended to the memory's gaps, the newest kept. */
export function withGap(memory: IncidentMemory, gap: Gap): IncidentMemory {
  return { ...memory, gaps: [...(memory.gaps ?? []), gap].slice(-MEMORY_EPISODE_EVENTS) };
}
