/**
 * Text from outside (status-page incident names and updates, API error messages, header values) made
 * harmless before it is posted to GitHub: it must not ping people (`@team`), create back-links (`#1`,
 * issue URLs), inject HTML, break the layout or forge the machine markers.
 */

/** Zero-width space: invisible to readers, but breaks GitHub's mention and reference patterns. */
const ZERO_WIDTH_SPACE = '\u200B';
const ELLIPSIS = '…';

/**
 * Control characters (C0 and C1, except the whitespace handled separately) and bidirectional overrides,
 * which can make posted text read differently from what it is.
 */
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g;

/**
 * URLs are shown as inline code: code is never autolinked, so a GitHub issue or pull-request URL (on
 * github.com or an Enterprise host) creates no back-link. Stops at characters that would end the code
 * span or a table cell.
 */
const URL_PATTERN = /(?:\bhttps?:\/\/|\bwww\.|\bgithub\.com\/)[^\s<>`|]+/gi;

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };

/** Punctuation that can start emphasis, code, links, images, strikethrough, headings or end a table cell. */
const MARKDOWN_PUNCTUATION = new Set(['\\', '`', '*', '_', '[', ']', '|', '!', '~', '#']);

/** Breaks `@user`, `@org/team`, `#123`, `owner/repo#123` and `GH-123` so GitHub neither links nor notifies. */
function breakReferences(text: string): string {
  return text
    .replace(/@(?=[A-Za-z0-9])/g, `@${ZERO_WIDTH_SPACE}`)
    .replace(/#(?=\d)/g, `#${ZERO_WIDTH_SPACE}`)
    .replace(/\b(GH-)(?=\d)/gi, `$1${ZERO_WIDTH_SPACE}`);
}

/**
 * Breaks `<!--`, so outside text can never forge (or close) one of the machine markers, which are
 * found by their exact bytes even inside code.
 */
function breakCommentOpeners(text: string): string {
  return text.replace(/<!--/g, `<${ZERO_WIDTH_SPACE}!--`);
}

function oneLine(text: string): string {
  return text.replace(CONTROL_CHARACTERS, '').replace(/\s+/g, ' ').trim();
}

/**
 * One plain line: control characters dropped, every run of whitespace (line breaks included) made one
 * space. For outside text that is logged: on a line of its own it could issue a workflow command
 * (`::add-mask::`, `::error::`) to the runner, which reads commands at the start of any log line.
 */
export function singleLine(text: string): string {
  return oneLine(text);
}

function longestBacktickRun(text: string): number {
  let longest = 0;
  for (const run of text.match(/`+/g) ?? []) longest = Math.max(longest, run.length);
  return longest;
}

/** The longest prefix of whole code points that fits in `maxLength`: never splits a surrogate pair. */
function takeCodePoints(text: string, maxLength: number): string {
  if (text.length <= maxLength) return text;
  let out = '';
  for (const c of text) {
    if (out.length + c.length > maxLength) break;
    out += c;
  }
  return out;
}

/** Cuts to `maxChars` including the ellipsis that marks the cut. */
function truncate(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  if (maxChars < ELLIPSIS.length) return '';
  return takeCodePoints(text, maxChars - ELLIPSIS.length) + ELLIPSIS;
}

/** An indivisible piece of inline output: an escaped character, or a URL shown as a code span. */
interface Atom {
  text: string;
  /** Set for a code span: what it shows, so a span too long for the room left can be cut inside. */
  codeInner?: string;
}

/**
 * Keeps whole atoms while they fit in `maxChars` with room for the ellipsis, so truncation never splits
 * an escape sequence or a surrogate pair. A URL that does not fit is cut inside its code span, so the
 * reader still sees where it pointed.
 */
function fitAtoms(atoms: Atom[], maxChars: number): string {
  const total = atoms.reduce((n, a) => n + a.text.length, 0);
  if (total <= maxChars) return atoms.map((a) => a.text).join('');
  if (maxChars < ELLIPSIS.length) return '';
  const room = maxChars - ELLIPSIS.length;
  let out = '';
  for (const atom of atoms) {
    if (out.length + atom.text.length <= room) {
      out += atom.text;
      continue;
    }
    if (atom.codeInner !== undefined) {
      const kept = takeCodePoints(atom.codeInner, room - out.length - 2);
      if (kept !== '') out += `\`${kept}\``;
    }
    break;
  }
  return out + ELLIPSIS;
}

function escapeInlineCharacter(char: string, isFirst: boolean): string {
  const html = HTML_ESCAPES[char];
  if (html !== undefined) return html;
  if (MARKDOWN_PUNCTUATION.has(char)) return `\\${char}`;
  // A leading list or setext marker would restructure the line it lands on.
  if (isFirst && (char === '-' || char === '+' || char === '=')) return `\\${char}`;
  return char;
}

function inlineTextAtoms(text: string, atStart: boolean): Atom[] {
  const chars = Array.from(breakReferences(text));
  const escaped = chars.map((c, i) => escapeInlineCharacter(c, atStart && i === 0));
  // "1. " or "1) " at the very start would begin an ordered list.
  const ordered = atStart ? /^(\d+)[.)]/.exec(text) : null;
  if (ordered?.[1] !== undefined) {
    const markerIndex = ordered[1].length;
    escaped[markerIndex] = `\\${chars[markerIndex] ?? ''}`;
  }
  return escaped.map((text) => ({ text }));
}

/**
 * One line for table cells, list items and titles: whitespace collapsed, mentions and references broken,
 * HTML escaped, markdown punctuation escaped, URLs shown as code, at most `maxChars` characters.
 */
export function inertInline(text: string, maxChars: number): string {
  // Escaping only lengthens text, so nothing past maxChars + 1 can survive: skip the work for huge inputs.
  const line = oneLine(text).slice(0, Math.max(0, maxChars) + 1);
  const atoms: Atom[] = [];
  let last = 0;
  const pushText = (part: string): void => {
    if (part !== '') atoms.push(...inlineTextAtoms(part, atoms.length === 0));
  };
  for (const match of line.matchAll(URL_PATTERN)) {
    pushText(line.slice(last, match.index));
    atoms.push({ text: `\`${match[0]}\``, codeInner: match[0] });
    last = match.index + match[0].length;
  }
  pushText(line.slice(last));
  return fitAtoms(atoms, maxChars);
}

/**
 * One line shown as inline code (request ids, model ids in prose). Code spans do not link or notify; the
 * fence is longer than any backtick run inside so it cannot be closed early. Not for table cells: a `|`
 * inside code still ends a cell. Returns '' when not even one character fits.
 */
export function inertCode(text: string, maxChars: number): string {
  const line = breakCommentOpeners(oneLine(text));
  const fence = '`'.repeat(longestBacktickRun(line) + 1);
  // A span that starts or ends with a backtick needs a space so the fence stays separate.
  const pad = line.startsWith('`') || line.endsWith('`') ? ' ' : '';
  const inner = truncate(line, maxChars - 2 * (fence.length + pad.length));
  return inner === '' ? '' : `${fence}${pad}${inner}${pad}${fence}`;
}

/**
 * Multi-line text inside a fenced code block that cannot be broken out of: the fence is longer than any
 * backtick run inside. Code blocks render no HTML, mentions or links; references are broken anyway for
 * places that show raw text (notification e-mails). Returns '' when not even one character fits.
 * The caller places it at the start of a line.
 */
export function inertBlock(text: string, maxChars: number): string {
  const lines = text
    .replace(/\r\n?/g, '\n')
    .replace(CONTROL_CHARACTERS, '')
    .replace(/\s+$/, '')
    .replace(/^\s*\n/, '');
  const content = breakCommentOpeners(breakReferences(lines));
  const fence = '`'.repeat(Math.max(3, longestBacktickRun(content) + 1));
  const body = truncate(content, maxChars - 2 * fence.length - 2);
  if (body === '') return '';
  return `${fence}\n${body}\n${fence}`;
}
