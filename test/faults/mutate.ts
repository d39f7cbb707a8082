/**
 * Deterministic random mutations of real payloads, for fuzzing the parsers and the classifier. The same
 * seed always gives the same mutations, so a failing case is replayed from the seed printed with it.
 */

/** A small seeded PRNG (mulberry32): 32 bits of state, good enough spread for picking mutations. */
export function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export type Random = () => number;

function pick<T>(random: Random, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!;
}

/** Text that has broken parsers and renderers before: markup, mentions, control and astral characters. */
const NASTY_STRINGS = [
  '',
  ' ',
  '\u0000',
  '\r\n::error::injected',
  '@everyone please look #1',
  '<img src=x onerror=alert(1)>',
  '```\nfenced\n```',
  '| a | b |\n|---|---|',
  '<!-- runbook:end evidence -->',
  '\u202Ereversed',
  '😀'.repeat(40),
  '\uD83D',
  'sk-ant-api03-fuzzedKeyThatMustNeverBePosted_0123456789',
  '%s%n%x',
  '\\u0041',
  '0',
  'null',
];

/** Values of other types, to swap in where a string, number or object was expected. */
function otherValue(random: Random): unknown {
  return pick<() => unknown>(random, [
    () => null,
    () => true,
    () => 0,
    () => -1,
    () => 1e308,
    () => Number.MAX_SAFE_INTEGER,
    () => [],
    () => ({}),
    () => pick(random, NASTY_STRINGS),
    () => 'x'.repeat(1 + Math.floor(random() * 100_000)),
    () => deepNesting(1 + Math.floor(random() * 500)),
  ])();
}

function deepNesting(depth: number): unknown {
  let value: unknown = 'bottom';
  for (let i = 0; i < depth; i++) value = i % 2 === 0 ? [value] : { nested: value };
  return value;
}

/** Every path to a value inside `root` (objects and arrays), root excluded. */
function paths(root: unknown): (string | number)[][] {
  const out: (string | number)[][] = [];
  const walk = (value: unknown, path: (string | number)[]): void => {
    if (out.length > 5_000) return;
    if (Array.isArray(value)) {
      value.forEach((item, index) => {
        out.push([...path, index]);
        walk(item, [...path, index]);
      });
    } else if (value !== null && typeof value === 'object') {
      for (const [key, item] of Object.entries(value)) {
        out.push([...path, key]);
        walk(item, [...path, key]);
      }
    }
  };
  walk(root, []);
  return out;
}

function parentOf(root: unknown, path: readonly (string | number)[]): Record<string | number, unknown> {
  let current = root as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) current = current[key] as Record<string | number, unknown>;
  return current;
}

/** One structural mutation, in place. */
function mutateOnce(root: unknown, random: Random): void {
  const all = paths(root);
  if (all.length === 0) return;
  const path = pick(random, all);
  const parent = parentOf(root, path);
  const key = path[path.length - 1]!;
  const value = parent[key];
  switch (pick(random, ['drop', 'swap', 'null', 'nasty', 'huge', 'nest', 'duplicate', 'empty'] as const)) {
    case 'drop':
      if (Array.isArray(parent)) parent.splice(Number(key), 1);
      else delete parent[key];
      return;
    case 'swap':
      parent[key] = otherValue(random);
      return;
    case 'null':
      parent[key] = null;
      return;
    case 'nasty':
      parent[key] =
        typeof value === 'string' ? value + pick(random, NASTY_STRINGS) : pick(random, NASTY_STRINGS);
      return;
    case 'huge':
      parent[key] = `${pick(random, NASTY_STRINGS)} `.repeat(1 + Math.floor(random() * 20_000));
      return;
    case 'nest':
      parent[key] = deepNesting(1 + Math.floor(random() * 1_000));
      return;
    case 'duplicate':
      if (Array.isArray(parent)) parent.push(structuredClone(value));
      else parent[`${key}_copy`] = structuredClone(value);
      return;
    case 'empty':
      parent[key] = Array.isArray(value) ? [] : typeof value === 'object' && value !== null ? {} : '';
      return;
  }
}

/**
 * The payload with 1 to 4 structural mutations, serialised; sometimes the text itself is then cut, has a
 * byte flipped, or gains garbage, so that invalid JSON is fuzzed too.
 */
export function mutatePayload(payload: unknown, random: Random): string {
  const copy = structuredClone(payload);
  const rounds = 1 + Math.floor(random() * 4);
  for (let i = 0; i < rounds; i++) mutateOnce(copy, random);
  let text = JSON.stringify(copy) ?? 'null';
  const textual = random();
  if (textual < 0.08) text = text.slice(0, Math.floor(random() * text.length));
  else if (textual < 0.14) {
    const at = Math.floor(random() * text.length);
    text = text.slice(0, at) + String.fromCharCode(Math.floor(random() * 0x7f)) + text.slice(at + 1);
  } else if (textual < 0.18) text += pick(random, [',', '}', ']', '\u0000', '<html>']);
  return text;
}
