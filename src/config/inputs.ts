import type { Config } from './types.js';

/** Thrown for any bad input; the message names the input, the value and what is accepted. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Reads one input's raw value ('' when unset). Injected so tests and the future CLI share this parser. */
export type InputReader = (name: string) => string;

/**
 * Defaults live here, not only in action.yml: the runner applies action.yml defaults, but `node dist/index.js`
 * run directly (tests, the demo, a self-hosted wrapper) gets none of them.
 */
export const DEFAULTS = {
  models: ['claude-haiku-4-5'],
  samples: 5,
  anthropicBaseUrl: 'https://api.anthropic.com',
  statusPageUrl: 'https://status.claude.com',
  /** The Claude API component (api.anthropic.com) on status.claude.com. */
  statusComponents: ['k8w3r06qmzrp'],
  /** The runbook's P2 line: p99 latency over 10 s. */
  latencyThresholdMs: 10_000,
  /** The runbook's P3/P2 boundary: intermittent errors under 5 %. */
  errorRateThreshold: 0.05,
  /** Must exceed the latency threshold, or a slow-but-working API would be reported as timing out. */
  requestTimeoutMs: 30_000,
  concurrency: 4,
  recoveryRuns: 2,
  labels: ['incident'],
  canaryPrompt: 'Reply with only the number: what is 17 + 25?',
  canaryExpect: '\\b42\\b',
} as const;

const LIMITS = {
  samples: { min: 1, max: 50 },
  /** Half of the longest request timeout, so that the default timeout (twice the threshold) stays in range. */
  latencyThresholdMs: { min: 1, max: 300_000 },
  requestTimeoutMs: { min: 10, max: 600_000 },
  concurrency: { min: 1, max: 20 },
  recoveryRuns: { min: 1, max: 100 },
  /** GitHub refuses label names longer than 50 characters. */
  labelLength: 50,
  /** Each model costs `samples` requests a run and a row in the issue: a list past this is a mistake. */
  models: 20,
  canaryPromptLength: 2_000,
} as const;

/** Model ids are lower-case words, digits, dots, dashes (claude-haiku-4-5, claude-haiku-4-5-20251001). */
const MODEL_ID = /^[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}$/;
/** Statuspage component ids are short lower-case alphanumerics (k8w3r06qmzrp). */
const COMPONENT_ID = /^[a-z0-9]{1,32}$/;

export function fail(input: string, value: string, accepted: string): never {
  const shown = value.length > 80 ? `${value.slice(0, 77)}...` : value;
  throw new ConfigError(`Input "${input}" has an invalid value "${shown}": ${accepted}.`);
}

/** Splits a list input on commas and newlines, trimming blanks. */
export function parseList(raw: string): string[] {
  return raw
    .split(/[,\n]/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/**
 * A list input, or `fallback` when the input is unset or blank. A value that holds only separators
 * (`models: ' , '`) is refused rather than read as "use the default": it is what a template that expanded
 * to nothing leaves behind, and silently probing something else would hide the mistake.
 */
function parseListInput(input: string, raw: string, fallback: readonly string[], accepted: string): string[] {
  if (raw.trim() === '') return [...fallback];
  const list = parseList(raw);
  if (list.length === 0) fail(input, raw, `${accepted}; the value holds only separators and blanks`);
  return list;
}

/** Paths that people paste with a base URL, which the action appends itself. */
function refuseKnownSuffix(input: string, raw: string, url: string, suffix: RegExp, accepted: string): void {
  if (suffix.test(new URL(url).pathname)) fail(input, raw, accepted);
}

export function parseInteger(
  input: string,
  raw: string,
  fallback: number,
  range: { min: number; max: number },
): number {
  const text = raw.trim();
  if (text === '') return fallback;
  if (!/^\d+$/.test(text)) fail(input, raw, `expected a whole number from ${range.min} to ${range.max}`);
  const value = Number(text);
  if (value < range.min || value > range.max)
    fail(input, raw, `expected a whole number from ${range.min} to ${range.max}`);
  return value;
}

function parseRate(input: string, raw: string, fallback: number): number {
  const text = raw.trim();
  if (text === '') return fallback;
  const accepted =
    'expected a fraction greater than 0 and at most 1, e.g. 0.05 for 5 %, or a percentage such as 5%';
  const match = /^(\d+(?:\.\d+)?|\.\d+)(%?)$/.exec(text);
  if (!match) fail(input, raw, accepted);
  const value = Number(match[1]) / (match[2] === '%' ? 100 : 1);
  if (!(value > 0 && value <= 1)) fail(input, raw, accepted);
  return value;
}

function parseBoolean(input: string, raw: string): boolean {
  const text = raw.trim();
  // The YAML 1.2 core schema, as @actions/core's getBooleanInput accepts it.
  if (['true', 'True', 'TRUE'].includes(text)) return true;
  if (['false', 'False', 'FALSE', ''].includes(text)) return false;
  fail(input, raw, 'expected true or false');
}

function parseHttpUrl(input: string, raw: string, fallback: string): string {
  const text = raw.trim() === '' ? fallback : raw.trim();
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    fail(input, raw, 'expected an absolute http(s) URL such as https://api.anthropic.com');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    fail(input, raw, 'expected an absolute http(s) URL such as https://api.anthropic.com');
  }
  if (url.username || url.password)
    fail(input, '(a URL with credentials)', 'credentials in the URL are not accepted');
  if (url.search || url.hash) fail(input, raw, 'expected a base URL without query string or fragment');
  return url.toString().replace(/\/+$/, '');
}

function parseRepository(raw: string): { owner: string; repo: string } {
  const accepted = 'expected owner/name, e.g. octo-org/payments (defaults to $GITHUB_REPOSITORY)';
  if (raw.trim() === '') {
    throw new ConfigError(
      `Input "repository" is empty and GITHUB_REPOSITORY is not set: ${accepted.replace('expected ', 'pass ')}.`,
    );
  }
  const match = /^([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)$/.exec(raw.trim());
  // `.` and `..` would turn the REST path into another endpoint (GET /repos/../../issues).
  if (!match || [match[1], match[2]].some((part) => part === '.' || part === '..')) {
    fail('repository', raw, accepted);
  }
  return { owner: match[1]!, repo: match[2]! };
}

/**
 * Parses and validates every input before any request is made. `env` supplies the runner's context
 * (GITHUB_REPOSITORY, GITHUB_API_URL, GITHUB_TOKEN, GITHUB_SERVER_URL, GITHUB_RUN_ID).
 */
export function parseConfig(read: InputReader, env: NodeJS.ProcessEnv): Config {
  const anthropicApiKey = read('anthropic-api-key').trim();
  if (anthropicApiKey === '') {
    throw new ConfigError(
      'Input "anthropic-api-key" is required and was not supplied: pass it from a secret, e.g. anthropic-api-key: ${{ secrets.ANTHROPIC_API_KEY }}.',
    );
  }
  if (/\s/.test(anthropicApiKey)) {
    // Never echo the value: it is a secret.
    throw new ConfigError('Input "anthropic-api-key" contains whitespace: check how the secret was pasted.');
  }

  const dryRun = parseBoolean('dry-run', read('dry-run'));
  const githubToken = read('github-token').trim() || env.GITHUB_TOKEN?.trim() || '';
  if (githubToken === '' && !dryRun) {
    throw new ConfigError(
      'Input "github-token" is empty: pass ${{ github.token }} (the default in action.yml) with permissions issues: write, or set dry-run: true.',
    );
  }
  const githubApiUrl = parseHttpUrl(
    'github-api-url',
    read('github-api-url'),
    env.GITHUB_API_URL || 'https://api.github.com',
  );
  const repository = parseRepository(read('repository').trim() || env.GITHUB_REPOSITORY || '');

  const modelsAccepted = 'expected model ids such as claude-haiku-4-5, separated by commas or newlines';
  const modelList = parseListInput('models', read('models'), DEFAULTS.models, modelsAccepted);
  if (modelList.length > LIMITS.models)
    fail(
      'models',
      modelList.join(','),
      `expected at most ${LIMITS.models} models (each costs samples requests a run)`,
    );
  for (const model of modelList) {
    if (!MODEL_ID.test(model))
      fail('models', model, 'expected model ids such as claude-haiku-4-5, separated by commas or newlines');
  }
  if (new Set(modelList).size !== modelList.length)
    fail('models', modelList.join(','), 'each model may be listed once');

  const componentsAccepted =
    'expected Statuspage component ids such as k8w3r06qmzrp (lower-case letters and digits)';
  const statusComponents = parseListInput(
    'status-components',
    read('status-components'),
    DEFAULTS.statusComponents,
    componentsAccepted,
  );
  for (const id of statusComponents) {
    if (!COMPONENT_ID.test(id)) {
      fail('status-components', id, componentsAccepted);
    }
  }

  const latencyThresholdMs = parseInteger(
    'latency-threshold-ms',
    read('latency-threshold-ms'),
    DEFAULTS.latencyThresholdMs,
    LIMITS.latencyThresholdMs,
  );
  const requestTimeoutRaw = read('request-timeout-ms');
  const requestTimeoutMs = parseInteger(
    'request-timeout-ms',
    requestTimeoutRaw,
    Math.max(DEFAULTS.requestTimeoutMs, latencyThresholdMs * 2),
    LIMITS.requestTimeoutMs,
  );
  if (requestTimeoutMs <= latencyThresholdMs) {
    fail(
      'request-timeout-ms',
      requestTimeoutRaw,
      `expected more than latency-threshold-ms (${latencyThresholdMs}), or a slow API would be reported as a timeout`,
    );
  }

  const labelList = parseListInput(
    'labels',
    read('labels'),
    DEFAULTS.labels,
    'expected label names separated by commas or newlines, e.g. incident',
  );
  for (const label of labelList) {
    if (label.length > LIMITS.labelLength)
      fail('labels', label, `expected label names of at most ${LIMITS.labelLength} characters`);
  }

  const canaryPrompt = read('canary-prompt').trim() || DEFAULTS.canaryPrompt;
  if (canaryPrompt.length > LIMITS.canaryPromptLength) {
    fail(
      'canary-prompt',
      canaryPrompt,
      `expected at most ${LIMITS.canaryPromptLength} characters (keep the probe cheap)`,
    );
  }
  const expectRaw = read('canary-expect').trim() || DEFAULTS.canaryExpect;
  let canaryExpect: RegExp;
  try {
    canaryExpect = new RegExp(expectRaw);
  } catch (error) {
    fail(
      'canary-expect',
      expectRaw,
      `expected a JavaScript regular expression (${(error as Error).message})`,
    );
  }

  const serverUrl = env.GITHUB_SERVER_URL || 'https://github.com';
  const runUrl =
    env.GITHUB_RUN_ID && env.GITHUB_REPOSITORY
      ? `${serverUrl}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}`
      : null;

  const baseUrlRaw = read('anthropic-base-url');
  const anthropicBaseUrl = parseHttpUrl('anthropic-base-url', baseUrlRaw, DEFAULTS.anthropicBaseUrl);
  refuseKnownSuffix(
    'anthropic-base-url',
    baseUrlRaw,
    anthropicBaseUrl,
    /\/v1(\/messages)?\/?$/i,
    'expected the API root without /v1, e.g. https://api.anthropic.com (the action appends /v1/messages)',
  );
  const statusPageRaw = read('status-page-url');
  const statusPageUrl = parseHttpUrl('status-page-url', statusPageRaw, DEFAULTS.statusPageUrl);
  refuseKnownSuffix(
    'status-page-url',
    statusPageRaw,
    statusPageUrl,
    /\/api(\/v2(\/[\w./-]*)?)?\/?$/i,
    'expected the page root, e.g. https://status.claude.com (the action reads /api/v2/summary.json)',
  );

  return {
    anthropicApiKey,
    githubToken,
    githubApiUrl,
    repository,
    models: modelList,
    samples: parseInteger('samples', read('samples'), DEFAULTS.samples, LIMITS.samples),
    anthropicBaseUrl,
    statusPageUrl,
    statusComponents,
    latencyThresholdMs,
    errorRateThreshold: parseRate(
      'error-rate-threshold',
      read('error-rate-threshold'),
      DEFAULTS.errorRateThreshold,
    ),
    requestTimeoutMs,
    concurrency: parseInteger('concurrency', read('concurrency'), DEFAULTS.concurrency, LIMITS.concurrency),
    recoveryRuns: parseInteger(
      'recovery-runs',
      read('recovery-runs'),
      DEFAULTS.recoveryRuns,
      LIMITS.recoveryRuns,
    ),
    labels: labelList,
    dryRun,
    canaryPrompt,
    canaryExpect,
    runUrl,
  };
}
