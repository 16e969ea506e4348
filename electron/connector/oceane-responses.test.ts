import { describe, expect, it } from 'vitest';
import type { HttpOutcome } from './http-exchange.js';
import {
  MAX_TICKET_ID_LENGTH,
  errorFromAnswer,
  isJsonContentType,
  isTokenRejection,
  noAnswerError,
  parseCreatedTicket,
  parseSearchResult,
  parseTokenAnswer,
  ticketIdProblem,
} from './oceane-responses.js';

type Answer = Extract<HttpOutcome, { kind: 'answer' }>;

function answer(
  status: number,
  body: string,
  contentType = 'application/json',
  truncated = false,
): Answer {
  return {
    kind: 'answer',
    status,
    statusText: status === 400 ? 'Bad Request' : status === 502 ? 'Bad Gateway' : 'OK',
    headers: new Headers({ 'content-type': contentType }),
    contentType,
    body,
    truncated,
  };
}

describe('error bodies (oceane-api.md section 4)', () => {
  it('reads an Orange body', () => {
    const body = JSON.stringify({
      code: 24,
      message: 'Invalid body field',
      description: 'severity',
    });
    expect(errorFromAnswer(answer(400, body))).toEqual({
      httpStatus: 400,
      appCode: '24',
      message: 'Invalid body field',
      description: 'severity',
    });
  });

  it('reads a TMF630 body', () => {
    const body = JSON.stringify({
      code: 'E1',
      reason: 'Bad ticket',
      message: 'details',
      status: '400',
    });
    expect(errorFromAnswer(answer(400, body))).toEqual({
      httpStatus: 400,
      appCode: 'E1',
      message: 'Bad ticket',
      description: 'details',
    });
  });

  it('falls back to the status text and the first 200 characters for anything else', () => {
    const html = `<html>${'x'.repeat(500)}</html>`;
    expect(errorFromAnswer(answer(502, html, 'text/html'))).toEqual({
      httpStatus: 502,
      appCode: '',
      message: 'Bad Gateway',
      description: html.slice(0, 200),
    });
    expect(errorFromAnswer(answer(400, '{"unexpected": true}')).appCode).toBe('');
    expect(errorFromAnswer(answer(400, 'null')).message).toBe('Bad Request');
  });

  it('treats 401 with code 40, 41 or 42 as a token to renew, and other 401 codes not', () => {
    expect(isTokenRejection(answer(401, '{"code":42,"message":"Expired"}'))).toBe(true);
    expect(isTokenRejection(answer(401, '{"code":40,"message":"Missing"}'))).toBe(true);
    expect(isTokenRejection(answer(401, '{"code":99,"message":"Other"}'))).toBe(false);
    expect(isTokenRejection(answer(403, '{"code":42,"message":"Expired"}'))).toBe(false);
  });
});

describe('created tickets and search results', () => {
  it('accepts a sane string id only', () => {
    expect(parseCreatedTicket(answer(201, '{"id":"OCE-1"}'))).toEqual({ ok: true, id: 'OCE-1' });
    for (const id of [42, null, '', 'a b', 'x'.repeat(129), ['x'], 'a\u200eb']) {
      expect(ticketIdProblem(id)).not.toBeNull();
    }
    const huge = parseCreatedTicket(answer(201, '{"id":"OCE-1"}', 'application/json', true));
    expect(huge.ok ? '' : huge.error.description).toContain('1 MB');
    const wrongType = parseCreatedTicket(answer(201, '{"id":"OCE-1"}', 'text/plain'));
    expect(wrongType.ok ? '' : wrongType.error.description).toContain('not JSON');
    expect(
      parseCreatedTicket(answer(201, '{"id":"OCE-1"}', 'application/vnd.api+json; charset=utf-8'))
        .ok,
    ).toBe(true);
  });

  it('picks the oldest ticket that really carries the alarm key', () => {
    const ticket = (id: unknown, ext: string, creationDate: string) => ({
      id,
      creationDate,
      externalIdentifier: [{ id: ext }],
    });
    const body = JSON.stringify([
      ticket('OTHER', '1/3', '2025-01-01T00:00:00Z'),
      ticket('NEWER', '1/2', '2025-02-01T00:00:00Z'),
      ticket(7, '1/2', '2024-01-01T00:00:00Z'),
      ticket('OLDER', '1/2', '2025-01-15T00:00:00Z'),
    ]);
    expect(parseSearchResult(answer(200, body), '1/2')).toEqual({ ok: true, id: 'OLDER' });
    expect(parseSearchResult(answer(200, '[]'), '1/2')).toEqual({ ok: true, id: null });
    expect(parseSearchResult(answer(200, '{}'), '1/2').ok).toBe(false);
  });

  it('checks the token answer', () => {
    expect(
      parseTokenAnswer(
        answer(200, '{"token_type":"Bearer","access_token":"abc","expires_in":3600}'),
      ),
    ).toEqual({
      ok: true,
      accessToken: 'abc',
      tokenType: 'Bearer',
      expiresInSeconds: 3600,
    });
    expect(parseTokenAnswer(answer(200, '{"access_token":"","expires_in":3600}')).ok).toBe(false);
    expect(parseTokenAnswer(answer(200, '{"access_token":"a","expires_in":-1}')).ok).toBe(false);
    expect(
      parseTokenAnswer(answer(200, '{"access_token":"a","token_type":"mac","expires_in":9}')).ok,
    ).toBe(false);
  });
});

describe('error rows (the Failed Ticket Requests columns)', () => {
  it('names the cause of an exchange without an answer, with an empty HTTP code', () => {
    expect(noAnswerError('No answer within 30 s')).toEqual({
      httpStatus: null,
      appCode: '',
      message: 'No answer within 30 s',
      description: '',
    });
  });

  it('leaves the description empty when the body has none', () => {
    expect(errorFromAnswer(answer(400, '{"code":24,"message":"Invalid body field"}'))).toEqual({
      httpStatus: 400,
      appCode: '24',
      message: 'Invalid body field',
      description: '',
    });
    expect(errorFromAnswer(answer(400, '{"code":"E1","reason":"Bad ticket"}')).description).toBe(
      '',
    );
  });

  it('cuts long texts: code 50, message 500, description 2000 characters', () => {
    const body = JSON.stringify({
      code: 'C'.repeat(80),
      message: 'm'.repeat(900),
      description: 'd'.repeat(3000),
    });
    expect(errorFromAnswer(answer(400, body))).toEqual({
      httpStatus: 400,
      appCode: 'C'.repeat(50),
      message: 'm'.repeat(500),
      description: 'd'.repeat(2000),
    });
    const tmf = JSON.stringify({ code: 'E', reason: 'r'.repeat(900), message: 'x'.repeat(3000) });
    expect(errorFromAnswer(answer(400, tmf))).toMatchObject({
      message: 'r'.repeat(500),
      description: 'x'.repeat(2000),
    });
  });

  it.each([
    ['no code', '{"reason":"r","message":"m"}'],
    ['a message-only body', '{"message":"m","description":"d"}'],
    ['a code without message or reason', '{"code":5}'],
    ['a code that is neither number nor text', '{"code":true,"message":"m"}'],
    ['a code too large for a number', '{"code":1e999,"message":"m"}'],
    ['a truncated body', '{"code":5,"message":"m"}'],
  ])('falls back to the status text for %s', (_what, body) => {
    const truncated = body === '{"code":5,"message":"m"}';
    expect(errorFromAnswer(answer(400, body, 'application/json', truncated))).toEqual({
      httpStatus: 400,
      appCode: '',
      message: 'Bad Request',
      description: body,
    });
  });

  it('treats a 401 without an Orange code as a token to renew too', () => {
    expect(isTokenRejection(answer(401, 'Unauthorized', 'text/plain'))).toBe(true);
    expect(isTokenRejection(answer(401, '{"code":41,"message":"Invalid"}'))).toBe(true);
    expect(isTokenRejection(answer(401, '{"code":"4","message":"Other"}'))).toBe(false);
    expect(isTokenRejection(answer(400, 'Unauthorized', 'text/plain'))).toBe(false);
  });
});

describe('JSON content types', () => {
  it.each([
    'application/json',
    'Application/JSON; charset=utf-8',
    ' application/json ',
    'application/problem+json',
  ])('reads %s as JSON', (type) => {
    expect(isJsonContentType(type)).toBe(true);
  });

  it.each(['text/plain', 'text/html; charset=application/json', '', 'application/jsonx', 'json'])(
    'does not read %s as JSON',
    (type) => {
      expect(isJsonContentType(type)).toBe(false);
    },
  );
});

describe('reading a created ticket', () => {
  const invalid = (description: string) => ({
    ok: false,
    error: { httpStatus: 201, appCode: '', message: 'Invalid answer from Oceane', description },
  });

  it('accepts an id of the longest length, and not one character more', () => {
    const id = 'T'.repeat(MAX_TICKET_ID_LENGTH);
    expect(ticketIdProblem(id)).toBeNull();
    expect(ticketIdProblem(`${id}T`)).toMatch(/longer than 128/);
    expect(ticketIdProblem(undefined)).toMatch(/missing/);
    expect(ticketIdProblem(7)).toMatch(/not a string/);
    expect(ticketIdProblem('')).toMatch(/empty/);
    expect(ticketIdProblem('a\tb')).toMatch(/spaces or control/);
  });

  it('says why an answer is refused', () => {
    expect(parseCreatedTicket(answer(201, 'not json'))).toEqual(
      invalid('the body is not valid JSON'),
    );
    for (const body of ['[{"id":"T-1"}]', 'null', '"T-1"']) {
      expect(parseCreatedTicket(answer(201, body))).toEqual(
        invalid('the body is not a JSON object'),
      );
    }
    expect(parseCreatedTicket(answer(201, '{"id":""}'))).toEqual(invalid('the ticket id is empty'));
    expect(parseCreatedTicket(answer(201, '{"ticket":"T-1"}'))).toEqual(
      invalid('the ticket id is missing'),
    );
    expect(parseCreatedTicket(answer(201, '{"id":"T-1"}', ''))).toEqual(
      invalid('the answer is not JSON (content type "none")'),
    );
  });
});

describe('reading a search by alarm', () => {
  const ticket = (id: unknown, ext: unknown[], creationDate?: unknown) => ({
    id,
    creationDate,
    externalIdentifier: ext,
  });
  const search = (items: unknown[]) => parseSearchResult(answer(200, JSON.stringify(items)), '1/2');

  it('picks the oldest matching ticket when it comes first, and when it comes last', () => {
    const older = ticket('OLDER', [{ id: '1/2' }], '2025-01-01T00:00:00Z');
    const newer = ticket('NEWER', [{ id: '1/2' }], '2025-03-01T00:00:00Z');
    expect(search([older, newer])).toEqual({ ok: true, id: 'OLDER' });
    expect(search([newer, older])).toEqual({ ok: true, id: 'OLDER' });
  });

  it('keeps the first of two tickets created at the same instant', () => {
    const a = ticket('A', [{ id: '1/2' }], '2025-01-01T00:00:00Z');
    const b = ticket('B', [{ id: '1/2' }], '2025-01-01T00:00:00Z');
    expect(search([a, b])).toEqual({ ok: true, id: 'A' });
  });

  it('compares creation dates as instants, whatever their offsets', () => {
    const utc = ticket('UTC', [{ id: '1/2' }], '2025-01-01T09:00:00Z');
    const paris = ticket('PARIS', [{ id: '1/2' }], '2025-01-01T10:00:00+02:00');
    expect(search([utc, paris])).toEqual({ ok: true, id: 'PARIS' });
  });

  it('keeps the first ticket found when creation dates are missing or unreadable', () => {
    const undated = ticket('UNDATED', [{ id: '1/2' }]);
    const dated = ticket('DATED', [{ id: '1/2' }], '2025-01-01T00:00:00Z');
    const odd = ticket('ODD', [{ id: '1/2' }], 'yesterday');
    expect(search([undated, dated])).toEqual({ ok: true, id: 'UNDATED' });
    expect(search([dated, undated, odd])).toEqual({ ok: true, id: 'DATED' });
    expect(search([ticket('NUM', [{ id: '1/2' }], 5), dated])).toEqual({ ok: true, id: 'NUM' });
    // A number is not a date, even one that Date.parse would read as 2001.
    expect(search([dated, ticket('NUM', [{ id: '1/2' }], 5)])).toEqual({ ok: true, id: 'DATED' });
  });

  it('takes a ticket that carries the alarm among other identifiers, and nothing else', () => {
    expect(search([ticket('T', [{ id: 'x' }, 'junk', { id: '1/2' }])])).toEqual({
      ok: true,
      id: 'T',
    });
    expect(search([ticket('T', [{ id: '1/3' }])])).toEqual({ ok: true, id: null });
    expect(search([{ id: 'T', externalIdentifier: { id: '1/2' } }, 'junk', null])).toEqual({
      ok: true,
      id: null,
    });
  });

  it('refuses an answer that is not a JSON array', () => {
    expect(parseSearchResult(answer(200, '[]', 'text/html'), '1/2').ok).toBe(false);
    expect(parseSearchResult(answer(200, '[]', 'application/json', true), '1/2').ok).toBe(false);
    expect(parseSearchResult(answer(200, 'oops'), '1/2')).toEqual({
      ok: false,
      error: {
        httpStatus: 200,
        appCode: '',
        message: 'Invalid answer from Oceane',
        description: 'the body is not a JSON array',
      },
    });
  });
});

describe('reading a token answer (section 1)', () => {
  const token = (fields: Record<string, unknown>, contentType = 'application/json') =>
    parseTokenAnswer(answer(200, JSON.stringify(fields), contentType));
  const refused = (result: ReturnType<typeof parseTokenAnswer>) =>
    result.ok ? '' : result.error.description;

  it('takes Bearer when token_type is absent, and any case of bearer', () => {
    expect(token({ access_token: 'abc', expires_in: 60 })).toEqual({
      ok: true,
      accessToken: 'abc',
      tokenType: 'Bearer',
      expiresInSeconds: 60,
    });
    expect(token({ access_token: 'abc', token_type: 'bearer', expires_in: 60 }).ok).toBe(true);
  });

  it('refuses another token type, or an empty one', () => {
    expect(refused(token({ access_token: 'a', token_type: 'mac', expires_in: 9 }))).toBe(
      'unsupported token type "mac"',
    );
    expect(refused(token({ access_token: 'a', token_type: '', expires_in: 9 }))).toBe(
      'unsupported token type ""',
    );
  });

  it('reads expires_in given as text', () => {
    expect(token({ access_token: 'a', expires_in: '3600' })).toMatchObject({
      ok: true,
      expiresInSeconds: 3600,
    });
  });

  it.each([0, '0', -1, 'soon', null, undefined, true])('refuses expires_in %s', (expires) => {
    expect(refused(token({ access_token: 'a', expires_in: expires }))).toBe(
      'the answer has no positive expires_in',
    );
  });

  it('takes an access_token of up to 8192 characters', () => {
    const long = 'a'.repeat(8192);
    expect(token({ access_token: long, expires_in: 60 })).toMatchObject({
      ok: true,
      accessToken: long,
    });
  });

  it.each([
    ['missing', undefined],
    ['a number', 12345],
    ['empty', ''],
    ['oversized', 'a'.repeat(8193)],
    ['with a space', 'ab cd'],
    ['with a control character', 'ab\u0000cd'],
  ])('refuses an access_token %s', (_what, value) => {
    expect(refused(token({ access_token: value, expires_in: 60 }))).toBe(
      'the answer has no usable access_token',
    );
  });

  it('refuses a body that is not JSON, not an object, or not of a JSON type', () => {
    expect(refused(parseTokenAnswer(answer(200, '[]')))).toBe('the body is not a JSON object');
    expect(refused(parseTokenAnswer(answer(200, 'x')))).toBe('the body is not a JSON object');
    expect(refused(token({ access_token: 'a', expires_in: 60 }, 'text/plain'))).toBe(
      'the answer is not JSON (content type "text/plain")',
    );
  });
});
