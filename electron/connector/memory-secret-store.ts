/**
 * A SecretStorePort that keeps the secret in memory only: for tests, and the behaviour the app
 * falls back to where the OS has no real key store and the user has not consented to weak
 * storage.
 */
import type { SecretStorageStatus } from '../../shared/domain.js';
import type { SecretStorePort } from './ports.js';

/** An in-memory secret store; `initial` pre-sets the secret. */
export function createMemorySecretStore(initial?: string): SecretStorePort {
  let secret = initial;
  let weakConsent = false;
  const status = (): SecretStorageStatus => ({
    encryptionAvailable: false,
    backend: 'memory',
    weak: false,
    weakConsent,
    persisted: false,
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
