import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSimulator } from './server.js';
import { createTicket, getWithToken, profileBody, TICKETS, token } from './test-support.js';
import type { RunningSimulator, TroubleTicket } from './types.js';

let sim: RunningSimulator;
let accessToken: string;
beforeEach(async () => {
  sim = await startSimulator();
  accessToken = await token(sim);
});
afterEach(() => sim.close());

async function create(body: Record<string, unknown>): Promise<TroubleTicket> {
  const res = await createTicket(sim, accessToken, body);
  expect(res.status).toBe(201);
  return (await res.json()) as TroubleTicket;
}

describe('find and get tickets (oceane-api.md section 3)', () => {
  it('finds the tickets of one alarm by externalIdentifier.id', async () => {
    const mine = await create(profileBody('12', '3456'));
    await create(profileBody('12', '3457'));
    const res = await getWithToken(sim, accessToken, `${TICKETS}?externalIdentifier.id=12%2F3456`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual([mine]);
  });

  it('answers an empty array for an alarm without tickets', async () => {
    await create(profileBody('12', '3456'));
    const res = await getWithToken(sim, accessToken, `${TICKETS}?externalIdentifier.id=99%2F1`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual([]);
  });

  it('needs a valid Bearer token to find or get', async () => {
    const find = await fetch(`${sim.url}${TICKETS}?externalIdentifier.id=1%2F1`);
    expect(find.status).toBe(401);
    expect(await find.json()).toMatchObject({ code: 40 });
    const get = await getWithToken(sim, 'forged', `${TICKETS}/OCE-000001`);
    expect(get.status).toBe(401);
    expect(await get.json()).toMatchObject({ code: 41 });
  });

  it('gets a ticket by id', async () => {
    const ticket = await create(profileBody());
    const res = await getWithToken(sim, accessToken, `${TICKETS}/${ticket.id}`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual(ticket);
  });

  it('answers 404 code 60 for an unknown ticket id', async () => {
    const res = await getWithToken(sim, accessToken, `${TICKETS}/OCE-999999`);
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ code: 60 });
  });
});

describe('routing', () => {
  it('answers 404 code 60 for an unknown route', async () => {
    const res = await fetch(`${sim.url}/tmf-api/troubleTicket/v4/troubleTicket`);
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ code: 60 });
  });

  it('answers 405 with Allow for a wrong method', async () => {
    const res = await fetch(`${sim.url}/oauth/v3/token`);
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('POST');
    const del = await fetch(`${sim.url}${TICKETS}/OCE-000001`, { method: 'DELETE' });
    expect(del.status).toBe(405);
  });
});

describe('ticket page (/ticket/{id})', () => {
  it('shows the ticket with every value HTML-escaped', async () => {
    const body = profileBody();
    body.description = '<script>alert("x")</script> & <b>bold</b>';
    body.name = `Element "7" <img src=x onerror='alert(1)'>`;
    const ticket = await create(body);
    const res = await fetch(`${sim.url}/ticket/${ticket.id}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    const html = await res.text();
    expect(html).toContain(ticket.id);
    expect(html).toContain(
      '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;',
    );
    expect(html).toContain('Element &quot;7&quot; &lt;img src=x onerror=&#39;alert(1)&#39;&gt;');
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<img');
  });

  it('answers a 404 page, escaping the requested id, when the ticket is unknown', async () => {
    const res = await fetch(`${sim.url}/ticket/${encodeURIComponent('<b>nope</b>')}`);
    expect(res.status).toBe(404);
    const html = await res.text();
    expect(html).toContain('Ticket not found');
    expect(html).toContain('&lt;b&gt;nope&lt;/b&gt;');
    expect(html).not.toContain('<b>nope');
  });
});
