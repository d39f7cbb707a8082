import { describe, expect, it } from 'vitest';
import { INCIDENT_MARKER, readSection, sectionBegin, sectionEnd } from '../../src/incident/markers.js';
import type { SectionName } from '../../src/incident/markers.js';
import { readMemory } from '../../src/incident/memory.js';
import {
  GITHUB_BODY_LIMIT,
  GITHUB_TITLE_LIMIT,
  formatDuration,
  renderChangeComment,
  renderCloseComment,
  renderFallbackComment,
  renderNewBody,
  renderTitle,
  updateBody,
} from '../../src/incident/render.js';
import type { RenderInput } from '../../src/incident/render.js';
import type { IncidentMemory } from '../../src/incident/types.js';
import type { Evidence, ProbeSample } from '../../src/evidence.js';
import {
  API_KEY,
  CONFIG,
  GITHUB_TOKEN,
  HAIKU,
  OVERLOADED_IDS,
  RUN_URL,
  evidenceOf,
  healthyEvidence,
  operationalPage,
  overloadedEvidence,
  overloadedSample,
  statusIncident,
  verdictOf,
} from './incident-fixtures.js';

const STARTED = '2026-03-04T10:00:00.000Z';
const NOW = new Date('2026-03-04T10:00:10.000Z');

const MEMORY: IncidentMemory = {
  v: 1,
  openedAt: NOW.toISOString(),
  severity: 'P1',
  diagnosis: 'overloaded',
  peakSeverity: 'P1',
  diagnosesSeen: ['overloaded'],
  healthyStreak: 0,
  lastRunAt: NOW.toISOString(),
  lastUnhealthyAt: NOW.toISOString(),
  requestIds: [...OVERLOADED_IDS],
};

function inputFor(evidence: Evidence, memory: IncidentMemory = MEMORY, now: Date = NOW): RenderInput {
  return { verdict: verdictOf(evidence), evidence, memory, config: CONFIG, now };
}

const SECTIONS: SectionName[] = [
  'summary',
  'duration',
  'severity',
  'impact',
  'detection',
  'mitigation',
  'request-ids',
  'evidence',
];

/** Table rows of a markdown table, split on the pipes that are not escaped. */
function cellsOf(row: string): string[] {
  return row.split(/(?<!\\)\|/).slice(1, -1);
}

describe('renderTitle', () => {
  it('names the severity, the runbook diagnosis and the affected models', () => {
    expect(renderTitle('P1', 'overloaded', [HAIKU])).toBe(
      'P1 Claude API incident: API overloaded (529) on claude-haiku-4-5',
    );
    expect(renderTitle('P3', 'upstream_incident', [])).toBe(
      'P3 Claude API incident: Anthropic status page incident',
    );
  });

  it('names at most three models and stays within GitHub title limit', () => {
    expect(renderTitle('P2', 'slow', ['a', 'b', 'c', 'd', 'e'])).toBe(
      'P2 Claude API incident: Slow responses on a, b, c +2 more',
    );
    expect(renderTitle('P2', 'slow', ['m'.repeat(300), 'n'.repeat(300)]).length).toBeLessThanOrEqual(
      GITHUB_TITLE_LIMIT,
    );
  });

  it('drops model names rather than cutting one, or an escape, in half', () => {
    const long = (c: string) => `claude_${c.repeat(100)}`;
    const title = renderTitle('P1', 'overloaded', [long('a'), long('b'), long('c')]);
    expect(title.length).toBeLessThanOrEqual(GITHUB_TITLE_LIMIT);
    expect(title).toMatch(/ \+[12] more$/);
    expect(title).not.toMatch(/\\…?$/);
  });
});

describe('renderNewBody', () => {
  const body = renderNewBody(inputFor(overloadedEvidence(STARTED)));

  it('starts with the incident marker and the memory the planner will read back', () => {
    expect(body.startsWith(`${INCIDENT_MARKER}\n`)).toBe(true);
    expect(readMemory(body)).toEqual(MEMORY);
  });

  it('is the runbook postmortem template with every machine section intact, in order', () => {
    const headings = body.split('\n').filter((l) => l.startsWith('#'));
    expect(headings).toEqual([
      '## Postmortem',
      '### Duration',
      '### Severity',
      '### Impact',
      '### Root Cause',
      '### Detection',
      '### Mitigation',
      '### Request IDs',
      '### Action Items',
      '## Evidence',
    ]);
    const positions = SECTIONS.map((name) => body.indexOf(sectionBegin(name)));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    for (const name of SECTIONS) expect(readSection(body, name)).not.toBeNull();
  });

  it('summarises severity, diagnosis, start, last check and the run', () => {
    expect(readSection(body, 'summary')).toBe(
      `**P1 · API overloaded (529)**: ongoing since 2026-03-04 10:00 UTC. Last checked 2026-03-04 10:00 UTC by [workflow run](${RUN_URL}).`,
    );
  });

  it('leaves Root Cause and the impact narrative to people, outside any section', () => {
    const rootCause = body.slice(body.indexOf('### Root Cause'), body.indexOf('### Detection'));
    expect(rootCause).not.toContain('<!--');
    expect(rootCause).toMatch(/\n_What caused it\?.*_\n/);
    const afterImpact = body.slice(body.indexOf(sectionEnd('impact')), body.indexOf('### Root Cause'));
    expect(afterImpact).toContain('_Describe the impact on users and systems here._');
  });

  it('lists the runbook mitigations as bullets and prefills Action Items as checkboxes', () => {
    const mitigation = readSection(body, 'mitigation') ?? '';
    expect(mitigation).toContain('- Back off with jitter');
    expect(mitigation).not.toContain('[ ]');
    const actions = body.slice(body.indexOf('### Action Items'), body.indexOf('## Evidence'));
    expect(actions).not.toContain('<!--');
    expect(actions).toContain('- [ ] Back off with jitter');
    expect(actions).toContain('- [ ] Write the root cause above once it is known');
  });

  it('shows request ids most recent first as inline code', () => {
    const ids = readSection(body, 'request-ids') ?? '';
    expect(ids.split('\n').filter((l) => l.startsWith('- '))).toEqual(
      [...OVERLOADED_IDS].reverse().map((id) => `- \`${id}\``),
    );
  });

  it('caps the request ids shown at the 20 most recent', () => {
    const many = Array.from({ length: 50 }, (_, i) => `req_${String(i).padStart(3, '0')}`);
    const out = renderNewBody(inputFor(overloadedEvidence(STARTED), { ...MEMORY, requestIds: many }));
    const ids = readSection(out, 'request-ids') ?? '';
    expect(ids).toContain('`req_049`');
    expect(ids).toContain('`req_030`');
    expect(ids).not.toContain('`req_029`');
    expect(ids).toContain('…and 30 older');
  });

  it('puts a per-model table, rate-limit headroom, the status page and findings in the evidence', () => {
    const evidence = readSection(body, 'evidence') ?? '';
    const row = evidence.split('\n').find((l) => l.startsWith(`| ${HAIKU} |`)) ?? '';
    expect(cellsOf(row).map((c) => c.trim())).toEqual([
      HAIKU,
      'P1',
      '3',
      '0',
      '3',
      '100%',
      '190 ms',
      '190 ms',
      '529 ×3',
      '–',
    ]);
    expect(evidence).toContain('**Rate-limit headroom**');
    expect(evidence).toContain('- Claude API (api.anthropic.com): operational');
    expect(evidence).toContain('No unresolved incident.');
    expect(evidence).toContain('**Findings**');
    expect(evidence).toContain('- 529 overloaded\\_error ×3: Overloaded');
  });

  it('says the status page is unknown, with the reason, when it could not be read', () => {
    const page = { ...operationalPage(), ok: false, error: 'HTTP 403 (challenge page)', components: [] };
    const out = renderNewBody(inputFor(evidenceOf(overloadedEvidence(STARTED).samples, page)));
    expect(readSection(out, 'evidence')).toContain('Status page unknown: HTTP 403 (challenge page)');
  });

  it('renders an upstream incident name with a mention, reference, HTML, fence and pipe inert', () => {
    const name = '@team see #1 <img src=x onerror=alert(1)> ```` | acme/api#7';
    const page = {
      ...operationalPage(),
      incidents: [
        statusIncident({
          name,
          latestUpdate: { status: 'identified', body: `${name}\n\`\`\`\`\`\``, at: null },
        }),
      ],
    };
    const out = renderNewBody(inputFor(evidenceOf(overloadedEvidence(STARTED).samples, page)));
    expect(out).not.toMatch(/@team|#\d/);
    // HTML is escaped everywhere except inside the fenced update body, where code shows it as text.
    const outsideFences = out.replace(/^(`{3,})\n[\s\S]*?\n\1$/gm, '');
    expect(outsideFences).not.toContain('<img');
    const evidence = readSection(out, 'evidence') ?? '';
    const row = evidence.split('\n').find((l) => l.includes('see \\#')) ?? '';
    expect(cellsOf(row)).toHaveLength(6);
    // The update body sits in a fence longer than the six-backtick run inside it.
    expect(evidence).toContain('```````\n');
  });

  it('stays under GitHub body limit with 300 KB HTML error pages and 200 status incidents', () => {
    const html = (i: number): string =>
      `<!DOCTYPE html><html><body><h1>502 Bad Gateway ${i}</h1>${'<p>upstream connect error @oncall #12</p>'.repeat(7_500)}</body></html>`;
    const samples: ProbeSample[] = Array.from({ length: 20 }, (_, i) => ({
      ...overloadedSample(HAIKU, i, STARTED, `req_0${i}`),
      httpStatus: 502,
      errorType: null,
      errorMessage: html(i),
    }));
    expect(samples[0]?.errorMessage?.length).toBeGreaterThan(300_000);
    const incidents = Array.from({ length: 200 }, (_, i) =>
      statusIncident({
        id: `inc${i}`,
        name: `Elevated errors ${i} ${'x'.repeat(2_000)}`,
        latestUpdate: { status: 'investigating', body: 'y'.repeat(20_000), at: null },
      }),
    );
    const evidence = evidenceOf(samples, { ...operationalPage(), incidents });
    const out = renderNewBody(inputFor(evidence));
    expect(out.length).toBeLessThanOrEqual(GITHUB_BODY_LIMIT);
    for (const name of SECTIONS) expect(readSection(out, name)).not.toBeNull();
    expect(out).not.toMatch(/<p>|<html|@oncall|#12/);
  });

  it('cuts the body with a note when even the smallest evidence is too large', () => {
    const models = Array.from({ length: 600 }, (_, i) => `model-${i}-${'m'.repeat(60)}`);
    const samples = models.map((m, i) => overloadedSample(m, 0, STARTED, `req_${i}`));
    const out = renderNewBody(inputFor(evidenceOf(samples)));
    expect(out.length).toBeLessThanOrEqual(GITHUB_BODY_LIMIT);
    expect(out).toMatch(/_Truncated: GitHub refuses text over 65,536 characters\..*_\n$/);
    expect(out.startsWith(INCIDENT_MARKER)).toBe(true);
  });
});

/** The updated body when at least one machine section was rewritten; null when the plan must fall back to comments. */
function renderUpdatedBody(existingBody: string, input: RenderInput): string | null {
  const update = updateBody(existingBody, input);
  return update.sectionsWritten === 0 ? null : update.body;
}

describe('updateBody', () => {
  it('rewrites the summary and memory but keeps the incident evidence on a healthy run', () => {
    const opened = renderNewBody(inputFor(overloadedEvidence(STARTED)));
    const later = new Date('2026-03-04T10:30:00.000Z');
    const memory = {
      ...MEMORY,
      healthyStreak: 1,
      lastRunAt: later.toISOString(),
      recoveredAt: later.toISOString(),
    };
    const out =
      renderUpdatedBody(opened, inputFor(healthyEvidence(later.toISOString()), memory, later)) ?? '';
    expect(readSection(out, 'summary')).toContain('recovering: 1 of 2 healthy runs needed to close');
    expect(readSection(out, 'evidence')).toBe(readSection(opened, 'evidence'));
    expect(readSection(out, 'impact')).toBe(readSection(opened, 'impact'));
    expect(readMemory(out)).toEqual(memory);
  });

  it('returns null rather than cut what people wrote when the result would exceed the limit', () => {
    const opened = renderNewBody(inputFor(overloadedEvidence(STARTED)));
    const crowded = `${opened}\n${'People wrote a very long timeline. '.repeat(1_650)}`;
    expect(crowded.length).toBeLessThanOrEqual(GITHUB_BODY_LIMIT);
    const models = Array.from({ length: 40 }, (_, i) => `claude-model-${i}`);
    const wide = evidenceOf(models.map((m, i) => overloadedSample(m, 0, STARTED, `req_${i}`)));
    expect(renderUpdatedBody(crowded, inputFor(wide))).toBeNull();
  });

  it('returns null when every machine section is gone', () => {
    const bare = `${INCIDENT_MARKER}\nPeople rewrote the whole issue.\n`;
    expect(renderUpdatedBody(bare, inputFor(overloadedEvidence(STARTED)))).toBeNull();
  });
});

describe('comments', () => {
  it('a change comment says from, to, why and links the run', () => {
    const verdict = verdictOf(overloadedEvidence(STARTED));
    const comment = renderChangeComment(
      { severity: 'P3', diagnosis: 'intermittent_errors' },
      { severity: 'P1', diagnosis: 'overloaded' },
      verdict,
      CONFIG,
    );
    expect(comment.split('\n')[0]).toBe('**Escalated: P3 Intermittent errors → P1 API overloaded (529)**');
    expect(comment).toContain('- P1 · API overloaded (529)');
    expect(comment).toContain(`[workflow run](${RUN_URL})`);
  });

  it('a close comment gives start, end, duration, peak, diagnoses and the request ids collected', () => {
    const memory: IncidentMemory = {
      ...MEMORY,
      severity: 'P3',
      diagnosesSeen: ['overloaded', 'intermittent_errors'],
      healthyStreak: 2,
      recoveredAt: '2026-03-04T11:35:00.000Z',
    };
    const comment = renderCloseComment(memory, new Date('2026-03-04T11:40:00.000Z'), CONFIG);
    expect(comment).toContain('**Recovered.** 2 consecutive healthy runs; closing.');
    expect(comment).toContain('- Started: 2026-03-04 10:00 UTC');
    expect(comment).toContain('- Ended: 2026-03-04 11:35 UTC');
    expect(comment).toContain('- Duration: 1 h 34 min');
    expect(comment).toContain('- Peak severity: **P1**');
    expect(comment).toContain('- Diagnoses seen: API overloaded (529), Intermittent errors');
    expect(comment).toContain(
      '- Request ids collected: 3, most recent first (Anthropic support asks for these):\n' +
        '  - `req_01RCc7MbLyQNtGKzBTv8VCep`\n',
    );
    expect(comment).toContain('Action Items');
  });
});

describe('secrets', () => {
  it('never shows the API key or the GitHub token in any rendered text, even when upstream echoes them', () => {
    const echo = `invalid x-api-key ${API_KEY} (token ${GITHUB_TOKEN})`;
    const samples: ProbeSample[] = [
      { ...overloadedSample(HAIKU, 0, STARTED, 'req_1'), errorMessage: echo },
      { ...overloadedSample(HAIKU, 1, STARTED, API_KEY), errorMessage: encodeURIComponent(echo) },
      {
        ...overloadedSample(HAIKU, 2, STARTED, 'req_3'),
        rateLimit: { 'anthropic-ratelimit-requests-limit': API_KEY },
      },
    ];
    const page = {
      ...operationalPage(),
      description: echo,
      incidents: [
        statusIncident({ name: echo, latestUpdate: { status: 'identified', body: echo, at: null } }),
      ],
    };
    const evidence = evidenceOf(samples, page);
    const input = inputFor(evidence, { ...MEMORY, requestIds: [API_KEY, 'req_1'] });
    const from = { severity: 'P3' as const, diagnosis: 'intermittent_errors' as const };
    const to = { severity: 'P1' as const, diagnosis: 'overloaded' as const };
    const body = renderNewBody(input);
    const outputs = [
      body,
      renderUpdatedBody(body, input) ?? '',
      renderChangeComment(from, to, input.verdict, CONFIG),
      renderFallbackComment(from, to, input),
      renderCloseComment(input.memory, NOW, CONFIG),
    ];
    for (const out of outputs) {
      // Fragments too: escaping for markdown changes how a secret is spelled (`_` becomes `\_`).
      expect(out).not.toContain('sk-ant-');
      expect(out).not.toContain('T3stK3y');
      expect(out).not.toContain('notReal');
      expect(out).not.toContain('QRSTUV');
      expect(out).not.toContain('testTokenNotReal');
    }
    expect(body).toContain('[REDACTED]');
  });
});

describe('formatDuration', () => {
  it('reads in days, hours and minutes', () => {
    expect(formatDuration(30_000)).toBe('under a minute');
    expect(formatDuration(65 * 60_000)).toBe('1 h 5 min');
    expect(formatDuration((2 * 24 * 60 + 3 * 60) * 60_000)).toBe('2 d 3 h');
  });
});
