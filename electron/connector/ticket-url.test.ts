import { describe, expect, it } from 'vitest';
import { buildTicketUrl, safeHttpUrl, ticketUrlTemplateProblem } from './ticket-url.js';

describe('building the ticket URL from the template', () => {
  it('fills the template with the base and the encoded id', () => {
    expect(buildTicketUrl('{base}/ticket/{id}', 'https://h/', 'A/B C')).toBe(
      'https://h/ticket/A%2FB%20C',
    );
  });

  it('fills every {base} and {id}, with the base without its trailing slashes', () => {
    expect(buildTicketUrl('{base}/t/{id}?back={base}&id={id}', 'https://h/api//', 'T-1')).toBe(
      'https://h/api/t/T-1?back=https://h/api&id=T-1',
    );
  });

  it('works with a template of its own address, without {base}', () => {
    expect(buildTicketUrl('https://portal.example.com/t/{id}', 'https://h', 'T 2')).toBe(
      'https://portal.example.com/t/T%202',
    );
  });

  it('gives the URL in its normal form', () => {
    expect(buildTicketUrl('{base}/t/{id}', 'HTTPS://Oceane.Example.COM', '7')).toBe(
      'https://oceane.example.com/t/7',
    );
  });

  it('never gives anything but an absolute http(s) URL', () => {
    expect(buildTicketUrl('javascript:alert({id})', 'https://h', '1')).toBeNull();
    expect(buildTicketUrl('{id}', 'https://h', 'javascript:alert(1)')).toBeNull();
    expect(buildTicketUrl('data:text/html,{id}', 'https://h', '1')).toBeNull();
    expect(buildTicketUrl('{base}/t/{id}', '', '1')).toBeNull();
  });
});

describe('safe http(s) URLs', () => {
  it('keeps absolute http and https URLs, normalized', () => {
    expect(safeHttpUrl('https://h/x')).toBe('https://h/x');
    expect(safeHttpUrl('http://h')).toBe('http://h/');
  });

  it.each([
    'ftp://h/x',
    'file:///etc/passwd',
    'javascript:alert(1)',
    '/relative/path',
    'not a url',
    '',
    'https://user:pw@h/x',
    'https://user@h/x',
    'https://:pw@h/x',
  ])('refuses %s', (url) => {
    expect(safeHttpUrl(url)).toBeNull();
  });
});

describe('checking the ticket URL template', () => {
  it('needs {id}', () => {
    expect(ticketUrlTemplateProblem('{base}/ticket', 'https://h')).toMatch(/must contain \{id\}/);
  });

  it('accepts a template that gives an http(s) address', () => {
    expect(ticketUrlTemplateProblem('https://portal.example.com/t/{id}', '')).toBeNull();
    expect(ticketUrlTemplateProblem('{base}/ticket/{id}', 'https://oceane.example.com')).toBeNull();
  });

  it('checks a template with {base} against a sample Base URL when none is configured', () => {
    expect(ticketUrlTemplateProblem('{base}/ticket/{id}', '')).toBeNull();
  });

  it('refuses a template that gives anything else, with the configured Base URL', () => {
    expect(ticketUrlTemplateProblem('file:///{id}', '')).toMatch(/must give an http\(s\) address/);
    expect(ticketUrlTemplateProblem('{base}/ticket/{id}', 'ftp://files.example.com')).toMatch(
      /must give an http\(s\) address/,
    );
  });
});
