import { describe, expect, it } from 'vitest';
import {
  SETTINGS_BOUNDS,
  SETTINGS_DEFAULTS,
  baseUrlProblem,
  dataMinerUrlProblem,
  isLoopbackHost,
  normalizeBaseUrl,
} from './settings-rules.js';

describe('the defaults and bounds of the settings', () => {
  it('are the seed Element Settings defaults and the API settings of design.md', () => {
    expect(SETTINGS_DEFAULTS).toEqual({
      ticketStorageDurationDays: 90,
      ticketStorageCountLimit: 1000,
      ticketCreationRetryCount: 1,
      displayDebugPage: false,
      baseUrl: '',
      clientId: '',
      userId: '',
      ticketUrlTemplate: '{base}/ticket/{id}',
      requestTimeoutSeconds: 30,
      desktopNotifications: true,
      ticketStatusPollSeconds: 60,
      clearAction: 'nothing',
      eventListenerUrl: '',
    });
  });

  it('keep every default inside its bounds, and a retry count of 0 allowed', () => {
    expect(SETTINGS_BOUNDS).toEqual({
      ticketStorageDurationDays: { min: 1, max: 3650 },
      ticketStorageCountLimit: { min: 1, max: 1_000_000 },
      ticketCreationRetryCount: { min: 0, max: 10 },
      requestTimeoutSeconds: { min: 1, max: 300 },
      ticketStatusPollSeconds: { min: 10, max: 3600 },
    });
    for (const [key, { min, max }] of Object.entries(SETTINGS_BOUNDS)) {
      const value = SETTINGS_DEFAULTS[key as keyof typeof SETTINGS_BOUNDS];
      expect(value).toBeGreaterThanOrEqual(min);
      expect(value).toBeLessThanOrEqual(max);
    }
  });
});

describe('loopback hosts (the only hosts allowed plain http)', () => {
  it.each([
    'localhost',
    'LOCALHOST',
    'Localhost',
    '127.0.0.1',
    '127.1.2.3',
    '127.255.255.255',
    '[::1]',
    '::1',
  ])('allows %s', (host) => {
    expect(isLoopbackHost(host)).toBe(true);
  });

  it.each([
    '127.0.0.1.attacker.example',
    'x127.0.0.1',
    '1127.0.0.1',
    '127.0.0',
    '127.0.0.1.5',
    '127.0.0.1234',
    '127.a.b.c',
    '10.0.0.1',
    'localhost.attacker.example',
    'mylocalhost',
    '[::2]',
    '',
  ])('refuses %s', (host) => {
    expect(isLoopbackHost(host)).toBe(false);
  });
});

describe('the Base URL', () => {
  it('may be empty: not configured yet', () => {
    expect(baseUrlProblem('')).toBeNull();
  });

  it.each([
    'https://oceane.example.com',
    'https://oceane.example.com/',
    'https://oceane.example.com:8443/api/v1',
    'http://localhost:8080',
    'http://127.0.0.1:3000/oceane',
    'http://[::1]:3000',
    'HTTPS://Oceane.Example.com',
  ])('accepts %s', (url) => {
    expect(baseUrlProblem(url)).toBeNull();
  });

  it('refuses what is not a full URL, and says what to enter', () => {
    for (const value of ['oceane.example.com', '/api', 'https://', 'not a url']) {
      expect(baseUrlProblem(value)).toMatch(/full URL such as https:\/\//);
    }
  });

  it.each([
    'ftp://oceane.example.com',
    'javascript:alert(1)',
    'file:///etc/passwd',
    'ws://localhost:1',
    'data:text/html,x',
  ])('refuses another scheme: %s', (url) => {
    expect(baseUrlProblem(url)).toMatch(/must start with https:\/\//);
  });

  it.each([
    'http://oceane.example.com',
    'http://127.0.0.1.attacker.example',
    'http://localhost.attacker.example',
    'http://10.0.0.1:8080',
  ])('refuses plain http off this machine: %s', (url) => {
    expect(baseUrlProblem(url)).toMatch(/Plain http is allowed only for this machine/);
  });

  it.each([
    'https://user:pw@oceane.example.com',
    'https://user@oceane.example.com',
    'https://:pw@oceane.example.com',
    'http://user:pw@localhost',
  ])('refuses credentials: %s', (url) => {
    expect(baseUrlProblem(url)).toMatch(/credentials/);
  });

  it.each([
    'https://oceane.example.com/?a=1',
    'https://oceane.example.com/#top',
    'http://localhost/api?x',
  ])('refuses a query or a fragment: %s', (url) => {
    expect(baseUrlProblem(url)).toMatch(/query \(\?\) or fragment \(#\)/);
  });
});

describe('normalizing the Base URL', () => {
  it('drops every trailing slash, and only trailing ones', () => {
    expect(normalizeBaseUrl('https://h/')).toBe('https://h');
    expect(normalizeBaseUrl('https://h///')).toBe('https://h');
    expect(normalizeBaseUrl('https://h/api/v1/')).toBe('https://h/api/v1');
    expect(normalizeBaseUrl('https://h')).toBe('https://h');
    expect(normalizeBaseUrl('')).toBe('');
  });
});

describe('the DataMiner address (team DataMiner process, issue 14)', () => {
  it('accepts empty (the built-in DataMiner) and an http(s) host with a port', () => {
    expect(dataMinerUrlProblem('')).toBeNull();
    expect(dataMinerUrlProblem('http://127.0.0.1:47830')).toBeNull();
    expect(dataMinerUrlProblem('http://dataminer.noc.example:47830/')).toBeNull();
    expect(dataMinerUrlProblem('https://dataminer.example.com')).toBeNull();
  });

  it('refuses anything else with a sentence saying what to enter', () => {
    expect(dataMinerUrlProblem('127.0.0.1:47830')).toBe(
      'Enter the DataMiner address such as http://127.0.0.1:47830, or leave it empty',
    );
    expect(dataMinerUrlProblem('not a url')).toMatch(/^Enter the DataMiner address such as/);
    expect(dataMinerUrlProblem('ws://127.0.0.1:47830')).toMatch(/must start with http/);
    expect(dataMinerUrlProblem('http://u:p@h:1')).toMatch(/credentials/);
    expect(dataMinerUrlProblem('http://h:1/dataminer')).toMatch(/only a host and a port/);
  });
});
