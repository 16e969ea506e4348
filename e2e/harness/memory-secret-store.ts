/**
 * A SecretStorePort for the browser harness and benchmarks: it behaves like an OS key store
 * that is available (the secret "persists" for the life of the object).
 */
import type { SecretStorageStatus } from '../../shared/domain.js';
import type { SecretStorePort } from '../../electron/connector/ports.js';

/** An in-memory secret store reporting a real (non-weak) OS backend. */
export function memorySecretStore(initial?: string): SecretStorePort {
  let secret = initial;
  let weakConsent = false;
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
    status: (): SecretStorageStatus => ({
      encryptionAvailable: true,
      backend: 'test_keyring',
      weak: false,
      weakConsent,
      persisted: true,
    }),
  };
}
