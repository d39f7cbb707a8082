import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/inputs.js';
import { parseDuration, parseLifecycleInputs } from '../../src/config/lifecycle.js';

const reader =
  (inputs: Record<string, string>) =>
  (name: string): string =>
    inputs[name] ?? '';

describe('lifecycle inputs', () => {
  it('defaults: no state file, a 6-run window, 2 runs to open a P3, no reminders, reopen within 1 h', () => {
    expect(parseLifecycleInputs(reader({}))).toEqual({
      stateFile: null,
      windowRuns: 6,
      openRuns: 2,
      reminderIntervalMs: null,
      reopenWindowMs: 3_600_000,
    });
  });

  it('reads every input', () => {
    expect(
      parseLifecycleInputs(
        reader({
          'state-file': ' .runbook/state.json ',
          'window-runs': '12',
          'open-runs': '3',
          'reminder-interval': '6h',
          'reopen-window': '0',
        }),
      ),
    ).toEqual({
      stateFile: '.runbook/state.json',
      windowRuns: 12,
      openRuns: 3,
      reminderIntervalMs: 6 * 3_600_000,
      reopenWindowMs: 0,
    });
  });

  it('reads durations in s, m, h, d and combinations', () => {
    const range = { min: 0, max: 30 * 86_400_000 };
    expect(parseDuration('x', '90m', range)).toBe(90 * 60_000);
    expect(parseDuration('x', '1h30m', range)).toBe(90 * 60_000);
    expect(parseDuration('x', '1D', range)).toBe(86_400_000);
    expect(parseDuration('x', '45s', range)).toBe(45_000);
    expect(parseDuration('x', ' ', range)).toBeNull();
  });

  it('refuses bad values with a message naming the input, the value and what is accepted', () => {
    const bad: [Record<string, string>, RegExp][] = [
      [
        { 'reminder-interval': '6' },
        /Input "reminder-interval" has an invalid value "6": expected a duration such as 90m, 6h, 1d or 1h30m/,
      ],
      [{ 'reminder-interval': '1m' }, /"reminder-interval" has an invalid value "1m": .* from 10m to 30d/],
      [{ 'reminder-interval': '0' }, /"reminder-interval"/],
      [{ 'reopen-window': 'soon' }, /Input "reopen-window" has an invalid value "soon"/],
      [
        { 'window-runs': '25' },
        /Input "window-runs" has an invalid value "25": expected a whole number from 1 to 24/,
      ],
      [{ 'open-runs': '0' }, /Input "open-runs" has an invalid value "0"/],
      [{ 'state-file': 'cache/' }, /Input "state-file" .* expected a file path, not a directory/],
    ];
    for (const [inputs, message] of bad) {
      expect(() => parseLifecycleInputs(reader(inputs))).toThrow(ConfigError);
      expect(() => parseLifecycleInputs(reader(inputs))).toThrow(message);
    }
  });
});
