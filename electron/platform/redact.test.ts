import { describe, expect, it } from 'vitest';
import { isSensitiveKey, REDACTED, redactText, redactValue } from './redact.js';

describe('redaction of text', () => {
  it('hides Bearer and Basic credentials', () => {
    expect(redactText('Authorization: Bearer eyJhbGciOi.J9.abc-_x')).toBe(
      `Authorization: Bearer ${REDACTED}`,
    );
    expect(redactText('header Basic ZGVtbzpzZWNyZXQ= sent')).toBe(`header Basic ${REDACTED} sent`);
  });

  it('hides access_token and secret parameters in URLs and form bodies', () => {
    expect(redactText('https://h/cb?access_token=abc123&state=ok')).toBe(
      `https://h/cb?access_token=${REDACTED}&state=ok`,
    );
    expect(redactText('grant_type=client_credentials&client_secret=s3cr3t')).toBe(
      `grant_type=client_credentials&client_secret=${REDACTED}`,
    );
  });

  it('hides tokens inside JSON text', () => {
    expect(redactText('{"token_type":"Bearer","access_token":"opaque-1","expires_in":3600}')).toBe(
      `{"token_type":"Bearer","access_token":"${REDACTED}","expires_in":3600}`,
    );
  });

  it('hides literal occurrences of a known secret', () => {
    expect(redactText('the secret hunter2-long leaked', ['hunter2-long'])).toBe(
      `the secret ${REDACTED} leaked`,
    );
  });

  it('leaves ordinary text alone', () => {
    const text = 'Ticket TT-12 created for alarm 123/456, token type Bearer';
    expect(redactText(text)).toBe(text);
  });

  it('prefers hiding too much: a word after "Basic" is treated as a credential', () => {
    expect(redactText('Basic connectivity check')).toBe(`Basic ${REDACTED} check`);
  });
});

describe('redaction of data objects', () => {
  it('replaces values under sensitive keys, at any depth', () => {
    const input = {
      clientId: 'demo',
      clientSecret: 'abc',
      headers: { Authorization: 'Basic Zm9v', 'X-Request-ID': 'inst-1' },
      nested: [{ password: 'p', access_token: 't', refreshToken: 'r' }],
      tokenType: 'Bearer',
    };
    expect(redactValue(input)).toEqual({
      clientId: 'demo',
      clientSecret: REDACTED,
      headers: { Authorization: REDACTED, 'X-Request-ID': 'inst-1' },
      nested: [{ password: REDACTED, access_token: REDACTED, refreshToken: REDACTED }],
      tokenType: 'Bearer',
    });
    expect(input.clientSecret).toBe('abc');
  });

  it('redacts strings inside objects and errors', () => {
    const error = new Error('POST failed with Bearer abc.def');
    const out = redactValue({ note: 'sent access_token=xyz', error }) as {
      note: string;
      error: { name: string; message: string; stack?: string };
    };
    expect(out.note).toBe(`sent access_token=${REDACTED}`);
    expect(out.error.message).toBe(`POST failed with Bearer ${REDACTED}`);
    expect(out.error.stack).not.toContain('abc.def');
  });

  it('survives cycles', () => {
    const a: Record<string, unknown> = { name: 'a' };
    a.self = a;
    expect(redactValue(a)).toEqual({ name: 'a', self: '[circular]' });
  });

  it('knows which keys are sensitive', () => {
    for (const key of [
      'secret',
      'client_secret',
      'Password',
      'token',
      'authorization',
      'access_token',
      'clientSecret',
    ]) {
      expect(isSensitiveKey(key)).toBe(true);
    }
    for (const key of ['tokenType', 'clientId', 'userId', 'validUntil']) {
      expect(isSensitiveKey(key)).toBe(false);
    }
  });
});
