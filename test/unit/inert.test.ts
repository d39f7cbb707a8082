import { describe, expect, it } from 'vitest';
import { inertBlock, inertCode, inertInline } from '../../src/text/inert.js';

const ZWSP = '\u200B';

describe('inertInline', () => {
  it('collapses newlines and runs of whitespace into one line', () => {
    expect(inertInline('  Elevated\r\n\terrors \n\n on API  ', 100)).toBe('Elevated errors on API');
  });

  it('breaks @mentions and team mentions so nobody is notified', () => {
    const out = inertInline('ping @team and @org/oncall, mail ops@example.com', 200);
    expect(out).not.toMatch(/@[A-Za-z0-9]/);
    expect(out).toBe(`ping @${ZWSP}team and @${ZWSP}org/oncall, mail ops@${ZWSP}example.com`);
  });

  it('breaks #123, owner/repo#123 and GH-123 references so no back-link is created', () => {
    const out = inertInline('see #1, acme/api#42 and GH-7 (not gh-pages)', 200);
    expect(out).not.toMatch(/#\d|GH-\d/i);
    expect(out).toContain(`\\#${ZWSP}1`);
    expect(out).toContain(`GH-${ZWSP}7`);
    expect(out).toContain('gh-pages');
  });

  it('shows GitHub issue and pull-request URLs as code so they are not autolinked', () => {
    const out = inertInline(
      'dup of https://github.com/acme/api/issues/12 and github.com/acme/api/pull/3 and www.example.com/x',
      300,
    );
    expect(out).toBe(
      'dup of `https://github.com/acme/api/issues/12` and `github.com/acme/api/pull/3` and `www.example.com/x`',
    );
  });

  it('escapes raw HTML so no tag or comment is rendered', () => {
    const out = inertInline('<img src=x onerror=alert(1)> & <!-- runbook:end evidence -->', 200);
    expect(out).not.toMatch(/[<>]/);
    expect(out).toBe('&lt;img src=x onerror=alert(1)&gt; &amp; &lt;\\!-- runbook:end evidence --&gt;');
  });

  it('escapes markdown that would break a table cell or change emphasis', () => {
    expect(inertInline('a | b `code` *bold* _em_ [link](x) ![img](y) ~~s~~ \\', 200)).toBe(
      'a \\| b \\`code\\` \\*bold\\* \\_em\\_ \\[link\\](x) \\!\\[img\\](y) \\~\\~s\\~\\~ \\\\',
    );
  });

  it('escapes a leading heading, list or ordered-list marker', () => {
    expect(inertInline('# Heading', 50)).toBe('\\# Heading');
    expect(inertInline('- item', 50)).toBe('\\- item');
    expect(inertInline('1. first', 50)).toBe('1\\. first');
    expect(inertInline('well-known', 50)).toBe('well-known');
  });

  it('truncates to maxChars with an ellipsis, never splitting an escape sequence', () => {
    const out = inertInline('abc<def', 6);
    expect(out).toBe('abc…');
    expect(out.length).toBeLessThanOrEqual(6);
  });

  it('never splits a surrogate pair when truncating', () => {
    const out = inertInline('😀😀😀😀', 6);
    expect(out).toBe('😀😀…');
    expect(out.length).toBeLessThanOrEqual(6);
    expect(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/.test(out)).toBe(false);
  });

  it('cuts a URL that does not fit inside its code span', () => {
    const out = inertInline('https://github.com/acme/api/issues/12345', 20);
    expect(out).toBe('`https://github.co`…');
  });

  it('keeps a huge HTML error page within the limit', () => {
    const page = `<html><body>${'<p>Bad gateway @team #1</p>\n'.repeat(20_000)}</body></html>`;
    const out = inertInline(page, 300);
    expect(out.length).toBeLessThanOrEqual(300);
    expect(out).not.toMatch(/[<>]|@[a-z]|#\d/);
  });

  it('drops control characters and bidirectional overrides', () => {
    expect(inertInline('ok\u0000\u0007\u202Egnp.exe', 50)).toBe('okgnp.exe');
  });
});

describe('inertCode', () => {
  it('wraps text in a code span whose fence is longer than any backtick run inside', () => {
    expect(inertCode('req_011CZAYNHHZc2dXw6vchbkhw', 60)).toBe('`req_011CZAYNHHZc2dXw6vchbkhw`');
    expect(inertCode('a``b', 60)).toBe('```a``b```');
    expect(inertCode('`edge`', 60)).toBe('`` `edge` ``');
  });

  it('cannot forge an HTML comment marker', () => {
    expect(inertCode('<!-- runbook:end evidence -->', 60)).not.toContain('<!--');
  });

  it('truncates inside the span and returns nothing when nothing fits', () => {
    expect(inertCode('abcdefghij', 7)).toBe('`abcd…`');
    expect(inertCode('abcdefghij', 2)).toBe('');
  });
});

describe('inertBlock', () => {
  it('fences multi-line text with a fence longer than any backtick run inside', () => {
    const text = 'line one\n```\nbreakout attempt\n````\nstill inside';
    const out = inertBlock(text, 500);
    const fence = '`````';
    expect(out.startsWith(`${fence}\n`)).toBe(true);
    expect(out.endsWith(`\n${fence}`)).toBe(true);
    const inner = out.slice(fence.length + 1, -(fence.length + 1));
    expect(inner).toBe(text);
    expect(inner.split('\n').every((line) => !/^`{5,}\s*$/.test(line))).toBe(true);
  });

  it('uses a three-backtick fence for plain text and normalises CRLF', () => {
    expect(inertBlock('We are investigating.\r\nMore soon.', 200)).toBe(
      '```\nWe are investigating.\nMore soon.\n```',
    );
  });

  it('breaks mentions, references and comment markers inside the block', () => {
    const out = inertBlock('@team see #12\n<!-- runbook:begin summary -->', 200);
    expect(out).not.toMatch(/@[a-z]|#\d|<!--/);
  });

  it('truncates to maxChars including the fences without splitting a surrogate pair', () => {
    const out = inertBlock('😀'.repeat(100), 20);
    expect(out.length).toBeLessThanOrEqual(20);
    expect(out).toBe('```\n😀😀😀😀😀…\n```');
  });

  it('returns nothing when not even one character fits between the fences', () => {
    expect(inertBlock('text', 8)).toBe('');
  });
});
