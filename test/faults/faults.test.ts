/**
 * The fault-injection suite: every fault of the catalogue, driven through dist/index.js against the
 * loopback simulators. Each asserts the exit status, the verdict, the GitHub state, the posted text, and
 * that the key appears nowhere. `npm run faults` runs the same catalogue and prints the table.
 */
import { describe, expect, it } from 'vitest';
import { CATALOGUE } from './catalogue.js';
import { runFault, type Side } from './runner.js';

/** A loaded 2-core runner takes a few seconds for the faults that run the action three times. */
const FAULT_TIMEOUT_MS = 60_000;

describe('the fault catalogue', () => {
  it('names every fault once and covers every side of the issue', () => {
    const ids = CATALOGUE.map((fault) => fault.id);
    expect(new Set(ids).size).toBe(ids.length);
    const sides: Side[] = ['anthropic', 'status page', 'github', 'input', 'secrets', 'text'];
    expect(new Set(CATALOGUE.map((fault) => fault.side))).toEqual(new Set(sides));
  });
});

describe.concurrent('every fault, through the bundled action', () => {
  it.each(CATALOGUE)(
    '$id: $description',
    async (fault) => {
      const result = await runFault(fault);

      expect(result.problems, `${result.expected} expected, ${result.observed} observed`).toEqual([]);
      expect(result.leaks).toEqual([]);
    },
    FAULT_TIMEOUT_MS,
  );
});
