/**
 * How the connector reaches Oceane: the `fetch` handed to ky and the User-Agent it sends.
 * In the app, main passes Electron's `net.fetch` (the operating system's proxy settings and
 * certificate store apply, as operators expect of a desktop app); in plain Node (tests, the
 * browser test harness, the crash test) Node's fetch is used. Either way an extra trusted CA
 * certificate from Settings is honoured: here through an undici Agent that trusts Node's
 * root certificates plus that one.
 */
import { X509Certificate } from 'node:crypto';
import { rootCertificates } from 'node:tls';
import { Agent } from 'undici';

/** The fetch the connector's HTTP exchanges use. */
export type FetchFunction = typeof fetch;

/** Builds the fetch for the extra trusted CA certificate in force ('' for none). */
export type FetchFactory = (extraCaPem: string) => FetchFunction;

/** What one exchange is sent with. */
export interface HttpTransport {
  fetch: FetchFunction;
  userAgent: string;
}

/** `OceaneAlarmConsole/<version>`, the User-Agent of every request to Oceane. */
export function userAgentFor(version: string): string {
  return `OceaneAlarmConsole/${version}`;
}

/** Node's fetch, trusting an extra CA certificate when one is set (one Agent per CA). */
export function createNodeFetchFactory(): FetchFactory {
  const agents = new Map<string, Agent>();
  return (extraCaPem) => {
    if (extraCaPem.trim() === '') return globalThis.fetch;
    let agent = agents.get(extraCaPem);
    if (!agent) {
      agents.clear(); // one CA in force at a time
      agent = new Agent({ connect: { ca: [...rootCertificates, extraCaPem] } });
      agents.set(extraCaPem, agent);
    }
    const dispatcher = agent;
    return (input, init) => globalThis.fetch(input, { ...init, dispatcher } as RequestInit);
  };
}

const PEM = /-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g;

/**
 * A pasted CA certificate in canonical PEM form: line breaks lost in a one-line field are put
 * back (base64 in lines of 64). Text without a certificate block comes back unchanged.
 */
export function normalizePem(text: string): string {
  const blocks = [...text.matchAll(PEM)].map((m) => {
    const body = (m[1] ?? '').replace(/\s+/g, '');
    const lines = body.match(/.{1,64}/g) ?? [];
    return ['-----BEGIN CERTIFICATE-----', ...lines, '-----END CERTIFICATE-----'].join('\n');
  });
  return blocks.length === 0 ? text.trim() : `${blocks.join('\n')}\n`;
}

/** Why a pasted CA certificate cannot be used, or null ('' means none, which is fine). */
export function caCertificateProblem(pem: string): string | null {
  if (pem.trim() === '') return null;
  if ([...pem.matchAll(PEM)].length === 0) {
    return 'Paste the CA certificate in PEM form, from -----BEGIN CERTIFICATE----- to -----END CERTIFICATE-----';
  }
  try {
    const cert = new X509Certificate(pem);
    if (!cert.ca) return `${cert.subject.replace(/\n/g, ', ')} is not a CA certificate`;
    if (Date.parse(cert.validTo) < Date.now())
      return `This CA certificate expired on ${cert.validTo}`;
  } catch (error) {
    return `This is not a readable certificate: ${(error as Error).message}`;
  }
  return null;
}
