import type { SecretStore } from '../ports';

/** Secrets held in memory only (tests, and the app when the OS keychain is unavailable). */
export function createMemorySecretStore(
  initial: Record<string, string> = {},
  description: { backend: string; secure: boolean; warning?: string } = {
    backend: 'memory',
    secure: true,
  },
): SecretStore {
  const values = new Map(Object.entries(initial));
  return {
    get: (key) => Promise.resolve(values.get(key)),
    set: (key, value) => {
      values.set(key, value);
      return Promise.resolve();
    },
    delete: (key) => {
      values.delete(key);
      return Promise.resolve();
    },
    describe: () => description,
  };
}
