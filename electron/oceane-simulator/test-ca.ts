/**
 * A certificate authority made for one test run, and a server certificate it signed for
 * 127.0.0.1 and localhost: what an Oceane behind a company's private CA looks like. Made with
 * the `openssl` command (Linux and macOS have it; Git for Windows ships it), in a temporary
 * folder that is removed at once. For tests and the simulator's `--tls` only; the app never
 * imports it.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

/** PEM texts: the CA certificate to trust, and the server's certificate and key. */
export interface TestCertificates {
  caPem: string;
  certPem: string;
  keyPem: string;
}

/** Makes a fresh CA and a server certificate signed by it (valid for two days). */
export function createTestCertificates(commonName = 'Oceane Simulator Test CA'): TestCertificates {
  const dir = mkdtempSync(path.join(tmpdir(), 'oceane-test-ca-'));
  const at = (name: string): string => path.join(dir, name);
  const openssl = (...args: string[]): void => {
    execFileSync('openssl', args, { stdio: 'pipe' });
  };
  try {
    const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
    openssl(
      'req',
      '-x509',
      ...ec,
      '-keyout',
      at('ca.key'),
      '-out',
      at('ca.pem'),
      '-days',
      '2',
      '-subj',
      `/CN=${commonName}`,
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
    );
    openssl(
      'req',
      ...ec,
      '-keyout',
      at('server.key'),
      '-out',
      at('server.csr'),
      '-subj',
      '/CN=127.0.0.1',
    );
    writeFileSync(
      at('server.ext'),
      'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\nsubjectAltName=IP:127.0.0.1,DNS:localhost\n',
    );
    openssl(
      'x509',
      '-req',
      '-in',
      at('server.csr'),
      '-CA',
      at('ca.pem'),
      '-CAkey',
      at('ca.key'),
      '-CAcreateserial',
      '-out',
      at('server.pem'),
      '-days',
      '2',
      '-extfile',
      at('server.ext'),
    );
    return {
      caPem: readFileSync(at('ca.pem'), 'utf8'),
      certPem: readFileSync(at('server.pem'), 'utf8'),
      keyPem: readFileSync(at('server.key'), 'utf8'),
    };
  } catch (error) {
    const detail =
      (error as { stderr?: Buffer }).stderr?.toString().trim() || (error as Error).message;
    throw new Error(`Could not make a test certificate authority with openssl: ${detail}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
