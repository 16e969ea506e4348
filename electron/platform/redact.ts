/**
 * Redaction of secrets and tokens from what the app writes to its log. Pure functions, so
 * that every rule is tested in plain Node; the file logger (logger.ts) runs every message
 * and every data object through them before anything reaches the disk.
 */

/** What a redacted value is replaced with. */
export const REDACTED = '[redacted]';

/**
 * Normalised key names (lower case, no `-`/`_`) whose values are always secret, besides the
 * names ending in secret, password, token or ciphertext (see isSensitiveKey).
 */
const SENSITIVE_KEYS = new Set([
  'passwd',
  'pwd',
  'passphrase',
  'authorization',
  'proxyauthorization',
  'cookie',
  'setcookie',
  'apikey',
  'xapikey',
  'credentials',
  // The Team settings' PostgreSQL (issue 14): libpq's names for a password or a whole
  // connection string that may carry one.
  'pgpassword',
  'pgpass',
  'connectionstring',
]);

/** True when a data key names a secret (`clientSecret`, `access_token`, `Authorization`...). */
export function isSensitiveKey(key: string): boolean {
  const k = key.toLowerCase().replace(/[-_\s]/g, '');
  return (
    SENSITIVE_KEYS.has(k) ||
    k.endsWith('secret') ||
    k.endsWith('password') ||
    k.endsWith('token') ||
    k.endsWith('ciphertext')
  );
}

const AUTH_SCHEME = /\b(Bearer|Basic)(\s+)[A-Za-z0-9\-._~+/]+=*/gi;
// `name=value` parameters and `"name": "value"` JSON members; the value is hidden when the
// name is a sensitive key, so that text follows the same rule as data objects.
const PARAMETER = /\b([A-Za-z][\w-]*)=[^&\s"',;]+/g;
const JSON_MEMBER = /"([^"\\]{1,100})"(\s*:\s*)"(?:[^"\\]|\\.)*"/g;
// The password of a URL's user information (postgres://user:password@host/db).
const URL_PASSWORD = /\b([a-z][a-z0-9+.-]*:\/\/[^\s:/@]*):[^\s@/]*@/gi;

/**
 * Redacts secrets inside free text: `Bearer …` and `Basic …` credentials, `access_token=…`
 * style parameters and `"access_token": "…"` JSON members under any sensitive key (the rule of
 * `isSensitiveKey`), the password of a URL (`postgres://user:…@host`), and any literal occurrence of a known secret (for example the configured
 * Client Secret).
 */
export function redactText(text: string, knownSecrets: readonly string[] = []): string {
  let out = text
    .replace(AUTH_SCHEME, (_m, scheme: string, space: string) => `${scheme}${space}${REDACTED}`)
    .replace(PARAMETER, (m, name: string) => (isSensitiveKey(name) ? `${name}=${REDACTED}` : m))
    .replace(JSON_MEMBER, (m, key: string, colon: string) =>
      isSensitiveKey(key) ? `"${key}"${colon}"${REDACTED}"` : m,
    )
    .replace(URL_PASSWORD, (_m, userPart: string) => `${userPart}:${REDACTED}@`);
  for (const secret of knownSecrets) {
    // Very short strings would redact ordinary words; real secrets are longer.
    if (secret.length >= 4) out = out.split(secret).join(REDACTED);
  }
  return out;
}

const MAX_DEPTH = 8;

/**
 * Returns a copy of `value` safe to log: values under sensitive keys are replaced, strings
 * are passed through `redactText`, errors become `{ name, message, stack }` (redacted),
 * cycles and very deep nesting are cut. Never mutates its input.
 */
export function redactValue(value: unknown, knownSecrets: readonly string[] = []): unknown {
  const seen = new WeakSet<object>();
  const walk = (v: unknown, depth: number): unknown => {
    if (typeof v === 'string') return redactText(v, knownSecrets);
    if (v === null || typeof v !== 'object') {
      return typeof v === 'bigint' ? v.toString() : v;
    }
    if (seen.has(v)) return '[circular]';
    if (depth >= MAX_DEPTH) return '[too deep]';
    seen.add(v);
    if (v instanceof Error) {
      const copy: Record<string, unknown> = {
        name: v.name,
        message: redactText(v.message, knownSecrets),
      };
      if (v.stack) copy.stack = redactText(v.stack, knownSecrets);
      const code = (v as { code?: unknown }).code;
      if (code !== undefined) copy.code = walk(code, depth + 1);
      if (v.cause !== undefined) copy.cause = walk(v.cause, depth + 1);
      return copy;
    }
    if (Array.isArray(v)) return v.map((item) => walk(item, depth + 1));
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(v)) {
      out[key] = isSensitiveKey(key) ? REDACTED : walk(item, depth + 1);
    }
    return out;
  };
  return walk(value, 0);
}
