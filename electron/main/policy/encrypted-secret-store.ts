import { join } from 'node:path';
import type { SecretStore } from '../../../engine/ports';
import { readJsonFile, writeFileAtomic } from '../../../engine/files/atomic-file';

/** File (inside the data folder) holding the OS-encrypted secrets, base64 per key. */
export const SECRETS_FILE = 'secrets.json';

/**
 * The OS encryption the shell provides (Electron's safeStorage). Kept as a port so the storage
 * rules below run and are tested in plain Node.
 */
export type OsCipher = {
  isEncryptionAvailable(): Promise<boolean>;
  /** Linux: `safeStorage.getSelectedStorageBackend()`; elsewhere a fixed name (keychain, dpapi). */
  backend(): string;
  encrypt(plain: string): Promise<Uint8Array>;
  /** `reEncrypt`: the OS rotated or upgraded the key; store the value again to keep it readable. */
  decrypt(data: Uint8Array): Promise<{ plain: string; reEncrypt: boolean }>;
};

type SecretStorageVerdict = {
  /** Write encrypted secrets to disk, or keep them in memory for this session only. */
  persist: boolean;
  backend: string;
  secure: boolean;
  warning?: string;
};

/**
 * Decides whether secrets may be written to disk. On Linux without a keyring, safeStorage
 * "encrypts" with a hard-coded key (`basic_text`), which is plain text in all but name, so we
 * refuse to persist rather than give a false sense of safety.
 */
export async function decideSecretStorage(
  cipher: Pick<OsCipher, 'isEncryptionAvailable' | 'backend'>,
): Promise<SecretStorageVerdict> {
  const available = await cipher.isEncryptionAvailable();
  const backend = available ? cipher.backend() : 'unavailable';
  if (available && backend !== 'basic_text' && backend !== 'unknown') {
    return { persist: true, backend, secure: true };
  }
  return {
    persist: false,
    backend: `memory (${backend})`,
    secure: false,
    warning:
      'No secure credential store (OS keychain or keyring) is available, so secrets are kept in memory ' +
      'for this session only and must be entered again after SCIM Porter restarts. ' +
      'On Linux, install and unlock a keyring such as GNOME Keyring or KWallet.',
  };
}

type SecretsFile = { version: 1; secrets: Record<string, string> };

function isSecretsFile(value: unknown): value is SecretsFile {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as { version?: unknown; secrets?: unknown };
  return v.version === 1 && typeof v.secrets === 'object' && v.secrets !== null;
}

/**
 * SecretStore over OS encryption: values encrypted with `cipher`, stored base64 in
 * `<dataDir>/secrets.json` (mode 0600, written atomically). Falls back to memory only, with
 * `secure: false`, when `decideSecretStorage` says the OS store is not safe.
 */
export async function createEncryptedSecretStore(options: {
  dataDir: string;
  cipher: OsCipher;
}): Promise<SecretStore> {
  const { cipher } = options;
  const verdict = await decideSecretStorage(cipher);
  const path = join(options.dataDir, SECRETS_FILE);
  const memory = new Map<string, string>();
  let queue: Promise<unknown> = Promise.resolve();

  async function readAll(): Promise<Record<string, string>> {
    const raw = await readJsonFile(path);
    return isSecretsFile(raw) ? { ...raw.secrets } : {};
  }

  /** Serialises read-modify-write cycles so concurrent saves cannot lose each other's secrets. */
  function change(mutate: (all: Record<string, string>) => void): Promise<void> {
    const next = queue.then(async () => {
      const all = await readAll();
      mutate(all);
      const body: SecretsFile = { version: 1, secrets: all };
      await writeFileAtomic(path, JSON.stringify(body, null, 2) + '\n');
    });
    queue = next.catch(() => undefined);
    return next;
  }

  const describe = (): ReturnType<SecretStore['describe']> => ({
    backend: verdict.backend,
    secure: verdict.secure,
    ...(verdict.warning !== undefined ? { warning: verdict.warning } : {}),
  });

  if (!verdict.persist) {
    return {
      get: (key) => Promise.resolve(memory.get(key)),
      set: (key, value) => {
        memory.set(key, value);
        return Promise.resolve();
      },
      delete: (key) => {
        memory.delete(key);
        return Promise.resolve();
      },
      describe,
    };
  }

  async function set(key: string, value: string): Promise<void> {
    const sealed = Buffer.from(await cipher.encrypt(value)).toString('base64');
    await change((all) => {
      all[key] = sealed;
    });
  }

  return {
    async get(key) {
      await queue;
      const stored = (await readAll())[key];
      if (stored === undefined) return undefined;
      let opened: { plain: string; reEncrypt: boolean };
      try {
        opened = await cipher.decrypt(Buffer.from(stored, 'base64'));
      } catch {
        // Encrypted under another OS user or a reset keychain: treat as absent so the user is
        // asked for it again instead of every list failing.
        return undefined;
      }
      // The OS rotated its key: store the value again so it stays readable.
      if (opened.reEncrypt) await set(key, opened.plain);
      return opened.plain;
    },
    set,
    delete(key) {
      return change((all) => {
        // eslint-disable-next-line @typescript-eslint/no-dynamic-delete -- keys are ours (connection:<id>)
        delete all[key];
      });
    },
    describe,
  };
}
