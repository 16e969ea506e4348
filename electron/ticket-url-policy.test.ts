import { describe, expect, it } from 'vitest';
import { ticketUrlProblem } from './ticket-url-policy.js';

describe('ticketUrlProblem', () => {
  const base = 'https://oceane.example.com/api/';

  it('allows an https URL on the configured origin', () => {
    expect(ticketUrlProblem('https://oceane.example.com/ticket/OCE-1', base)).toBeNull();
  });

  it.each([
    ['javascript:alert(1)', /javascript:/],
    ['file:///etc/passwd', /file:/],
    ['https://evil.example.net/ticket/1', /must be on the Oceane server/],
    ['http://oceane.example.com/ticket/1', /must be on the Oceane server/],
    ['https://user:pw@oceane.example.com/ticket/1', /credentials/],
    ['https://user@oceane.example.com/ticket/1', /credentials/],
    ['https://:pw@oceane.example.com/ticket/1', /credentials/],
    ['not a url', /valid URL/],
  ])('refuses %s', (url, reason) => {
    expect(ticketUrlProblem(url, base)).toMatch(reason);
  });

  it('refuses everything when the configured Base URL cannot be read', () => {
    expect(ticketUrlProblem('https://oceane.example.com/ticket/1', 'oceane.example.com')).toMatch(
      /configured Base URL is not valid/,
    );
  });

  it('refuses everything when no Base URL is configured', () => {
    expect(ticketUrlProblem('https://oceane.example.com/ticket/1', '')).toMatch(/No Oceane/);
  });
});
