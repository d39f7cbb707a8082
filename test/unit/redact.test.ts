import { describe, expect, it } from 'vitest';
import { REDACTED, redact, redactDeep } from '../../src/text/redact.js';

const KEY = 'sk-ant-api03-Zx9_kLm-Qr7tUv2WxY3z-AbCdEf0123456789_ghIJkl-MnOpQr';
const TOKEN = 'ghs_16C7e42F292c6912E7710c838347Ae178B4a';

describe('redact', () => {
  it('removes a configured secret wherever it appears verbatim', () => {
    const out = redact(`token ${TOKEN} then ${TOKEN}.`, [TOKEN]);
    expect(out).toBe(`token ${REDACTED} then ${REDACTED}.`);
  });

  it('removes a secret that was URL-encoded into a query string', () => {
    const secret = 'p@ss/word with+space';
    const url = `https://example.test/?key=${encodeURIComponent(secret)}&form=${encodeURIComponent(secret).replace(/%20/g, '+')}`;
    const out = redact(url, [secret]);
    expect(out).not.toContain(encodeURIComponent(secret));
    expect(out).toBe(`https://example.test/?key=${REDACTED}&form=${REDACTED}`);
  });

  it('removes a secret that was JSON-escaped inside a body, once or twice', () => {
    const secret = 'quote"back\\slash';
    const once = JSON.stringify({ key: secret });
    const twice = JSON.stringify({ body: once });
    expect(redact(once, [secret])).toBe(`{"key":"${REDACTED}"}`);
    expect(redact(twice, [secret])).not.toContain('quote');
  });

  it('removes anything shaped like an Anthropic key even when it was not configured', () => {
    const text = `invalid x-api-key ${KEY}; admin sk-ant-admin01-AAAA_bbbb-CCCC; ok`;
    expect(redact(text, [])).toBe(`invalid x-api-key ${REDACTED}; admin ${REDACTED}; ok`);
  });

  it('removes the configured key in every form at once', () => {
    const text = [KEY, encodeURIComponent(KEY), JSON.stringify(KEY)].join(' | ');
    const out = redact(text, [KEY]);
    expect(out).not.toContain('sk-ant');
    expect(out).not.toContain('Zx9_kLm');
  });

  it('removes a longer secret whole when a shorter secret is part of it', () => {
    expect(redact('abc-123-xyz', ['123', 'abc-123-xyz'])).toBe(REDACTED);
  });

  it('ignores empty secrets instead of inserting the marker between every character', () => {
    expect(redact('plain text', ['', ''])).toBe('plain text');
  });

  it('redacts every string inside nested data and keeps other values', () => {
    const data = { message: `bad key ${KEY}`, nested: [{ id: KEY, count: 3 }], ok: true, none: null };
    expect(redactDeep(data, [KEY])).toEqual({
      message: `bad key ${REDACTED}`,
      nested: [{ id: REDACTED, count: 3 }],
      ok: true,
      none: null,
    });
  });
});
