/**
 * Calls to Oceane through Electron's network stack: `session.fetch` (net.fetch) of a session
 * of their own, so the operating system's proxy settings and certificate store apply, as
 * operators expect of a desktop app. An extra trusted CA certificate from Settings is
 * honoured by that session's certificate check: a server certificate Chromium refuses is
 * accepted only when the CA signed it and it names the host. The renderer's session is not
 * touched. Receives the Electron session, so it is tested with a fake.
 */
import { X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';
import type { FetchFactory, FetchFunction } from '../connector/http-transport.js';

/** What Electron's certificate check tells about one server certificate. */
export interface CertificateCheck {
  hostname: string;
  /** Chromium's own verdict: 'net::OK' when the system trusts the certificate. */
  verificationResult: string;
  certificate: { data: string };
}

/** The parts of an Electron session used here. */
export interface FetchSession {
  fetch(input: string | Request, init?: RequestInit): Promise<Response>;
  setCertificateVerifyProc(
    proc: ((request: CertificateCheck, callback: (verdict: number) => void) => void) | null,
  ): void;
}

/** Chromium's verdicts: 0 accept, -2 refuse, -3 keep Chromium's own result. */
const ACCEPT = 0;
const CHROMIUM_DECIDES = -3;

/** True when `leafPem` was issued and signed by `caPem` and names `hostname`. */
export function issuedByExtraCa(leafPem: string, caPem: string, hostname: string): boolean {
  try {
    const leaf = new X509Certificate(leafPem);
    const ca = new X509Certificate(caPem);
    if (!ca.ca || !leaf.checkIssued(ca) || !leaf.verify(ca.publicKey)) return false;
    const now = Date.now();
    if (Date.parse(leaf.validFrom) > now || Date.parse(leaf.validTo) < now) return false;
    return isIP(hostname)
      ? leaf.checkIP(hostname) !== undefined
      : leaf.checkHost(hostname) !== undefined;
  } catch {
    return false;
  }
}

/** The fetch factory of the app: `session.fetch`, trusting the extra CA in force. */
export function createElectronFetchFactory(session: FetchSession): FetchFactory {
  let extraCa = '';
  session.setCertificateVerifyProc((request, callback) => {
    if (request.verificationResult === 'net::OK' || extraCa === '') {
      callback(CHROMIUM_DECIDES);
      return;
    }
    const trusted = issuedByExtraCa(request.certificate.data, extraCa, request.hostname);
    callback(trusted ? ACCEPT : CHROMIUM_DECIDES);
  });
  const fetch: FetchFunction = (input, init) =>
    session.fetch(input instanceof URL ? input.href : input, init);
  return (extraCaPem) => {
    extraCa = extraCaPem.trim();
    return fetch;
  };
}
