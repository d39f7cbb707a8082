import { describe, expect, it } from 'vitest';
import {
  INCIDENT_MARKER,
  readSection,
  renderSection,
  replaceSection,
  sectionBegin,
  sectionEnd,
} from '../../src/incident/markers.js';

const BODY = [
  INCIDENT_MARKER,
  renderSection('summary', 'P1 ongoing'),
  '',
  '### Impact',
  renderSection('impact', '- 5 of 5 failed'),
  'Checkout was down for EU customers.',
  '',
  renderSection('evidence', '| a | b |\n| --- | --- |\n| 1 | 2 |'),
  '',
].join('\n');

describe('replaceSection', () => {
  it('replaces only the bytes between the pair and keeps every byte outside', () => {
    const out = replaceSection(BODY, 'impact', '- 1 of 5 failed');
    expect(out).not.toBeNull();
    const begin = BODY.indexOf(sectionBegin('impact')) + sectionBegin('impact').length;
    const end = BODY.indexOf(sectionEnd('impact'));
    expect(out?.slice(0, begin)).toBe(BODY.slice(0, begin));
    expect(out?.endsWith(BODY.slice(end))).toBe(true);
    expect(readSection(out ?? '', 'impact')).toBe('- 1 of 5 failed');
  });

  it('keeps text people wrote inside another section', () => {
    const edited = BODY.replace('P1 ongoing', 'P1 ongoing\n\nNote from on-call: failing over to Bedrock.');
    const out = replaceSection(edited, 'impact', 'new figures');
    expect(readSection(out ?? '', 'summary')).toBe(
      'P1 ongoing\n\nNote from on-call: failing over to Bedrock.',
    );
  });

  it('keeps CRLF line endings outside and writes CRLF inside a CRLF body', () => {
    const crlf = BODY.replace(/\n/g, '\r\n');
    const out = replaceSection(crlf, 'evidence', 'line one\nline two') ?? '';
    expect(out).not.toMatch(/[^\r]\n/);
    expect(out).toContain('line one\r\nline two');
    const end = crlf.indexOf(sectionBegin('evidence'));
    expect(out.slice(0, end)).toBe(crlf.slice(0, end));
  });

  it('finds sections people reordered', () => {
    const evidence = renderSection('evidence', '| a | b |\n| --- | --- |\n| 1 | 2 |');
    const reordered = `${evidence}\n\nmoved to the top\n\n${BODY.replace(evidence, '')}`;
    const out = replaceSection(reordered, 'evidence', 'fresh');
    expect(
      out?.startsWith(
        `${sectionBegin('evidence')}\n\nfresh\n\n${sectionEnd('evidence')}\n\nmoved to the top`,
      ),
    ).toBe(true);
  });

  it('returns null when the pair is missing', () => {
    expect(replaceSection(BODY, 'mitigation', 'x')).toBeNull();
  });

  it('returns null when the end marker was deleted', () => {
    expect(replaceSection(BODY.replace(sectionEnd('impact'), ''), 'impact', 'x')).toBeNull();
  });

  it('returns null when a marker is duplicated', () => {
    const duplicated = `${BODY}\n${sectionBegin('summary')}\n`;
    expect(replaceSection(duplicated, 'summary', 'x')).toBeNull();
    expect(readSection(duplicated, 'summary')).toBeNull();
  });

  it('returns null when the end comes before the begin', () => {
    const swapped = `${sectionEnd('summary')}\ntext\n${sectionBegin('summary')}`;
    expect(replaceSection(swapped, 'summary', 'x')).toBeNull();
  });

  it('returns null when another section marker sits inside the pair, instead of destroying it', () => {
    const overlapping = `${sectionBegin('summary')}\n${sectionBegin('impact')}\n${sectionEnd('summary')}\n${sectionEnd('impact')}`;
    expect(replaceSection(overlapping, 'summary', 'x')).toBeNull();
  });

  it('writes content containing $ patterns literally', () => {
    expect(readSection(replaceSection(BODY, 'impact', "cost $& $1 $'") ?? '', 'impact')).toBe(
      "cost $& $1 $'",
    );
  });
});

describe('readSection', () => {
  it('returns the content without the blank lines around it', () => {
    expect(readSection(BODY, 'summary')).toBe('P1 ongoing');
  });

  it('returns null for a missing section', () => {
    expect(readSection('people removed everything', 'summary')).toBeNull();
  });
});
