import { describe, expect, it } from 'vitest';
import { isSensitiveKey, REDACTED, redactText, redactValue } from './redact.js';

describe('redaction of text', () => {
  it('writes [redacted] in place of a secret', () => {
    expect(REDACTED).toBe('[redacted]');
  });

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
    expect(redactText('abcd then abcd', ['abcd'])).toBe(`${REDACTED} then ${REDACTED}`);
  });

  it('does not treat a known secret shorter than four characters as one (it would hide words)', () => {
    expect(redactText('the cat sat', ['cat', ''])).toBe('the cat sat');
  });

  it('hides every Bearer and Basic credential, whatever the case, keeping the spacing', () => {
    expect(redactText('a bearer  t0k.en/+_~= b BASIC dXNlcjpwdw==')).toBe(
      `a bearer  ${REDACTED} b BASIC ${REDACTED}`,
    );
  });

  it('hides every token parameter, up to the next separator', () => {
    expect(
      redactText(
        'refresh_token=r1&id_token=i2;password=p3 token=t4,clientSecret=c5"x\' ACCESS_TOKEN=a6',
      ),
    ).toBe(
      `refresh_token=${REDACTED}&id_token=${REDACTED};password=${REDACTED} token=${REDACTED},clientSecret=${REDACTED}"x' ACCESS_TOKEN=${REDACTED}`,
    );
  });

  it('hides, in text, the values of the same keys as in data objects', () => {
    expect(redactText('GET /x?api_key=k1&apikey=k2&x-api-key=k3&sessionToken=k4&page=2')).toBe(
      `GET /x?api_key=${REDACTED}&apikey=${REDACTED}&x-api-key=${REDACTED}&sessionToken=${REDACTED}&page=2`,
    );
    expect(
      redactText(
        '{"accessToken":"a","refreshToken":"r","x-api-key":"k","dbPassword":"p","user":"u"}',
      ),
    ).toBe(
      `{"accessToken":"${REDACTED}","refreshToken":"${REDACTED}","x-api-key":"${REDACTED}","dbPassword":"${REDACTED}","user":"u"}`,
    );
  });

  it('leaves other parameters and JSON members alone', () => {
    const text =
      'grant_type=client_credentials&token_type=Bearer {"token_type":"Bearer","expires_in":"3600"}';
    expect(redactText(text)).toBe(text);
  });

  it('hides secrets in JSON text, escaped quotes included, and keeps the spacing', () => {
    expect(
      redactText(
        '{"refresh_token" : "a\\"b", "id_token":"c", "Authorization":"Basic x", "secret":"s"}',
      ),
    ).toBe(
      `{"refresh_token" : "${REDACTED}", "id_token":"${REDACTED}", "Authorization":"${REDACTED}", "secret":"${REDACTED}"}`,
    );
    expect(redactText('{"password":"p","client_secret":"c","clientSecret":"d","token":"t"}')).toBe(
      `{"password":"${REDACTED}","client_secret":"${REDACTED}","clientSecret":"${REDACTED}","token":"${REDACTED}"}`,
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

describe('redaction of the Team settings PostgreSQL password (issue 14)', () => {
  it('hides the password of a connection URL and keeps the user, host and database', () => {
    expect(
      redactText('connect postgres://console:s3cr3t-pw@db.example.com:5432/oceane failed'),
    ).toBe('connect postgres://console:[redacted]@db.example.com:5432/oceane failed');
    expect(redactText('postgresql://a:b%40c@h/d and https://u:p@host/x')).toBe(
      'postgresql://a:[redacted]@h/d and https://u:[redacted]@host/x',
    );
  });

  it('leaves a URL without a password alone', () => {
    const text = 'postgres://console@db.example.com:5432/oceane and http://127.0.0.1:47830';
    expect(redactText(text)).toBe(text);
  });

  it('hides the password and connection string keys in data objects and text', () => {
    expect(
      redactValue({
        postgresPassword: 'pw-1',
        PGPASSWORD: 'pw-2',
        connectionString: 'postgres://u@h/d',
        postgresUrl: 'postgres://u@h/d',
      }),
    ).toEqual({
      postgresPassword: REDACTED,
      PGPASSWORD: REDACTED,
      connectionString: REDACTED,
      postgresUrl: 'postgres://u@h/d',
    });
    expect(redactText('PGPASSWORD=hunter22 psql')).toBe('PGPASSWORD=[redacted] psql');
    expect(redactText('the password is hunter22', ['hunter22'])).toBe('the password is [redacted]');
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

describe('sensitive keys', () => {
  it.each([
    'apikey',
    'api_key',
    'x-api-key',
    'X-API-Key',
    'cookie',
    'Set-Cookie',
    'passphrase',
    'passwd',
    'pwd',
    'dbPassword',
    'proxy-authorization',
    'id_token',
    'refresh_token',
    'credentials',
    'ciphertext',
    'secretCiphertext',
    'sessionToken',
    'webhookSecret',
    'client secret',
  ])('treats %s as secret', (key) => {
    expect(isSensitiveKey(key)).toBe(true);
    expect(redactValue({ [key]: 'value-1' })).toEqual({ [key]: REDACTED });
  });

  it.each([
    'tokenType',
    'token_type',
    'expires_in',
    'secretStorage',
    'passwordHint',
    'cookies-enabled',
    'ticketId',
  ])('leaves %s visible', (key) => {
    expect(isSensitiveKey(key)).toBe(false);
    expect(redactValue({ [key]: 'value-1' })).toEqual({ [key]: 'value-1' });
  });
});

describe('redaction of other values', () => {
  it('passes numbers, booleans, null and undefined through, and writes bigints as text', () => {
    expect(redactValue(42)).toBe(42);
    expect(redactValue(true)).toBe(true);
    expect(redactValue(null)).toBeNull();
    expect(redactValue(undefined)).toBeUndefined();
    expect(redactValue(12n)).toBe('12');
    expect(redactValue({ n: 1, b: false, z: null, big: 2n })).toEqual({
      n: 1,
      b: false,
      z: null,
      big: '2',
    });
  });

  it('redacts a string given alone, and known secrets anywhere in the data', () => {
    expect(redactValue('Bearer abc.def')).toBe(`Bearer ${REDACTED}`);
    expect(redactValue({ note: ['said s3cret-value'] }, ['s3cret-value'])).toEqual({
      note: [`said ${REDACTED}`],
    });
  });

  it("keeps an error's name, code and cause, redacted", () => {
    const cause = Object.assign(new TypeError('fetch failed: token=abc123'), {
      code: 'ECONNRESET',
    });
    const error = Object.assign(new Error('Sending failed', { cause }), { code: 503 });
    const out = redactValue(error) as Record<string, unknown>;
    expect(out.name).toBe('Error');
    expect(out.message).toBe('Sending failed');
    expect(out.code).toBe(503);
    const outCause = out.cause as Record<string, unknown>;
    expect(outCause.name).toBe('TypeError');
    expect(outCause.message).toBe(`fetch failed: token=${REDACTED}`);
    expect(outCause.code).toBe('ECONNRESET');
  });

  it('leaves out the code and cause of an error that has none, and its stack when it has none', () => {
    const error = new Error('plain');
    error.stack = undefined;
    expect(redactValue(error)).toStrictEqual({ name: 'Error', message: 'plain' });
  });

  it('redacts a known secret in the stack, and a non-string code or cause', () => {
    const error = Object.assign(new Error('failed', { cause: { password: 'x' } }), {
      code: { token: 't' },
    });
    error.stack = 'Error: failed with hunter2-long\n    at f (file.js:1:1)';
    const out = redactValue(error, ['hunter2-long']) as Record<string, unknown>;
    expect(out.stack).toBe(`Error: failed with ${REDACTED}\n    at f (file.js:1:1)`);
    expect(out.code).toEqual({ token: REDACTED });
    expect(out.cause).toEqual({ password: REDACTED });
  });

  it('cuts nesting deeper than eight levels', () => {
    let deep: Record<string, unknown> = { leaf: 'end' };
    for (let i = 0; i < 10; i++) deep = { next: deep };
    let out = redactValue(deep) as Record<string, unknown>;
    let levels = 0;
    while (typeof out.next === 'object' && out.next !== null) {
      out = out.next as Record<string, unknown>;
      levels++;
    }
    expect(levels).toBe(7);
    expect(out.next).toBe('[too deep]');
  });

  it('cuts deep nesting in arrays, error causes and error codes too', () => {
    let array: unknown = 'end';
    for (let i = 0; i < 10; i++) array = [array];
    expect(JSON.stringify(redactValue(array))).toBe(`${'['.repeat(8)}"[too deep]"${']'.repeat(8)}`);

    let error = new Error('root');
    for (let i = 0; i < 10; i++) error = new Error(`level ${i}`, { cause: error });
    let out = redactValue(error) as Record<string, unknown>;
    let causes = 0;
    while (typeof out.cause === 'object') {
      out = out.cause as Record<string, unknown>;
      causes++;
    }
    expect(causes).toBe(7);
    expect(out.cause).toBe('[too deep]');

    let code: unknown = 'E';
    for (let i = 0; i < 10; i++) code = { inner: code };
    const withCode = redactValue(Object.assign(new Error('x'), { code })) as { code: unknown };
    expect(JSON.stringify(withCode.code)).toBe(
      `${'{"inner":'.repeat(7)}"[too deep]"${'}'.repeat(7)}`,
    );
  });

  it('keeps eight levels of nesting', () => {
    const value = { a: { b: { c: { d: { e: { f: { g: { h: 'end' } } } } } } } };
    expect(redactValue(value)).toEqual(value);
    expect(redactValue([[[[[[[['end']]]]]]]])).toEqual([[[[[[[['end']]]]]]]]);
  });

  it('marks a repeated object as circular only when it is its own ancestor or seen before', () => {
    const shared = { id: 1 };
    const out = redactValue({ a: shared, b: [shared] }) as Record<string, unknown>;
    expect(out.a).toEqual({ id: 1 });
    expect(out.b).toEqual(['[circular]']);
  });
});
