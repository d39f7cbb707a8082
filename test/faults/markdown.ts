/**
 * What a reader of a posted issue body or comment would see go wrong, checked on the raw markdown as
 * GitHub's renderer reads it (GFM). Written independently of src/text on purpose: this is the contract,
 * not the implementation.
 */

/** GitHub refuses issue bodies and comments longer than this (FIELD-NOTES). */
export const GITHUB_BODY_LIMIT = 65_536;

const FENCE_OPENER = /^ {0,3}(`{3,}|~{3,})/;

/** Code blocks that are opened and never closed, as "line N: ```" descriptions. */
export function unclosedFences(markdown: string): string[] {
  const lines = markdown.replace(/\r\n?/g, '\n').split('\n');
  let open: { fence: string; line: number } | null = null;
  for (const [index, line] of lines.entries()) {
    const match = FENCE_OPENER.exec(line);
    if (open === null) {
      if (match && !(match[1]!.startsWith('`') && line.slice(match[0].length).includes('`')))
        open = { fence: match[1]!, line: index + 1 };
      continue;
    }
    const closer = new RegExp(`^ {0,3}${open.fence[0] === '`' ? '`' : '~'}{${open.fence.length},} *$`);
    if (closer.test(line)) open = null;
  }
  return open === null ? [] : [`line ${open.line}: ${open.fence} never closed`];
}

/** The markdown with fenced code blocks replaced by blank lines (line numbers kept). */
function withoutFencedBlocks(markdown: string): string {
  const lines = markdown.replace(/\r\n?/g, '\n').split('\n');
  let open: string | null = null;
  return lines
    .map((line) => {
      const match = FENCE_OPENER.exec(line);
      if (open === null) {
        if (match) {
          open = match[1]!;
          return '';
        }
        return line;
      }
      if (new RegExp(`^ {0,3}${open[0] === '`' ? '`' : '~'}{${open.length},} *$`).test(line)) open = null;
      return '';
    })
    .join('\n');
}

/** Inline code spans removed: a run of N backticks up to the next run of exactly N. */
function withoutCodeSpans(line: string): string {
  let out = '';
  let index = 0;
  while (index < line.length) {
    const run = /^`+/.exec(line.slice(index));
    if (run === null) {
      out += line[index];
      index += 1;
      continue;
    }
    const fence = run[0];
    let search = index + fence.length;
    let closeAt = -1;
    while (search < line.length) {
      const next = line.indexOf('`', search);
      if (next === -1) break;
      const closing = /^`+/.exec(line.slice(next))![0];
      if (closing.length === fence.length) {
        closeAt = next;
        break;
      }
      search = next + closing.length;
    }
    if (closeAt === -1) {
      out += fence;
      index += fence.length;
    } else {
      out += ' ';
      index = closeAt + fence.length;
    }
  }
  return out;
}

/** What GitHub renders as text, markup and HTML: no code blocks, no code spans. */
export function renderedProse(markdown: string): string {
  return withoutFencedBlocks(markdown)
    .split('\n')
    .map((line) => withoutCodeSpans(line))
    .join('\n');
}

/** Cells of a table row: split on pipes that are not backslash-escaped (GFM splits inside code spans too). */
function cellCount(row: string): number {
  const trimmed = row
    .trim()
    .replace(/^\|/, '')
    .replace(/(?<!\\)\|$/, '');
  return trimmed.split(/(?<!\\)\|/).length;
}

const DELIMITER_ROW = /^\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$/;

/** Tables whose rows do not have as many cells as their header, as "line N: 3 cells, header has 2". */
export function brokenTables(markdown: string): string[] {
  const lines = withoutFencedBlocks(markdown).split('\n');
  const problems: string[] = [];
  for (let i = 1; i < lines.length; i++) {
    if (!DELIMITER_ROW.test(lines[i]!) || !lines[i - 1]!.includes('|')) continue;
    const header = cellCount(lines[i - 1]!);
    for (let j = i + 1; j < lines.length && lines[j]!.trim() !== '' && lines[j]!.includes('|'); j++) {
      const cells = cellCount(lines[j]!);
      if (cells !== header) problems.push(`line ${j + 1}: ${cells} cells, header has ${header}`);
    }
  }
  return problems;
}

/** `@name` or `@org/team` outside code, where GitHub would notify. */
export function liveMentions(markdown: string): string[] {
  return [...renderedProse(markdown).matchAll(/(?<![\w`])@[A-Za-z0-9][\w-]*(?:\/[\w-]+)?/g)].map((m) => m[0]);
}

/** Everything a reader would see go wrong, plus the given hostile fragments found live outside code. */
export function markdownProblems(markdown: string, hostile: readonly string[] = []): string[] {
  const problems = [
    ...unclosedFences(markdown).map((p) => `unclosed code fence (${p})`),
    ...brokenTables(markdown).map((p) => `broken table (${p})`),
    ...liveMentions(markdown).map((m) => `live mention ${m}`),
  ];
  if (markdown.length > GITHUB_BODY_LIMIT)
    problems.push(`${markdown.length} characters, over GitHub's ${GITHUB_BODY_LIMIT}`);
  const prose = renderedProse(markdown);
  for (const fragment of hostile) {
    if (prose.includes(fragment)) problems.push(`outside text posted live: ${JSON.stringify(fragment)}`);
  }
  return problems;
}
