/**
 * A SecretStorePort that keeps the secret in memory only: for tests, and the behaviour the app
 * falls back to where the OS has no real key store and the user has not consented to weak
 * storage.
 */
import type { SecretStorageStatus } from '../../shared/domain.js';
import type { SecretStorePort } from './ports.js';

/**
 * An in-memory secret store; `initial` pre-sets the secret. `reported` overrides what it says of
 * itself, e.g. to stand for an available OS key store in the browser harness.
 */
export function createMemorySecretStore(
  initial?: string,
  reported: Partial<Omit<SecretStorageStatus, 'weakConsent'>> = {},
): SecretStorePort {
  let secret = initial;
  let weakConsent = false;
  const status = (): SecretStorageStatus => ({
    encryptionAvailable: false,
    backend: 'memory',
    weak: false,
    persisted: false,
    ...reported,
    weakConsent,
  });
  return {
    get: () => secret,
    set: (value) => {
      secret = value;
    },
    clear: () => {
      secret = undefined;
    },
    setWeakConsent: (consent) => {
      weakConsent = consent;
    },
    status,
  };
}
