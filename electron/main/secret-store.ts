import { safeStorage } from 'electron';
import type { SecretStore } from '../../engine/ports';
import { createEncryptedSecretStore } from './policy/encrypted-secret-store';

/** The engine's SecretStore backed by Electron safeStorage (OS keychain / DPAPI / libsecret). */
export function createSafeStorageSecretStore(dataDir: string): Promise<SecretStore> {
  return createEncryptedSecretStore({
    dataDir,
    cipher: {
      isEncryptionAvailable: () => safeStorage.isAsyncEncryptionAvailable(),
      backend: () => {
        if (process.platform === 'linux') return safeStorage.getSelectedStorageBackend();
        return process.platform === 'darwin' ? 'keychain' : 'dpapi';
      },
      encrypt: (plain) => safeStorage.encryptStringAsync(plain),
      decrypt: async (data) => {
        const out = await safeStorage.decryptStringAsync(Buffer.from(data));
        return { plain: out.result, reEncrypt: out.shouldReEncrypt };
      },
    },
  });
}
