import { describe, expect, it } from 'vitest';
import { ConfigError, DEFAULTS, parseConfig } from '../../src/config/inputs.js';

const KEY = 'sk-ant-api03-test-key-value';
const ENV = {
  GITHUB_REPOSITORY: 'octo-org/payments',
  GITHUB_TOKEN: 'ghs_token',
  GITHUB_API_URL: 'https://api.github.com',
};

function reader(inputs: Record<string, string>) {
  return (name: string) => inputs[name] ?? '';
}

function parse(inputs: Record<string, string>, env: NodeJS.ProcessEnv = ENV) {
  return parseConfig(reader({ 'anthropic-api-key': KEY, ...inputs }), env);
}

function errorOf(inputs: Record<string, string>, env: NodeJS.ProcessEnv = ENV): string {
  try {
    parse(inputs, env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('inputs', () => {
  it('only the API key is needed: every other input has its documented default', () => {
    const config = parse({});
    expect(config).toMatchObject({
      githubToken: 'ghs_token',
      githubApiUrl: 'https://api.github.com',
      repository: { owner: 'octo-org', repo: 'payments' },
      models: ['claude-haiku-4-5'],
      samples: 5,
      anthropicBaseUrl: 'https://api.anthropic.com',
      statusPageUrl: 'https://status.claude.com',
      statusComponents: ['k8w3r06qmzrp'],
      latencyThresholdMs: 10_000,
      errorRateThreshold: 0.05,
      requestTimeoutMs: 30_000,
      recoveryRuns: 2,
      labels: ['incident'],
      dryRun: false,
      canaryPrompt: DEFAULTS.canaryPrompt,
      runUrl: null,
    });
    expect(config.canaryExpect.test('The answer is 42.')).toBe(true);
    expect(config.canaryExpect.test('420')).toBe(false);
  });

  it('lists accept commas and newlines and ignore blanks', () => {
    const config = parse({
      models: 'claude-haiku-4-5,\n claude-sonnet-4-5 \n\n',
      labels: 'incident, claude-api',
    });
    expect(config.models).toEqual(['claude-haiku-4-5', 'claude-sonnet-4-5']);
    expect(config.labels).toEqual(['incident', 'claude-api']);
  });

  it('a missing API key names the input and how to pass it', () => {
    expect(() => parseConfig(reader({}), ENV)).toThrow(
      /"anthropic-api-key" is required.*secrets\.ANTHROPIC_API_KEY/,
    );
  });

  it('error messages name the input, the value and what is accepted', () => {
    expect(errorOf({ samples: '0' })).toBe(
      'Input "samples" has an invalid value "0": expected a whole number from 1 to 50.',
    );
    expect(errorOf({ samples: 'five' })).toContain('"samples" has an invalid value "five"');
    expect(errorOf({ 'error-rate-threshold': '1.5' })).toContain(
      '"error-rate-threshold" has an invalid value "1.5"',
    );
    expect(errorOf({ 'anthropic-base-url': 'api.anthropic.com' })).toContain(
      '"anthropic-base-url" has an invalid value "api.anthropic.com": expected an absolute http(s) URL',
    );
    expect(errorOf({ 'status-page-url': 'ftp://status.claude.com' })).toContain('"status-page-url"');
    expect(errorOf({ 'status-components': 'Claude API' })).toContain(
      '"status-components" has an invalid value "Claude API"',
    );
    expect(errorOf({ models: 'claude haiku' })).toContain('"models" has an invalid value "claude haiku"');
    expect(errorOf({ 'canary-expect': '(' })).toContain('"canary-expect" has an invalid value "("');
    expect(errorOf({ 'dry-run': 'yes' })).toContain(
      '"dry-run" has an invalid value "yes": expected true or false',
    );
    expect(errorOf({ labels: 'x'.repeat(51) })).toContain('at most 50 characters');
  });

  it('a request timeout not longer than the latency threshold is refused', () => {
    expect(errorOf({ 'latency-threshold-ms': '10000', 'request-timeout-ms': '5000' })).toContain(
      '"request-timeout-ms" has an invalid value "5000": expected more than latency-threshold-ms (10000)',
    );
  });

  it('the default timeout stays above a raised latency threshold', () => {
    expect(parse({ 'latency-threshold-ms': '20000' }).requestTimeoutMs).toBe(40_000);
  });

  it('an error rate may be written as a percentage', () => {
    expect(parse({ 'error-rate-threshold': '10%' }).errorRateThreshold).toBe(0.1);
  });

  it('a model listed twice is refused', () => {
    expect(errorOf({ models: 'claude-haiku-4-5, claude-haiku-4-5' })).toContain(
      'each model may be listed once',
    );
  });

  it('URLs lose their trailing slash and credentials in URLs are refused without echoing them', () => {
    expect(parse({ 'anthropic-base-url': 'https://gateway.example.com/anthropic/' }).anthropicBaseUrl).toBe(
      'https://gateway.example.com/anthropic',
    );
    const message = errorOf({ 'anthropic-base-url': 'https://user:hunter2@gateway.example.com' });
    expect(message).not.toContain('hunter2');
  });

  it('a GitHub token is required unless the run is a dry run', () => {
    expect(errorOf({}, { GITHUB_REPOSITORY: 'o/r' })).toContain('"github-token" is empty');
    expect(parse({ 'dry-run': 'true' }, { GITHUB_REPOSITORY: 'o/r' }).githubToken).toBe('');
  });

  it('the run link is built from the runner context', () => {
    const config = parse({}, { ...ENV, GITHUB_SERVER_URL: 'https://ghe.example.com', GITHUB_RUN_ID: '77' });
    expect(config.runUrl).toBe('https://ghe.example.com/octo-org/payments/actions/runs/77');
  });

  it('the repository must be owner/name', () => {
    expect(errorOf({}, { GITHUB_TOKEN: 't' })).toContain('"repository"');
    expect(parse({ repository: 'acme/ops' }).repository).toEqual({ owner: 'acme', repo: 'ops' });
  });

  it('a list of only separators is refused, naming the input, rather than read as "use the default"', () => {
    expect(errorOf({ models: ' , ' })).toBe(
      'Input "models" has an invalid value " , ": expected model ids such as claude-haiku-4-5, separated by ' +
        'commas or newlines; the value holds only separators and blanks.',
    );
    expect(errorOf({ 'status-components': ',\n,' })).toContain(
      'Input "status-components" has an invalid value',
    );
    expect(errorOf({ labels: ',' })).toContain('Input "labels" has an invalid value ","');
    // Unset (or blank) still means the default.
    expect(parse({ models: '   ' }).models).toEqual(['claude-haiku-4-5']);
  });

  it('base URLs that already hold the path the action appends are refused', () => {
    expect(errorOf({ 'anthropic-base-url': 'https://api.anthropic.com/v1/' })).toBe(
      'Input "anthropic-base-url" has an invalid value "https://api.anthropic.com/v1/": expected the API root ' +
        'without /v1, e.g. https://api.anthropic.com (the action appends /v1/messages).',
    );
    expect(errorOf({ 'anthropic-base-url': 'https://gw.example.com/anthropic/v1/messages' })).toContain(
      'without /v1',
    );
    expect(errorOf({ 'status-page-url': 'https://status.claude.com/api/v2/summary.json' })).toContain(
      'expected the page root, e.g. https://status.claude.com (the action reads /api/v2/summary.json)',
    );
    expect(parse({ 'anthropic-base-url': 'https://gw.example.com/v1beta' }).anthropicBaseUrl).toBe(
      'https://gw.example.com/v1beta',
    );
  });

  it('more than 20 models are refused: each costs samples requests a run', () => {
    const models = Array.from({ length: 21 }, (_, i) => `model-${i}`).join(',');
    expect(errorOf({ models })).toContain('expected at most 20 models');
  });

  it('the latency threshold stays low enough for its default timeout to be valid', () => {
    expect(parse({ 'latency-threshold-ms': '300000' }).requestTimeoutMs).toBe(600_000);
    expect(errorOf({ 'latency-threshold-ms': '300001' })).toContain('from 1 to 300000');
  });

  it('a repository that is not given anywhere says where it comes from', () => {
    expect(errorOf({}, { GITHUB_TOKEN: 't' })).toBe(
      'Input "repository" is empty and GITHUB_REPOSITORY is not set: pass owner/name, e.g. octo-org/payments ' +
        '(defaults to $GITHUB_REPOSITORY).',
    );
  });

  it('the API key is never echoed, even when it is malformed', () => {
    const message = errorOf({ 'anthropic-api-key': 'sk-ant-api03 with-space' });
    expect(message).not.toContain('with-space');
  });
});

describe('inputs found by trying to break them', () => {
  it('refuses . and .. in the repository, which would change the REST path', () => {
    for (const repository of ['../..', 'a/..', './b']) {
      expect(() => parseConfig(reader({ 'anthropic-api-key': KEY, repository }), ENV)).toThrow(
        /Input "repository" has an invalid value/,
      );
    }
  });

  it('refuses /V1 in the base URL whatever its case', () => {
    expect(() =>
      parseConfig(
        reader({ 'anthropic-api-key': KEY, 'anthropic-base-url': 'https://gw.example.com/V1' }),
        ENV,
      ),
    ).toThrow(/Input "anthropic-base-url" has an invalid value/);
  });
});
