import { describe, expect, it } from 'vitest';
import type { HttpOutcome } from './http-exchange.js';
import {
  errorFromAnswer,
  isTokenRejection,
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
