import { describe, expect, it } from 'vitest';
import { RUNBOOK, SEVERITY_MEANING } from '../../src/verdict/runbook.js';
import { DIAGNOSES, SEVERITIES, diagnosisRank } from '../../src/verdict/types.js';

/** The brief for the issue body: 3 to 6 actions per branch, short enough to act on. */
const MIN_MITIGATIONS = 3;
const MAX_MITIGATIONS = 6;
/** Issue titles carry the diagnosis title after the severity; GitHub shows about 60 characters in lists. */
const MAX_TITLE_LENGTH = 40;

describe('the runbook decision tree', () => {
  it('lists the diagnoses in the order of the Diagnosis union, which breaks severity ties', () => {
    expect(DIAGNOSES).toEqual([
      'key_rejected',
      'billing',
      'spend_limit',
      'model_unavailable',
      'rate_limited',
      'server_error',
      'overloaded',
      'timeout',
      'slow',
      'intermittent_errors',
      'degraded_quality',
      'upstream_incident',
    ]);
    expect(DIAGNOSES.map(diagnosisRank)).toEqual(DIAGNOSES.map((_, i) => i));
  });

  it.each(DIAGNOSES)('gives %s a short title, a one-sentence meaning and 3 to 6 mitigations', (diagnosis) => {
    const info = RUNBOOK[diagnosis];
    expect(info.title.length).toBeGreaterThan(0);
    expect(info.title.length).toBeLessThanOrEqual(MAX_TITLE_LENGTH);
    expect(info.meaning).toMatch(/^[A-Z].*\.$/);
    expect(info.meaning.slice(0, -1)).not.toMatch(/\.\s/);
    expect(info.mitigations.length).toBeGreaterThanOrEqual(MIN_MITIGATIONS);
    expect(info.mitigations.length).toBeLessThanOrEqual(MAX_MITIGATIONS);
    for (const action of info.mitigations) expect(action).toMatch(/^[A-Z].*\.$/);
    expect(new Set(info.mitigations).size).toBe(info.mitigations.length);
  });

  it('has no entry beyond the Diagnosis union', () => {
    expect(Object.keys(RUNBOOK).sort()).toEqual([...DIAGNOSES].sort());
  });

  it('gives 529 the overload actions: fail over, back off honouring retry-after, shed load, check the status page', () => {
    const actions = RUNBOOK.overloaded.mitigations.join('\n');
    expect(RUNBOOK.overloaded.title).toBe('API overloaded (529)');
    expect(actions).toMatch(/fail over to another model/i);
    expect(actions).toContain('retry-after');
    expect(actions).toMatch(/shed or defer non-critical traffic/i);
    expect(actions).toContain('status.claude.com');
  });

  it('sends a rate limit to the anthropic-ratelimit headers, concurrency and a higher tier', () => {
    const actions = RUNBOOK.rate_limited.mitigations.join('\n');
    expect(actions).toContain('anthropic-ratelimit-');
    expect(actions).toMatch(/reduce concurrency/i);
    expect(actions).toMatch(/higher usage tier/i);
  });

  it('sends a rejected key to the secret and the workspace', () => {
    const actions = RUNBOOK.key_rejected.mitigations.join('\n');
    expect(actions).toMatch(/secret/);
    expect(actions).toMatch(/workspace/);
    expect(actions).toMatch(/rotate/i);
  });

  it('tells a spend limit to raise the limit in the Console and stop retrying', () => {
    const actions = RUNBOOK.spend_limit.mitigations.join('\n');
    expect(actions).toMatch(/raise or remove the spend limit.*Claude Console/);
    expect(actions).toMatch(/stop retrying/i);
  });

  it('moves a missing model to a current model id', () => {
    expect(RUNBOOK.model_unavailable.mitigations.join('\n')).toMatch(
      /current model id \(for example claude-haiku-4-5\)/,
    );
  });

  it('answers timeouts with streaming and a longer client timeout, and slowness with streaming and lower max_tokens', () => {
    const timeout = RUNBOOK.timeout.mitigations.join('\n');
    expect(timeout).toMatch(/streaming/i);
    expect(timeout).toMatch(/raise the client timeout/i);
    const slow = RUNBOOK.slow.mitigations.join('\n');
    expect(slow).toMatch(/stream/i);
    expect(slow).toMatch(/lower max_tokens/i);
  });

  it('explains every severity', () => {
    expect(Object.keys(SEVERITY_MEANING)).toEqual([...SEVERITIES]);
    expect(SEVERITY_MEANING.P1).toBe('all requests failing');
  });
});
