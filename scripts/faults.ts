/**
 * `npm run faults`: drives dist/index.js through every fault of the catalogue against the loopback
 * simulators and prints what was expected, what happened, and whether anything leaked. Exits non-zero
 * when any fault was not handled as specified or leaked a secret.
 */
import { CATALOGUE } from '../test/faults/catalogue.js';
import { runFaults, type FaultResult } from '../test/faults/runner.js';

/** Faults run at once: each starts its own simulators and a Node process. */
const CONCURRENCY = 4;

function row(cells: readonly string[], widths: readonly number[]): string {
  return `| ${cells.map((cell, i) => cell.padEnd(widths[i]!)).join(' | ')} |`;
}

function table(results: readonly FaultResult[]): string {
  const header = ['fault', 'side', 'expected', 'observed', 'handled', 'leak-free'];
  const rows = results.map((r) => [
    r.fault.id,
    r.fault.side,
    r.expected,
    r.observed,
    r.handled ? 'yes' : 'NO',
    r.leakFree ? 'yes' : 'NO',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((cells) => cells[i]!.length)));
  return [
    row(header, widths),
    row(
      widths.map((w) => '-'.repeat(w)),
      widths,
    ),
    ...rows.map((r) => row(r, widths)),
  ].join('\n');
}

const started = performance.now();
let done = 0;
const results = await runFaults(CATALOGUE, CONCURRENCY, () => {
  done += 1;
  if (process.stderr.isTTY) process.stderr.write(`\r${done}/${CATALOGUE.length} faults tried`);
});
if (process.stderr.isTTY) process.stderr.write('\n');
console.log(table(results));

const failures = results.filter((r) => !r.handled || !r.leakFree);
for (const failure of failures) {
  console.log(`\n${failure.fault.id}: ${failure.fault.description}`);
  for (const problem of failure.problems) console.log(`  - ${problem}`);
  for (const leak of failure.leaks) console.log(`  - LEAK: ${leak}`);
}
const handled = results.filter((r) => r.handled).length;
const leaks = results.filter((r) => !r.leakFree).length;
const seconds = ((performance.now() - started) / 1000).toFixed(1);
console.log(
  `\n${results.length} faults tried, ${handled} handled as specified, ${leaks} ${leaks === 1 ? 'leak' : 'leaks'} (${seconds} s)`,
);
process.exitCode = failures.length === 0 ? 0 : 1;
