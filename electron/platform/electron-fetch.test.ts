import { describe, expect, it } from 'vitest';
import { createTestCertificates } from '../oceane-simulator/test-ca.js';
import {
  createElectronFetchFactory,
  issuedByExtraCa,
  type CertificateCheck,
  type FetchSession,
} from './electron-fetch.js';

const ours = createTestCertificates('Company CA');
const other = createTestCertificates('Someone Else CA');

/** A fake Electron session: records the verify proc and the fetch calls. */
function fakeSession() {
  const calls: unknown[] = [];
  let proc: Parameters<FetchSession['setCertificateVerifyProc']>[0] = null;
  const session: FetchSession = {
    fetch: (input) => {
      calls.push(input);
      return Promise.resolve(new Response('ok'));
    },
    setCertificateVerifyProc: (p) => {
      proc = p;
    },
  };
  const verdict = (check: CertificateCheck): number => {
    let answer = Number.NaN;
    proc?.(check, (v) => {
      answer = v;
    });
    return answer;
  };
  return { session, calls, verdict };
}

const check = (
  leafPem: string,
  hostname = '127.0.0.1',
  result = 'net::ERR_CERT_AUTHORITY_INVALID',
): CertificateCheck => ({
  hostname,
  verificationResult: result,
  certificate: { data: leafPem },
});

describe('createElectronFetchFactory', () => {
  it('sends through the session’s own fetch (net.fetch)', async () => {
    const { session, calls } = fakeSession();
    const fetch = createElectronFetchFactory(session)('');
    await fetch('https://oceane.example/x');
    expect(calls).toEqual(['https://oceane.example/x']);
  });

  it('leaves every verdict to Chromium while no extra CA is set', () => {
    const { session, verdict } = fakeSession();
    createElectronFetchFactory(session)('');
    expect(verdict(check(ours.certPem))).toBe(-3);
  });

  it('accepts a certificate the extra CA signed for the host, and nothing else', () => {
    const { session, verdict } = fakeSession();
    createElectronFetchFactory(session)(ours.caPem);
    expect(verdict(check(ours.certPem))).toBe(0);
    expect(verdict(check(ours.certPem, 'localhost'))).toBe(0);
    // Signed by another CA, or for another host: Chromium's refusal stands.
    expect(verdict(check(other.certPem))).toBe(-3);
    expect(verdict(check(ours.certPem, 'oceane.example'))).toBe(-3);
    // What the system trusts stays Chromium's call.
    expect(verdict(check(other.certPem, '127.0.0.1', 'net::OK'))).toBe(-3);
  });
});

describe('issuedByExtraCa', () => {
  it('refuses a CA that is not a CA and text that is not a certificate', () => {
    expect(issuedByExtraCa(ours.certPem, ours.certPem, '127.0.0.1')).toBe(false);
    expect(issuedByExtraCa('garbage', ours.caPem, '127.0.0.1')).toBe(false);
  });
});
