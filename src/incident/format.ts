/**
 * How the incident issue writes times, durations, figures, links and findings: one fixed format, so
 * the text does not depend on the runner's locale or time zone. Pure.
 */
import { inertInline } from '../text/inert.js';
import { RUNBOOK } from '../verdict/runbook.js';
import type { Diagnosis, Finding } from '../verdict/types.js';

/** GitHub refuses issue bodies and comments longer than this with a 422 (REST API, issues and comments). */
export const GITHUB_BODY_LIMIT = 65_536;
/** GitHub refuses issue titles longer than this. */
export const GITHUB_TITLE_LIMIT = 256;
/** Caps on upstream text, so one long value cannot crowd out the rest. */
export const MODEL_CHARS = 100;
export const REASON_CHARS = 500;
export const SHORT_CHARS = 60;

/** `2026-10-07 10:05 UTC`: fixed format and zone, so the body does not depend on the runner's locale. */
export function formatTime(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return inertInline(iso, SHORT_CHARS);
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

const MINUTE_MS = 60_000;
const HOUR_MINUTES = 60;
const DAY_MINUTES = 24 * HOUR_MINUTES;

/** `2 d 3 h 5 min`; whole minutes, since runs are minutes apart at best. */
export function formatDuration(ms: number): string {
  const minutes = Math.max(0, Math.floor(ms / MINUTE_MS));
  if (minutes === 0) return 'under a minute';
  const days = Math.floor(minutes / DAY_MINUTES);
  const hours = Math.floor((minutes % DAY_MINUTES) / HOUR_MINUTES);
  const rest = minutes % HOUR_MINUTES;
  const parts: string[] = [];
  if (days > 0) parts.push(`${days} d`);
  if (hours > 0) parts.push(`${hours} h`);
  if (rest > 0) parts.push(`${rest} min`);
  return parts.join(' ');
}

export function elapsed(fromIso: string, toIso: string): string {
  return formatDuration(Date.parse(toIso) - Date.parse(fromIso));
}

export function formatCount(n: number): string {
  return String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

export function formatMs(ms: number | null): string {
  return ms === null ? '–' : `${formatCount(ms)} ms`;
}

export function formatPercent(fraction: number): string {
  return `${Math.round(fraction * 100)}%`;
}

/** Only plain http(s) URLs become links; anything else is shown inert. */
export const SAFE_URL = /^https?:\/\/[^\s()<>[\]`|"']+$/;

export function link(text: string, url: string | null): string {
  if (url === null) return text;
  return SAFE_URL.test(url) ? `[${text}](${url})` : `${text} (${inertInline(url, 200)})`;
}

export function runLink(runUrl: string | null): string {
  return runUrl === null ? 'a run outside GitHub Actions' : link('workflow run', runUrl);
}

export function diagnosisTitle(diagnosis: Diagnosis): string {
  return RUNBOOK[diagnosis].title;
}

export function findingLine(finding: Finding): string {
  // Reasons usually start with the model already; name it only when the reason does not.
  const named = finding.model === null || finding.reason.includes(finding.model);
  const model = named ? '' : ` · ${inertInline(finding.model ?? '', MODEL_CHARS)}`;
  const reason = inertInline(finding.reason, REASON_CHARS);
  return `- ${finding.severity} · ${diagnosisTitle(finding.diagnosis)}${model}: ${reason}`;
}

const TRUNCATION_NOTE = `\n\n_Truncated: GitHub refuses text over ${formatCount(GITHUB_BODY_LIMIT)} characters. The workflow run log has everything._\n`;

/** Text cut to GitHub's limit without splitting a surrogate pair, with a note saying so at the end. */
export function fitToGitHubLimit(text: string): string {
  if (text.length <= GITHUB_BODY_LIMIT) return text;
  let cut = text.slice(0, GITHUB_BODY_LIMIT - TRUNCATION_NOTE.length);
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  return cut + TRUNCATION_NOTE;
}
