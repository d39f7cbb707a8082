/**
 * The state file's content: the rolling window and counters, and the number of the incident issue that
 * was open when it was written. Pure: parsing never throws, it says what is wrong.
 *
 * The file only carries memory between runs; it never decides whether an incident is open (the issues
 * do), so a stale or foreign file can at worst shorten the window, never create a duplicate issue.
 */
import { validHistory } from '../incident/hysteresis.js';
import type { History } from '../incident/hysteresis.js';

/** Names the file's purpose, so that a file written by something else is recognised as not ours. */
export const STATE_FORMAT = 'claude-incident-runbook-state';
export const STATE_VERSION = 1;
/** A state file holds at most 24 observations: a few kilobytes. Anything far larger is not ours. */
export const MAX_STATE_BYTES = 1_000_000;

export interface SavedState {
  format: typeof STATE_FORMAT;
  v: typeof STATE_VERSION;
  /** ISO time of the run that wrote it. */
  savedAt: string;
  history: History | null;
  /** The incident issue open when the file was written: lets a later run explain its disappearance. */
  incident: number | null;
}

export type ParsedState = { ok: true; state: SavedState } | { ok: false; problem: string };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function parseSavedState(text: string): ParsedState {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, problem: 'not valid JSON' };
  }
  if (!isRecord(value) || value.format !== STATE_FORMAT) {
    return { ok: false, problem: `not a ${STATE_FORMAT} file` };
  }
  if (value.v !== STATE_VERSION)
    return { ok: false, problem: `version ${String(value.v)}, expected ${STATE_VERSION}` };
  const { savedAt, incident } = value;
  if (typeof savedAt !== 'string' || Number.isNaN(Date.parse(savedAt))) {
    return { ok: false, problem: 'no valid savedAt time' };
  }
  const history = value.history === null ? null : validHistory(value.history);
  if (value.history !== null && history === null) return { ok: false, problem: 'the history is malformed' };
  const number = typeof incident === 'number' && Number.isInteger(incident) && incident > 0 ? incident : null;
  return { ok: true, state: { format: STATE_FORMAT, v: STATE_VERSION, savedAt, history, incident: number } };
}

export function serializeSavedState(state: SavedState): string {
  return `${JSON.stringify(state)}\n`;
}

export function savedStateOf(history: History | null, incident: number | null, now: Date): SavedState {
  return { format: STATE_FORMAT, v: STATE_VERSION, savedAt: now.toISOString(), history, incident };
}
