import { describe, expect, it } from 'vitest';
import type { Logger } from '../connector/ports.js';
import { createUrlOpener, externalUrlProblem } from './url-opener.js';

function setup(policy?: (url: string) => string | null) {
  const opened: string[] = [];
  const warnings: string[] = [];
  const logger: Logger = {
    info: () => undefined,
    warn: (m, d) => warnings.push(`${m}: ${String(d?.problem)}`),
    error: () => undefined,
  };
  const open = createUrlOpener({
    openExternal: async (url) => {
      opened.push(url);
    },
    logger,
    ...(policy ? { policy } : {}),
  });
  return { open, opened, warnings };
}

describe('the URL opener', () => {
  it('opens an https ticket link in the browser', async () => {
    const s = setup();
    await s.open('https://oceane.example.com/ticket/TT-1');
    expect(s.opened).toEqual(['https://oceane.example.com/ticket/TT-1']);
  });

  it('opens the http link of the local simulator', async () => {
    const s = setup();
    await s.open('http://127.0.0.1:47821/ticket/1');
    expect(s.opened).toEqual(['http://127.0.0.1:47821/ticket/1']);
  });

  it.each([
    'file:///etc/passwd',
    'javascript:alert(1)',
    'smb://server/share',
    'ms-settings:privacy',
    'https://user:pw@oceane.example.com/ticket/1',
    'https://user@oceane.example.com/ticket/1',
    'https://:pw@oceane.example.com/ticket/1',
    'not a url',
  ])('refuses and logs %s', async (url) => {
    const s = setup();
    await expect(s.open(url)).rejects.toThrow();
    expect(s.opened).toEqual([]);
    expect(s.warnings).toHaveLength(1);
  });

  it('applies the extra policy as well', async () => {
    const s = setup((url) =>
      url.startsWith('https://oceane.example.com/') ? null : 'foreign origin',
    );
    await expect(s.open('https://evil.example/ticket/1')).rejects.toThrow('foreign origin');
    await s.open('https://oceane.example.com/ticket/2');
    expect(s.opened).toEqual(['https://oceane.example.com/ticket/2']);
  });

  it('explains why a URL is refused', () => {
    expect(externalUrlProblem('https://h/x')).toBeNull();
    expect(externalUrlProblem('file:///x')).toBe('Refused to open a file: URL');
  });

  it('logs what it opens and what it refuses, with the URL cut to 500 characters', async () => {
    const logged: [string, Record<string, unknown> | undefined][] = [];
    const logger: Logger = {
      info: (m, d) => logged.push([m, d]),
      warn: (m, d) => logged.push([m, d]),
      error: () => undefined,
    };
    const open = createUrlOpener({ openExternal: async () => undefined, logger });
    const long = `https://oceane.example.com/ticket/${'x'.repeat(600)}`;
    await open(long);
    await expect(open(`ftp://h/${'y'.repeat(600)}`)).rejects.toThrow('Refused to open a ftp: URL');
    expect(logged).toEqual([
      ['Opening a ticket URL in the browser', { url: long.slice(0, 500) }],
      [
        'Refused to open a URL',
        { url: `ftp://h/${'y'.repeat(492)}`, problem: 'Refused to open a ftp: URL' },
      ],
    ]);
  });
});
