/**
 * The Evidence section of the incident issue: per-model figures, rate-limit headroom, the status page,
 * findings and the errors seen. Every upstream value goes through `text/inert`. Pure.
 */
import type { Evidence, ProbeSample, StatusPageReading } from '../evidence.js';
import { inertBlock, inertInline } from '../text/inert.js';
import type { ModelVerdict, Verdict } from '../verdict/types.js';
import {
  MODEL_CHARS,
  REASON_CHARS,
  SAFE_URL,
  SHORT_CHARS,
  findingLine,
  formatCount,
  formatMs,
  formatPercent,
  formatTime,
  link,
  runLink,
} from './format.js';

/** How much of the evidence to show: the body shrinks the evidence first when it is too long. */
export interface EvidenceDetail {
  incidents: number;
  updateChars: number;
  errorKinds: number;
  messageChars: number;
  findings: number;
}

export const EVIDENCE_DETAIL: readonly EvidenceDetail[] = [
  { incidents: 20, updateChars: 600, errorKinds: 8, messageChars: 300, findings: 50 },
  { incidents: 5, updateChars: 0, errorKinds: 3, messageChars: 120, findings: 15 },
  { incidents: 0, updateChars: 0, errorKinds: 0, messageChars: 0, findings: 5 },
];

function cell(text: string, maxChars = SHORT_CHARS): string {
  return inertInline(text, maxChars) || ' ';
}

function statusCountsText(counts: Record<string, number>): string {
  return Object.entries(counts)
    .filter(([, n]) => n > 0)
    .sort(([, a], [, b]) => b - a)
    .map(([key, n]) => `${key} ×${n}`)
    .join(', ');
}

function canaryText(model: ModelVerdict, samples: readonly ProbeSample[]): string {
  const checked = samples.filter((s) => s.model === model.model && s.canaryPassed !== null).length;
  if (checked === 0) return '–';
  const wrong = model.stats.canaryFailures;
  return wrong === 0 ? 'passed' : `${wrong} of ${checked} wrong`;
}

function modelTable(verdict: Verdict, evidence: Evidence): string[] {
  if (verdict.models.length === 0) return ['_No model was probed._'];
  const rows = verdict.models.map((m) =>
    [
      cell(m.model, MODEL_CHARS),
      m.severity ?? 'healthy',
      formatCount(m.stats.samples),
      formatCount(m.stats.succeeded),
      formatCount(m.stats.failed),
      formatPercent(m.stats.errorRate),
      formatMs(m.stats.p50Ms),
      formatMs(m.stats.p99Ms),
      cell(statusCountsText(m.stats.statusCounts), 200),
      canaryText(m, evidence.samples),
    ].join(' | '),
  );
  return [
    '| Model | Severity | Requests | OK | Failed | Error rate | p50 | p99 | Statuses | Canary |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |',
    ...rows.map((r) => `| ${r} |`),
  ];
}

/** Rate-limit families Anthropic reports, header prefix and how to name it. */
const RATE_LIMIT_FAMILIES: readonly (readonly [string, string])[] = [
  ['anthropic-ratelimit-requests', 'requests'],
  ['anthropic-ratelimit-tokens', 'tokens'],
  ['anthropic-ratelimit-input-tokens', 'input tokens'],
  ['anthropic-ratelimit-output-tokens', 'output tokens'],
  ['anthropic-priority-input-tokens', 'priority input tokens'],
  ['anthropic-priority-output-tokens', 'priority output tokens'],
];
const HEADER_VALUE_CHARS = 40;

function latestWithRateLimit(model: string, samples: readonly ProbeSample[]): ProbeSample | null {
  let latest: ProbeSample | null = null;
  for (const s of samples) {
    if (s.model !== model || Object.keys(s.rateLimit).length === 0) continue;
    if (latest === null || Date.parse(s.startedAt) >= Date.parse(latest.startedAt)) latest = s;
  }
  return latest;
}

function headroomLine(model: string, sample: ProbeSample): string {
  const value = (name: string): string | null => {
    const raw = sample.rateLimit[name];
    return raw === undefined ? null : inertInline(raw, HEADER_VALUE_CHARS);
  };
  const families = RATE_LIMIT_FAMILIES.flatMap(([prefix, label]) => {
    const remaining = value(`${prefix}-remaining`);
    const limit = value(`${prefix}-limit`);
    const reset = value(`${prefix}-reset`);
    if (remaining === null && limit === null && reset === null) return [];
    const resetText = reset === null ? '' : ` (reset ${reset})`;
    return [`${label} ${remaining ?? '?'}/${limit ?? '?'}${resetText}`];
  });
  return `- ${inertInline(model, MODEL_CHARS)}: ${families.join('; ') || 'no recognised rate-limit header'}`;
}

function headroomLines(verdict: Verdict, evidence: Evidence): string[] {
  const lines = verdict.models.flatMap((m) => {
    const sample = latestWithRateLimit(m.model, evidence.samples);
    return sample === null ? [] : [headroomLine(m.model, sample)];
  });
  return [
    '**Rate-limit headroom** (remaining/limit, latest response per model)',
    '',
    ...(lines.length > 0 ? lines : ['_No response carried rate-limit headers._']),
  ];
}

function statusPageLines(page: StatusPageReading, detail: EvidenceDetail): string[] {
  const title = `**Status page** ${link(page.url, page.url)}`;
  if (!page.ok)
    return [title, '', `Status page unknown: ${inertInline(page.error ?? 'no reason given', 300)}`];
  const lines = [
    title,
    '',
    `Indicator: ${inertInline(page.indicator ?? 'none given', SHORT_CHARS)}` +
      (page.description === null ? '' : `: ${inertInline(page.description, 200)}`),
    '',
  ];
  for (const c of page.components) {
    lines.push(`- ${inertInline(c.name, 120)}: ${inertInline(c.status, SHORT_CHARS)}`);
  }
  if (page.missingComponentIds.length > 0) {
    const ids = page.missingComponentIds.map((id) => inertInline(id, SHORT_CHARS)).join(', ');
    lines.push(`- Not on the page (check status-components): ${ids}`);
  }
  if (page.incidents.length === 0) return [...lines, '', 'No unresolved incident.'];
  const shown = page.incidents.slice(0, detail.incidents);
  lines.push('', `Unresolved incidents: ${page.incidents.length}`);
  if (shown.length > 0) {
    lines.push(
      '',
      '| Incident | Status | Impact | Touches watched components | Started | Link |',
      '| --- | --- | --- | --- | --- | --- |',
      ...shown.map(
        (i) =>
          `| ${cell(i.name, 200)} | ${cell(i.status)} | ${cell(i.impact)} | ${i.touchesWatched ? 'yes' : 'no'} | ` +
          `${i.startedAt === null ? '–' : formatTime(i.startedAt)} | ${shortlinkCell(i.shortlink)} |`,
      ),
    );
  }
  if (page.incidents.length > shown.length) {
    lines.push('', `…and ${page.incidents.length - shown.length} more (see the status page).`);
  }
  if (detail.updateChars > 0) {
    for (const i of shown.filter((x) => x.touchesWatched && x.latestUpdate !== null)) {
      const update = i.latestUpdate;
      if (update === null) continue;
      const when = update.at === null ? '' : `, ${formatTime(update.at)}`;
      const block = inertBlock(update.body, detail.updateChars);
      if (block === '') continue;
      lines.push(
        '',
        `Latest update on ${inertInline(i.name, 200)} (${cell(update.status)}${when}):`,
        '',
        block,
      );
    }
  }
  return lines;
}

function shortlinkCell(shortlink: string | null): string {
  if (shortlink === null) return '–';
  return SAFE_URL.test(shortlink) ? `[link](${shortlink})` : cell(shortlink, 120);
}

interface ErrorKind {
  label: string;
  message: string;
  count: number;
  latestAt: number;
}

/** Failures grouped by what a reader needs to tell them apart: status, error type and message. */
function errorKinds(samples: readonly ProbeSample[]): ErrorKind[] {
  const kinds = new Map<string, ErrorKind>();
  for (const s of samples) {
    const failed = s.outcome !== 'ok';
    const wrongAnswer = s.outcome === 'ok' && s.canaryPassed === false;
    if (!failed && !wrongAnswer) continue;
    const label = wrongAnswer
      ? 'wrong canary answer'
      : [s.httpStatus === null ? s.outcome : String(s.httpStatus), s.errorType, s.errorCode]
          .filter((x): x is string => x !== null && x !== '')
          .join(' ');
    const message = (wrongAnswer ? s.answer : s.errorMessage) ?? '';
    const key = `${label}\u0000${message}`;
    const at = Date.parse(s.startedAt);
    const existing = kinds.get(key);
    if (existing === undefined) kinds.set(key, { label, message, count: 1, latestAt: at });
    else {
      existing.count += 1;
      existing.latestAt = Math.max(existing.latestAt, at);
    }
  }
  return [...kinds.values()].sort((a, b) => b.latestAt - a.latestAt);
}

function errorLines(evidence: Evidence, detail: EvidenceDetail): string[] {
  const kinds = errorKinds(evidence.samples);
  if (kinds.length === 0 || detail.errorKinds === 0) return [];
  const shown = kinds.slice(0, detail.errorKinds).map((k) => {
    const message = k.message === '' ? '' : `: ${inertInline(k.message, detail.messageChars) || '…'}`;
    return `- ${inertInline(k.label, 120)} ×${k.count}${message}`;
  });
  const more = kinds.length > shown.length ? [`- …and ${kinds.length - shown.length} more kinds`] : [];
  return ['**Errors seen** (most recent first)', '', ...shown, ...more];
}

/** The Evidence section: what one run observed, at the given level of detail. */
export function evidenceMarkdown(
  verdict: Verdict,
  evidence: Evidence,
  runUrl: string | null,
  detail: EvidenceDetail,
): string {
  const findings = verdict.findings.slice(0, detail.findings).map(findingLine);
  if (verdict.findings.length > findings.length) {
    findings.push(`- …and ${verdict.findings.length - findings.length} more findings`);
  }
  const notes = verdict.notes.slice(0, detail.findings).map((n) => `- ${inertInline(n, REASON_CHARS)}`);
  const blocks: string[][] = [
    [`Run of ${formatTime(evidence.startedAt)} (${runLink(runUrl)}).`],
    modelTable(verdict, evidence),
    headroomLines(verdict, evidence),
    statusPageLines(evidence.statusPage, detail),
    findings.length > 0 ? ['**Findings**', '', ...findings] : [],
    notes.length > 0 ? ['**Notes**', '', ...notes] : [],
    errorLines(evidence, detail),
  ];
  return blocks
    .filter((b) => b.length > 0)
    .map((b) => b.join('\n'))
    .join('\n\n');
}
