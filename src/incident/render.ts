/**
 * The incident issue rendered from data: title, body (the runbook's postmortem template), timeline
 * comments. Pure. Upstream text goes through `text/inert`, everything machine-written through
 * `text/redact`, and every body or comment fits GitHub's size limit.
 */
import type { Config } from '../config/types.js';
import type { Evidence, StatusPageReading } from '../evidence.js';
import { inertCode, inertInline } from '../text/inert.js';
import { redact, redactDeep } from '../text/redact.js';
import { RUNBOOK, SEVERITY_MEANING } from '../verdict/runbook.js';
import { severityRank } from '../verdict/types.js';
import type { Diagnosis, ModelVerdict, Severity, Verdict } from '../verdict/types.js';
import { EVIDENCE_DETAIL, evidenceMarkdown } from './evidence-markdown.js';
import type { EvidenceDetail } from './evidence-markdown.js';
import {
  GITHUB_BODY_LIMIT,
  GITHUB_TITLE_LIMIT,
  MODEL_CHARS,
  SHORT_CHARS,
  diagnosisTitle,
  elapsed,
  findingLine,
  fitToGitHubLimit,
  formatCount,
  formatDuration,
  formatMs,
  formatPercent,
  formatTime,
  link,
  runLink,
} from './format.js';
import { INCIDENT_MARKER, renderSection, replaceSection } from './markers.js';
import type { SectionName } from './markers.js';
import type { CloseGate, Gap } from './hysteresis.js';
import { insertMemory, memoryComment, writeMemory } from './memory.js';
import type { IncidentMemory } from './types.js';

export { GITHUB_BODY_LIMIT, GITHUB_TITLE_LIMIT, formatDuration, formatTime } from './format.js';

/** How many request ids the Request IDs section shows, most recent first. */
export const REQUEST_IDS_SHOWN = 20;
/** Findings quoted in the Detection section and in timeline comments. */
const FINDINGS_QUOTED = 10;
/** Models named in a title before "+N more". */
const TITLE_MODELS = 3;

/** The configuration the renderer reads: the secrets are only used to redact. */
export type RenderConfig = Pick<
  Config,
  | 'models'
  | 'latencyThresholdMs'
  | 'errorRateThreshold'
  | 'recoveryRuns'
  | 'runUrl'
  | 'statusPageUrl'
  | 'anthropicApiKey'
  | 'githubToken'
>;

export interface RenderInput {
  verdict: Verdict;
  evidence: Evidence;
  /** The memory as it will be stored by this run: the incident's state after this observation. */
  memory: IncidentMemory;
  config: RenderConfig;
  now: Date;
  /** Why a recovering incident is not closed yet, when the planner measured it. */
  closeGate?: CloseGate;
}

/** Where the incident stands, derived from memory: what the summary and duration sections say. */
type Phase = 'ongoing' | 'recovering' | 'resolved';

/**
 * Resolved once the action closed the issue (or the episode people closed has ended); a healthy streak
 * alone is not enough, because closing also waits for the error rate (hysteresis.ts).
 */
function phaseOf(memory: IncidentMemory): Phase {
  if (memory.closedAt !== undefined || memory.episodeEndedAt !== undefined) return 'resolved';
  return memory.healthyStreak === 0 ? 'ongoing' : 'recovering';
}

function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** What a recovering incident still waits for: more healthy runs, or the error rate to fall. */
function recoveryProgress(memory: IncidentMemory, config: RenderConfig, gate: CloseGate | undefined): string {
  const needed = Math.max(1, config.recoveryRuns);
  if (gate === undefined || gate.streak < gate.needed || gate.worst?.rate == null) {
    return `${memory.healthyStreak} of ${needed} healthy runs needed to close`;
  }
  return (
    `${plural(memory.healthyStreak, 'healthy run')} in a row; waiting for the error rate over the last ` +
    `${plural(gate.lookback, 'run')} (${formatPercent(gate.worst.rate)} on ` +
    `${inertInline(gate.worst.model, MODEL_CHARS)}) to fall under ${formatPercent(config.errorRateThreshold)} ` +
    `before closing`
  );
}

function secretsOf(config: Pick<Config, 'anthropicApiKey' | 'githubToken'>): string[] {
  return [config.anthropicApiKey, config.githubToken];
}

/**
 * The input with every upstream string redacted, before anything is escaped (escaping changes how a
 * secret is spelled). The finished text is redacted once more on the way out.
 */
function redactedInput(input: RenderInput): RenderInput {
  const secrets = secretsOf(input.config);
  return {
    ...input,
    verdict: redactDeep(input.verdict, secrets),
    evidence: redactDeep(input.evidence, secrets),
    memory: redactDeep(input.memory, secrets),
  };
}

// ---------------------------------------------------------------------------------------------------
// Title

/** `P1 Claude API incident: API overloaded (529) on claude-haiku-4-5`, within GitHub's title limit. */
export function renderTitle(severity: Severity, diagnosis: Diagnosis, models: readonly string[]): string {
  const head = `${severity} Claude API incident: ${diagnosisTitle(diagnosis)}`;
  // Fewer model names until it fits, rather than cutting mid-name (or mid-escape, like `\_`).
  for (let shown = Math.min(TITLE_MODELS, models.length); shown > 0; shown--) {
    const named = models.slice(0, shown).map((m) => inertInline(m, MODEL_CHARS));
    const more = models.length > shown ? ` +${models.length - shown} more` : '';
    const title = `${head} on ${named.join(', ')}${more}`;
    if (title.length <= GITHUB_TITLE_LIMIT) return title;
  }
  return models.length > 0 ? `${head} on ${models.length} models` : head;
}

// ---------------------------------------------------------------------------------------------------
// Machine sections

function summarySection(input: RenderInput): string {
  const { memory, config, now } = input;
  const headline = `**${memory.severity} · ${diagnosisTitle(memory.diagnosis)}**`;
  const checked = `Last checked ${formatTime(now.toISOString())} by ${runLink(config.runUrl)}.`;
  switch (phaseOf(memory)) {
    case 'ongoing':
      return `${headline}: ongoing since ${formatTime(memory.openedAt)}. ${checked}`;
    case 'recovering':
      return `${headline}: recovering: ${recoveryProgress(memory, config, input.closeGate)}. ${checked}`;
    case 'resolved':
      return `**Resolved** after ${durationOf(memory, now)}; peak severity ${memory.peakSeverity}. ${checked}`;
  }
}

/** End = the first healthy observation of the recovery; duration runs to it, or to now while ongoing. */
function durationOf(memory: IncidentMemory, now: Date): string {
  return elapsed(memory.openedAt, memory.recoveredAt ?? now.toISOString());
}

function durationSection(input: RenderInput): string {
  const { memory, config, now } = input;
  const lines = [`- Started: ${formatTime(memory.openedAt)} (first unhealthy run)`];
  switch (phaseOf(memory)) {
    case 'ongoing':
      lines.push('- Ended: ongoing', `- Duration so far: ${durationOf(memory, now)}`);
      break;
    case 'recovering':
      lines.push(
        `- Ended: not yet; healthy since ${formatTime(memory.recoveredAt ?? now.toISOString())}, ` +
          `${memory.healthyStreak} of ${config.recoveryRuns} healthy runs needed to close`,
        `- Duration so far: ${durationOf(memory, now)}`,
      );
      break;
    case 'resolved':
      lines.push(
        `- Ended: ${formatTime(memory.recoveredAt ?? now.toISOString())} (first healthy run of the recovery)`,
        `- Duration: ${durationOf(memory, now)}`,
      );
      break;
  }
  return lines.join('\n');
}

function severitySection(input: RenderInput): string {
  const { memory } = input;
  const resolved = phaseOf(memory) === 'resolved';
  return [
    `- ${resolved ? 'Last' : 'Current'}: **${memory.severity}**: ${SEVERITY_MEANING[memory.severity]}`,
    `- Peak: **${memory.peakSeverity}**: ${SEVERITY_MEANING[memory.peakSeverity]}`,
    `- Diagnoses seen: ${memory.diagnosesSeen.map(diagnosisTitle).join(', ')}`,
  ].join('\n');
}

function modelImpactLine(model: ModelVerdict, config: RenderConfig): string {
  const { stats } = model;
  const name = inertInline(model.model, MODEL_CHARS);
  const reached = stats.samples - stats.unreachable;
  const parts = [
    `${formatCount(stats.failed)} of ${formatCount(reached)} requests failed ` +
      `(${formatPercent(stats.errorRate)} error rate; threshold ${formatPercent(config.errorRateThreshold)})`,
    `p99 ${formatMs(stats.p99Ms)} (threshold ${formatMs(config.latencyThresholdMs)})`,
  ];
  if (stats.unreachable > 0) parts.push(`${formatCount(stats.unreachable)} never reached the API`);
  if (stats.canaryFailures > 0) parts.push(`${formatCount(stats.canaryFailures)} wrong canary answers`);
  const verdict = model.severity === null ? 'healthy' : `**${model.severity}**`;
  return `- ${name}: ${verdict}; ${parts.join('; ')}`;
}

function statusPageImpactLine(page: StatusPageReading): string {
  if (!page.ok) return `- Status page: unknown (${inertInline(page.error ?? 'no reason given', 200)})`;
  const indicator = inertInline(page.indicator ?? 'no indicator', SHORT_CHARS);
  const unresolved = page.incidents.length;
  return `- Status page: ${indicator}; ${unresolved} unresolved incident${unresolved === 1 ? '' : 's'}`;
}

function impactSection(input: RenderInput): string {
  const { verdict, evidence, config } = input;
  return [
    `Observed by the latest unhealthy run, ${formatTime(evidence.startedAt)}:`,
    '',
    ...verdict.models.map((m) => modelImpactLine(m, config)),
    statusPageImpactLine(evidence.statusPage),
  ].join('\n');
}

function samplesPerModel(verdict: Verdict): number {
  return Math.max(0, ...verdict.models.map((m) => m.stats.samples));
}

function detectionSection(input: RenderInput): string {
  const { verdict, evidence, config } = input;
  const models = config.models.map((m) => inertInline(m, MODEL_CHARS)).join(', ');
  const lines = [
    `- When: ${formatTime(evidence.startedAt)}`,
    `- By: ${runLink(config.runUrl)}`,
    `- Probe: ${samplesPerModel(verdict)} Messages API request(s) per model to ${models}, ` +
      `and the status page ${link(config.statusPageUrl, config.statusPageUrl)}`,
    '- Findings at detection:',
    ...verdict.findings.slice(0, FINDINGS_QUOTED).map((f) => `  ${findingLine(f)}`),
  ];
  return lines.join('\n');
}

function mitigationSection(diagnosis: Diagnosis): string {
  const entry = RUNBOOK[diagnosis];
  return [
    `Runbook for **${entry.title}**: ${entry.meaning}`,
    '',
    ...entry.mitigations.map((m) => `- ${m}`),
  ].join('\n');
}

function requestIdsSection(memory: IncidentMemory): string {
  if (memory.requestIds.length === 0) return '_No failing request returned a request id so far._';
  const newestFirst = [...memory.requestIds].reverse();
  const shown = newestFirst.slice(0, REQUEST_IDS_SHOWN).map((id) => `- ${inertCode(id, 140)}`);
  const hidden = newestFirst.length - shown.length;
  const more = hidden > 0 ? [`- …and ${hidden} older (kept in the issue's hidden memory)`] : [];
  return [
    'Failing requests, most recent first (Anthropic support asks for these):',
    '',
    ...shown,
    ...more,
  ].join('\n');
}

// ---------------------------------------------------------------------------------------------------
// Bodies

/** The postmortem follow-ups every incident needs, after the runbook's actions for the diagnosis. */
const POSTMORTEM_ACTION_ITEMS = [
  'Write the root cause above once it is known',
  'Describe the impact on users above, with the figures from Impact and Evidence',
  'Open follow-up issues for prevention and link them here',
  'Share this postmortem with the affected teams',
];

function actionItems(diagnosis: Diagnosis): string {
  return [...RUNBOOK[diagnosis].mitigations, ...POSTMORTEM_ACTION_ITEMS]
    .map((item) => `- [ ] ${item}`)
    .join('\n');
}

type SectionContents = Partial<Record<SectionName, string>>;

/** Sections describing the episode as a whole: rewritten on every run. */
function episodeSections(input: RenderInput): SectionContents {
  return {
    summary: summarySection(input),
    duration: durationSection(input),
    severity: severitySection(input),
    'request-ids': requestIdsSection(input.memory),
  };
}

/**
 * Sections describing what an unhealthy run observed: rewritten by unhealthy runs only, so the evidence
 * of the incident stays in the issue for the postmortem while it recovers. Detection is written once.
 */
function observationSections(input: RenderInput, detail: EvidenceDetail): SectionContents {
  return {
    impact: impactSection(input),
    mitigation: mitigationSection(input.memory.diagnosis),
    evidence: evidenceMarkdown(input.verdict, input.evidence, input.config.runUrl, detail),
  };
}

function redacted(contents: SectionContents, secrets: readonly string[]): Record<SectionName, string> {
  const out = {} as Record<SectionName, string>;
  for (const [name, content] of Object.entries(contents) as [SectionName, string][]) {
    out[name] = redact(content, secrets);
  }
  return out;
}

function newBodyAt(input: RenderInput, detail: EvidenceDetail): string {
  const secrets = secretsOf(input.config);
  const s = redacted(
    {
      ...episodeSections(input),
      ...observationSections(input, detail),
      detection: detectionSection(input),
    },
    secrets,
  );
  return [
    INCIDENT_MARKER,
    memoryComment(input.memory),
    renderSection('summary', s.summary),
    '',
    '## Postmortem',
    '',
    '### Duration',
    '',
    renderSection('duration', s.duration),
    '',
    '### Severity',
    '',
    renderSection('severity', s.severity),
    '',
    '### Impact',
    '',
    renderSection('impact', s.impact),
    '',
    '_Describe the impact on users and systems here._',
    '',
    '### Root Cause',
    '',
    '_What caused it? Write it here once known; this part is yours and the action never changes it._',
    '',
    '### Detection',
    '',
    renderSection('detection', s.detection),
    '',
    '### Mitigation',
    '',
    renderSection('mitigation', s.mitigation),
    '',
    '### Request IDs',
    '',
    renderSection('request-ids', s['request-ids']),
    '',
    '### Action Items',
    '',
    actionItems(input.memory.diagnosis),
    '',
    '## Evidence',
    '',
    renderSection('evidence', s.evidence),
    '',
  ].join('\n');
}

/**
 * A new incident body: the runbook's postmortem template with the machine sections filled in. At most
 * GITHUB_BODY_LIMIT characters: the evidence shrinks first, then the body is cut with a note.
 */
export function renderNewBody(rawInput: RenderInput): string {
  const input = redactedInput(rawInput);
  let body = '';
  for (const detail of EVIDENCE_DETAIL) {
    body = newBodyAt(input, detail);
    if (body.length <= GITHUB_BODY_LIMIT) return body;
  }
  return fitToGitHubLimit(body);
}

export interface BodyUpdate {
  /** The new body, or null when it cannot be written within GitHub's limit. */
  body: string | null;
  /** How many machine sections were found intact and rewritten. */
  sectionsWritten: number;
}

function updateAt(existingBody: string, input: RenderInput, detail: EvidenceDetail): BodyUpdate {
  const secrets = secretsOf(input.config);
  const unhealthy = input.verdict.kind === 'unhealthy';
  const contents = redacted(
    { ...episodeSections(input), ...(unhealthy ? observationSections(input, detail) : {}) },
    secrets,
  );
  let body = existingBody;
  let sectionsWritten = 0;
  for (const [name, content] of Object.entries(contents) as [SectionName, string][]) {
    const replaced = replaceSection(body, name, content);
    if (replaced === null) continue;
    body = replaced;
    sectionsWritten += 1;
  }
  body = writeMemory(body, input.memory) ?? insertMemory(body, input.memory) ?? body;
  return { body, sectionsWritten };
}

/** Observations kept when the memory alone has to squeeze into a full body: the default window. */
const SQUEEZED_WINDOW = 6;

/** The memory, then smaller copies of it: the window is the only part that can go (the counters stay). */
function shrinkingMemories(memory: IncidentMemory): IncidentMemory[] {
  const window = memory.window ?? [];
  return [memory, { ...memory, window: window.slice(-SQUEEZED_WINDOW) }, { ...memory, window: [] }];
}

/**
 * The existing body with the memory and the machine sections that are still intact rewritten; every
 * byte outside them is kept. Sections people removed stay removed. The memory comment is written back
 * after the incident marker if people deleted it. When people's text leaves no room for the sections
 * even with the smallest evidence, only the memory is written (`sectionsWritten` 0: the caller posts
 * the facts as comments), so the incident still counts its runs and closes. `body` is null only when
 * not even that fits (people's text is never cut).
 */
export function updateBody(existingBody: string, rawInput: RenderInput): BodyUpdate {
  const input = redactedInput(rawInput);
  let update: BodyUpdate = { body: null, sectionsWritten: 0 };
  for (const detail of EVIDENCE_DETAIL) {
    update = updateAt(existingBody, input, detail);
    if (update.body !== null && update.body.length <= GITHUB_BODY_LIMIT) return update;
  }
  // Our own sections are the only bytes we may shorten: as a last resort they shrink to one line each, so
  // the memory still fits next to people's text and the incident keeps counting towards its close.
  for (const base of [existingBody, withTrimmedSections(existingBody)]) {
    for (const memory of shrinkingMemories(input.memory)) {
      const body = writeMemory(base, memory) ?? insertMemory(base, memory);
      if (body !== null && body.length <= GITHUB_BODY_LIMIT) return { body, sectionsWritten: 0 };
    }
  }
  return { body: null, sectionsWritten: update.sectionsWritten };
}

const TRIMMED_SECTION =
  '_Trimmed: the issue body is at GitHub’s 65,536-character limit; updates go to comments._';

/** Every intact machine section replaced by a one-line note; people's text untouched. */
function withTrimmedSections(body: string): string {
  const names: SectionName[] = [
    'summary',
    'duration',
    'severity',
    'impact',
    'detection',
    'mitigation',
    'request-ids',
    'evidence',
  ];
  return names.reduce((current, name) => replaceSection(current, name, TRIMMED_SECTION) ?? current, body);
}

// ---------------------------------------------------------------------------------------------------
// Comments

export interface IncidentState {
  severity: Severity;
  diagnosis: Diagnosis;
}

function changeHeadline(from: IncidentState, to: IncidentState): string {
  const fromRank = severityRank(from.severity);
  const toRank = severityRank(to.severity);
  const verb = toRank < fromRank ? 'Escalated' : toRank > fromRank ? 'De-escalated' : 'Diagnosis changed';
  return (
    `**${verb}: ${from.severity} ${diagnosisTitle(from.diagnosis)} → ` +
    `${to.severity} ${diagnosisTitle(to.diagnosis)}**`
  );
}

function changeLines(
  from: IncidentState,
  to: IncidentState,
  verdict: Verdict,
  config: Pick<Config, 'runUrl'>,
): string[] {
  return [
    changeHeadline(from, to),
    '',
    `Now: ${SEVERITY_MEANING[to.severity]}. ${RUNBOOK[to.diagnosis].meaning}`,
    '',
    'Why:',
    '',
    ...findingLines(verdict),
    '',
    `Observed by ${runLink(config.runUrl)}. The Mitigation section above now shows this diagnosis's runbook.`,
  ];
}

/** Timeline comment for a change of severity or diagnosis: from, to, why, and the run that saw it. */
export function renderChangeComment(
  from: IncidentState,
  to: IncidentState,
  verdict: Verdict,
  config: Pick<Config, 'runUrl' | 'anthropicApiKey' | 'githubToken'>,
): string {
  const secrets = secretsOf(config);
  const text = changeLines(from, to, redactDeep(verdict, secrets), config).join('\n');
  return fitToGitHubLimit(redact(text, secrets));
}

/**
 * The comment posted instead of a body update when people removed every machine section: the change
 * and the current evidence, so the timeline still has the facts.
 */
export function renderFallbackComment(from: IncidentState, to: IncidentState, rawInput: RenderInput): string {
  const input = redactedInput(rawInput);
  const secrets = secretsOf(input.config);
  for (const detail of EVIDENCE_DETAIL) {
    const text = [
      ...changeLines(from, to, input.verdict, input.config),
      '',
      '---',
      '',
      evidenceMarkdown(input.verdict, input.evidence, input.config.runUrl, detail),
    ].join('\n');
    const comment = redact(text, secrets);
    if (comment.length <= GITHUB_BODY_LIMIT) return comment;
  }
  return fitToGitHubLimit(redact(changeLines(from, to, input.verdict, input.config).join('\n'), secrets));
}

/** Request ids the close record lists, most recent first; the rest stay in the hidden memory. */
const CLOSE_REQUEST_IDS = 20;

function closeRequestIdLines(memory: IncidentMemory): string[] {
  const ids = memory.requestIds;
  if (ids.length === 0) return ['- Request ids collected: none (no failing request returned one)'];
  const newestFirst = [...ids].reverse();
  const shown = newestFirst.slice(0, CLOSE_REQUEST_IDS).map((id) => `  - ${inertCode(id, 140)}`);
  const hidden = newestFirst.length - shown.length;
  return [
    `- Request ids collected: ${ids.length}, most recent first (Anthropic support asks for these):`,
    ...shown,
    ...(hidden > 0 ? [`  - …and ${hidden} older (kept in the issue's hidden memory)`] : []),
  ];
}

function episodeEventLines(memory: IncidentMemory): string[] {
  const lines: string[] = [];
  for (const gap of memory.gaps ?? []) {
    lines.push(
      `- Monitoring gap: no observation from ${formatTime(gap.from)} to ${formatTime(gap.to)} (${elapsed(gap.from, gap.to)})`,
    );
  }
  for (const r of memory.reopenings ?? []) {
    lines.push(
      `- Recovery did not hold: closed ${formatTime(r.closedAt)}, recurred ${formatTime(r.reopenedAt)} (${elapsed(r.closedAt, r.reopenedAt)} later)`,
    );
  }
  return lines;
}

/** What happens if the problem comes back: reopened within the reopen window, a new issue after it. */
function recurrenceSentence(reopenWindowMs: number | undefined): string {
  if (reopenWindowMs === undefined || reopenWindowMs <= 0)
    return 'If the problem comes back, a new run opens a new issue.';
  return (
    `If the problem comes back within ${formatDuration(reopenWindowMs)}, this issue is reopened; ` +
    'later, a new issue is opened.'
  );
}

/**
 * The close record: start, end, duration, peak severity, every diagnosis seen, the request ids
 * collected, gaps in monitoring and recoveries that did not hold. The Action Items stay for people.
 */
export function renderCloseComment(
  memory: IncidentMemory,
  now: Date,
  config: Pick<Config, 'runUrl' | 'anthropicApiKey' | 'githubToken'> & { reopenWindowMs?: number },
): string {
  const ended = memory.recoveredAt ?? now.toISOString();
  const text = [
    `**Recovered.** ${plural(memory.healthyStreak, 'consecutive healthy run')}; closing.`,
    '',
    `- Started: ${formatTime(memory.openedAt)}`,
    `- Ended: ${formatTime(ended)} (first healthy run of the recovery)`,
    `- Duration: ${elapsed(memory.openedAt, ended)}`,
    `- Peak severity: **${memory.peakSeverity}**: ${SEVERITY_MEANING[memory.peakSeverity]}`,
    `- Diagnoses seen: ${memory.diagnosesSeen.map(diagnosisTitle).join(', ')}`,
    ...closeRequestIdLines(memory),
    ...episodeEventLines(memory),
    '',
    `The Action Items in the issue are left for the postmortem. ${recurrenceSentence(config.reopenWindowMs)}`,
    '',
    `Closed by ${runLink(config.runUrl)}.`,
  ].join('\n');
  return fitToGitHubLimit(redact(text, secretsOf(config)));
}

type CommentConfig = Pick<Config, 'runUrl' | 'anthropicApiKey' | 'githubToken'>;

function findingLines(verdict: Verdict): string[] {
  const findings = verdict.findings.slice(0, FINDINGS_QUOTED).map(findingLine);
  const more = verdict.findings.length - findings.length;
  return [
    ...(findings.length > 0 ? findings : ['- no finding recorded']),
    ...(more > 0 ? [`- …and ${more} more`] : []),
  ];
}

function finished(lines: readonly string[], config: CommentConfig): string {
  return fitToGitHubLimit(redact(lines.join('\n'), secretsOf(config)));
}

/** The timeline line for a gap in monitoring: nothing is known about what happened in it. */
export function renderGapLine(gap: Gap): string {
  return (
    `**No observation from ${formatTime(gap.from)} to ${formatTime(gap.to)} (${elapsed(gap.from, gap.to)}).** ` +
    'The workflow did not run, or its runs could not reach the API: what happened in between is unknown.'
  );
}

/** A comment with the gap line after it (one comment per run), or the gap line alone. */
export function withGapLine(comment: string | null, gap: Gap | null): string | null {
  if (gap === null) return comment;
  return comment === null
    ? renderGapLine(gap)
    : fitToGitHubLimit(`${comment}\n\n---\n\n${renderGapLine(gap)}`);
}

/** A reminder on an incident that has not changed for `reminder-interval`. */
export function renderReminderComment(
  memory: IncidentMemory,
  verdict: Verdict,
  now: Date,
  config: CommentConfig & { reminderIntervalMs: number },
): string {
  const since = formatTime(memory.openedAt);
  const last = memory.lastCommentAt ?? memory.openedAt;
  return finished(
    [
      `**Reminder: still ${memory.severity} ${diagnosisTitle(memory.diagnosis)}**, ongoing since ${since} ` +
        `(${elapsed(memory.openedAt, now.toISOString())}); no change since ${formatTime(last)}.`,
      '',
      'Latest findings:',
      '',
      ...findingLines(redactDeep(verdict, secretsOf(config))),
      '',
      `Observed by ${runLink(config.runUrl)}. The next reminder comes in ${formatDuration(config.reminderIntervalMs)} ` +
        'unless the incident changes or recovers first.',
    ],
    config,
  );
}

/** Posted when a closed incident recurs within the reopen window: the same episode continues. */
export function renderReopenComment(
  closedAt: string,
  to: IncidentState,
  verdict: Verdict,
  now: Date,
  config: CommentConfig,
): string {
  const at = now.toISOString();
  return finished(
    [
      `**Recurred: reopening.** The recovery of ${formatTime(closedAt)} did not hold: ` +
        `**${to.severity} ${diagnosisTitle(to.diagnosis)}** at ${formatTime(at)}, ${elapsed(closedAt, at)} later. ` +
        'The same incident continues here: start time, peak severity and diagnoses carry on.',
      '',
      `Now: ${SEVERITY_MEANING[to.severity]}. ${RUNBOOK[to.diagnosis].meaning}`,
      '',
      'Why:',
      '',
      ...findingLines(redactDeep(verdict, secretsOf(config))),
      '',
      `Observed by ${runLink(config.runUrl)}.`,
    ],
    config,
  );
}

/**
 * Posted once on an incident issue people closed while the API was still failing: the action respects
 * the close, and says when it will open a new issue.
 */
export function renderClosedByPeopleNote(
  current: IncidentState,
  verdict: Verdict,
  config: CommentConfig & { recoveryRuns: number },
): string {
  const runs = plural(Math.max(1, config.recoveryRuns), 'healthy run');
  return finished(
    [
      `**Still failing after this issue was closed: ${current.severity} ${diagnosisTitle(current.diagnosis)}.** ` +
        'The action will not reopen it or open another issue for this incident.',
      '',
      `It keeps watching quietly: once the API has been healthy for ${runs} in a row the incident is over, ` +
        'and a later failure opens a new issue. Reopen this issue to have it maintained again.',
      '',
      'Latest findings:',
      '',
      ...findingLines(redactDeep(verdict, secretsOf(config))),
      '',
      `Observed by ${runLink(config.runUrl)}.`,
    ],
    config,
  );
}

/** The comment on a duplicate incident issue: GitHub links `Duplicate of #N` to the issue kept. */
export function renderDuplicateComment(keptNumber: number): string {
  return [
    `Duplicate of #${keptNumber}`,
    '',
    `Two runs opened an issue for the same incident at about the same time. #${keptNumber} is older and ` +
      'keeps the timeline; this one is closed as its duplicate so that there is one issue per incident.',
  ].join('\n');
}
