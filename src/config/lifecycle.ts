/**
 * The inputs that tune the incident lifecycle (memory, hysteresis, reminders, reopening), parsed and
 * validated up front like every other input. Kept apart from `inputs.ts` so the lifecycle can evolve
 * without touching the probe inputs; `main.ts` merges both into one configuration before any request.
 */
import { fail, parseInteger, type InputReader } from './inputs.js';

export interface LifecycleConfig {
  /** JSON file holding the rolling window between runs; null when the input is empty (off). */
  stateFile: string | null;
  /** Observations (runs with a verdict) over which error rates are measured, this run included. */
  windowRuns: number;
  /** Consecutive unhealthy observations needed before a P3 or P4 opens an issue. */
  openRuns: number;
  /** Milliseconds between reminder comments on an unchanged incident; null when off. */
  reminderIntervalMs: number | null;
  /** Milliseconds after a close during which a recurrence reopens the same issue; 0 never reopens. */
  reopenWindowMs: number;
}

const MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

export const LIFECYCLE_DEFAULTS = {
  /** Six runs of five samples: 30 requests, enough to tell 3.3 % from the runbook's 5 % line. */
  windowRuns: 6,
  /** Two runs in a row: one bad sample is noise, two are a pattern. */
  openRuns: 2,
  /** A recurrence within an hour is the same incident coming back, not a new one. */
  reopenWindowMs: MS.h,
} as const;

/**
 * The largest window the memory keeps (see incident/hysteresis.ts): the issue body and the state file
 * stay a few kilobytes.
 */
export const MAX_WINDOW_RUNS = 24;

const LIMITS = {
  windowRuns: { min: 1, max: MAX_WINDOW_RUNS },
  openRuns: { min: 1, max: MAX_WINDOW_RUNS },
  /** A reminder more often than every 10 minutes would be the spam the interval exists to prevent. */
  reminderMs: { min: 10 * MS.m, max: 30 * MS.d },
  reopenMs: { min: 0, max: 30 * MS.d },
} as const;

/**
 * A duration such as `90m`, `6h`, `1d` or `1h30m` (units s, m, h, d) in milliseconds; null when empty.
 * A bare number is refused: "6" could mean hours or minutes.
 */
export function parseDuration(
  input: string,
  raw: string,
  range: { min: number; max: number },
): number | null {
  const text = raw.trim().toLowerCase();
  if (text === '') return null;
  const accepted =
    `expected a duration such as 90m, 6h, 1d or 1h30m (units s, m, h, d), from ` +
    `${describeMs(range.min)} to ${describeMs(range.max)}`;
  if (text === '0') {
    if (range.min > 0) fail(input, raw, accepted);
    return 0;
  }
  if (!/^(\d+[smhd])+$/.test(text)) fail(input, raw, accepted);
  let total = 0;
  for (const [, amount, unit] of text.matchAll(/(\d+)([smhd])/g)) {
    total += Number(amount) * MS[unit as keyof typeof MS];
  }
  if (total < range.min || total > range.max) fail(input, raw, accepted);
  return total;
}

function describeMs(ms: number): string {
  if (ms === 0) return '0';
  if (ms % MS.d === 0) return `${ms / MS.d}d`;
  if (ms % MS.h === 0) return `${ms / MS.h}h`;
  if (ms % MS.m === 0) return `${ms / MS.m}m`;
  return `${ms / MS.s}s`;
}

function parseStateFile(raw: string): string | null {
  const text = raw.trim();
  if (text === '') return null;
  // A NUL byte would make every file call throw later; refuse it now, with the input named.
  if (text.includes('\0')) fail('state-file', '(a path with a NUL byte)', 'expected a file path');
  if (/[\\/]$/.test(text)) fail('state-file', raw, 'expected a file path, not a directory');
  return text;
}

export function parseLifecycleInputs(read: InputReader): LifecycleConfig {
  return {
    stateFile: parseStateFile(read('state-file')),
    windowRuns: parseInteger(
      'window-runs',
      read('window-runs'),
      LIFECYCLE_DEFAULTS.windowRuns,
      LIMITS.windowRuns,
    ),
    openRuns: parseInteger('open-runs', read('open-runs'), LIFECYCLE_DEFAULTS.openRuns, LIMITS.openRuns),
    reminderIntervalMs: parseDuration('reminder-interval', read('reminder-interval'), LIMITS.reminderMs),
    reopenWindowMs:
      parseDuration('reopen-window', read('reopen-window'), LIMITS.reopenMs) ??
      LIFECYCLE_DEFAULTS.reopenWindowMs,
  };
}
