/**
 * The issue body is shared between the action and people. The parts the action owns are delimited by
 * HTML comments (invisible when rendered); every byte outside them belongs to people and is never
 * touched. A damaged pair (deleted, duplicated, out of order) means people took that part over: it is
 * left alone and never re-added.
 */

/** Identifies an issue as ours: the finder only considers issues whose body contains it. */
export const INCIDENT_MARKER = '<!-- claude-incident-runbook:incident -->';

/** The machine-owned sections of the incident body, in the order a new body shows them. */
export type SectionName =
  'summary' | 'duration' | 'severity' | 'impact' | 'detection' | 'mitigation' | 'request-ids' | 'evidence';

const MARKER_PREFIX = '<!-- runbook:';

export function sectionBegin(name: SectionName): string {
  return `${MARKER_PREFIX}begin ${name} -->`;
}

export function sectionEnd(name: SectionName): string {
  return `${MARKER_PREFIX}end ${name} -->`;
}

/**
 * GitHub's web editor saves bodies with CRLF line endings; content we write inside a section follows
 * whatever the body already uses, so an edited issue does not end up with mixed line endings.
 */
export function lineEndingOf(body: string): '\r\n' | '\n' {
  return body.includes('\r\n') ? '\r\n' : '\n';
}

export function withLineEnding(text: string, eol: '\r\n' | '\n'): string {
  const lf = text.replace(/\r\n/g, '\n');
  return eol === '\n' ? lf : lf.replace(/\n/g, '\r\n');
}

/**
 * The bytes that go between a section's markers. Blank lines around the content keep markdown blocks
 * (tables, lists) from running into the comment lines.
 */
function inner(content: string, eol: '\r\n' | '\n'): string {
  return `${eol}${eol}${withLineEnding(content, eol)}${eol}${eol}`;
}

/** A whole section, markers included, for a new body. */
export function renderSection(name: SectionName, content: string): string {
  return `${sectionBegin(name)}${inner(content, '\n')}${sectionEnd(name)}`;
}

function occurrences(haystack: string, needle: string): number[] {
  const found: number[] = [];
  for (let at = haystack.indexOf(needle); at !== -1; at = haystack.indexOf(needle, at + needle.length)) {
    found.push(at);
  }
  return found;
}

/** Where the bytes between an intact pair start and end; null when the pair is missing or damaged. */
function locate(body: string, name: SectionName): { from: number; to: number } | null {
  const begins = occurrences(body, sectionBegin(name));
  const ends = occurrences(body, sectionEnd(name));
  const begin = begins[0];
  const end = ends[0];
  if (begins.length !== 1 || ends.length !== 1 || begin === undefined || end === undefined) return null;
  const from = begin + sectionBegin(name).length;
  if (end < from) return null;
  // Overlapping pairs (another section's marker inside this one): replacing would destroy that marker.
  if (body.slice(from, end).includes(MARKER_PREFIX)) return null;
  return { from, to: end };
}

/**
 * The body with only the bytes between the section's markers replaced by `content`; null when the pair
 * is missing or damaged, so the caller leaves that section alone.
 */
export function replaceSection(body: string, name: SectionName, content: string): string | null {
  const at = locate(body, name);
  if (at === null) return null;
  return body.slice(0, at.from) + inner(content, lineEndingOf(body)) + body.slice(at.to);
}

/**
 * The content of an intact section without the blank lines around it (LF line endings), or null when
 * the pair is missing or damaged.
 */
export function readSection(body: string, name: SectionName): string | null {
  const at = locate(body, name);
  if (at === null) return null;
  return body
    .slice(at.from, at.to)
    .replace(/\r\n/g, '\n')
    .replace(/^\n+|\n+$/g, '');
}
