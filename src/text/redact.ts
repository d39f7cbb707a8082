/**
 * Secrets out of anything we post. Text posted through the GitHub API is not masked like log output:
 * a key in an issue body is public. Every renderer passes its machine-written text through here.
 */

export const REDACTED = '[REDACTED]';

/**
 * Anthropic keys look like `sk-ant-api03-…` or `sk-ant-admin01-…`. Caught even when the key is not one
 * we were given (a different key echoed in an error message, a key pasted into a status update).
 */
const ANTHROPIC_KEY_PATTERN = /sk-ant-[A-Za-z0-9_-]+/g;

/**
 * Replaces every occurrence of each non-empty secret, in the forms it takes when it travels inside
 * other text (verbatim, URL-encoded, JSON-escaped), and anything shaped like an Anthropic key.
 */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const form of secretForms(secrets)) {
    out = out.split(form).join(REDACTED);
  }
  return out.replace(ANTHROPIC_KEY_PATTERN, REDACTED);
}

/** Every spelling of every secret, longest first so that a secret containing another is removed whole. */
function secretForms(secrets: readonly string[]): string[] {
  const forms = new Set<string>();
  for (const secret of secrets) {
    if (secret === '') continue;
    forms.add(secret);
    forms.add(encodeURIComponent(secret));
    // Form encoding writes spaces as '+'.
    forms.add(encodeURIComponent(secret).replace(/%20/g, '+'));
    forms.add(JSON.stringify(secret).slice(1, -1));
    // A JSON body embedded in another JSON string is escaped twice.
    forms.add(JSON.stringify(JSON.stringify(secret).slice(1, -1)).slice(1, -1));
  }
  return [...forms].filter((f) => f !== '').sort((a, b) => b.length - a.length);
}

/**
 * Every string inside plain data (objects, arrays) redacted; other values kept. Renderers redact their
 * upstream data with it before escaping, because escaping changes the spelling of a secret (`_` becomes
 * `\_`, a zero-width space lands after `@`), after which it could no longer be found.
 */
export function redactDeep<T>(value: T, secrets: readonly string[]): T {
  return redactValue(value, secrets) as T;
}

function redactValue(value: unknown, secrets: readonly string[]): unknown {
  if (typeof value === 'string') return redact(value, secrets);
  if (Array.isArray(value)) return value.map((item: unknown) => redactValue(item, secrets));
  if (typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactValue(v, secrets)]));
  }
  return value;
}
