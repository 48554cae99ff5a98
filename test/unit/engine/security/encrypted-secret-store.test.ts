import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createEncryptedSecretStore,
  decideSecretStorage,
  SECRETS_FILE,
  type OsCipher,
} from '../../../../electron/main/policy/encrypted-secret-store';

/** A reversible stand-in for the OS cipher (XOR + marker), enough to prove nothing is stored in clear. */
function xorCipher(backend: string, available = true, version = 'v10'): OsCipher {
  const mask = (bytes: Uint8Array) => bytes.map((b) => b ^ 0x5a);
  return {
    isEncryptionAvailable: () => Promise.resolve(available),
    backend: () => backend,
    encrypt: (plain) =>
      Promise.resolve(
        Buffer.concat([Buffer.from(version), Buffer.from(mask(Buffer.from(plain, 'utf8')))]),
      ),
    decrypt: (data) => {
      const buf = Buffer.from(data);
      const prefix = buf.subarray(0, 3).toString();
      if (!prefix.startsWith('v')) return Promise.reject(new Error('bad ciphertext'));
      const plain = Buffer.from(mask(buf.subarray(3))).toString('utf8');
      // An older key version asks for re-encryption, as safeStorage does after a key rotation.
      return Promise.resolve({ plain, reEncrypt: prefix !== version });
    },
  };
}

describe('decideSecretStorage', () => {
  it.each([
    ['gnome_libsecret', true],
    ['kwallet5', true],
    ['keychain', true],
    ['dpapi', true],
    ['basic_text', false],
    ['unknown', false],
  ])('backend %s → persist %s', async (backend, persist) => {
    const v = await decideSecretStorage(xorCipher(backend));
    expect(v.persist).toBe(persist);
    expect(v.secure).toBe(persist);
    if (!persist) expect(v.warning).toMatch(/memory .* only/);
  });

  it('refuses to persist when encryption is unavailable', async () => {
    const v = await decideSecretStorage(xorCipher('gnome_libsecret', false));
    expect(v).toMatchObject({ persist: false, secure: false, backend: 'memory (unavailable)' });
  });
});

describe('createEncryptedSecretStore', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'scim-porter-secrets-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('stores values encrypted in secrets.json, readable by a new store on the same cipher', async () => {
    const store = await createEncryptedSecretStore({
      dataDir: dir,
      cipher: xorCipher('gnome_libsecret'),
    });
    await Promise.all([
      store.set('connection:a', 'tok-AAAA-1234'),
      store.set('connection:b', 'tok-BBBB'),
    ]);
    const onDisk = await readFile(join(dir, SECRETS_FILE), 'utf8');
    expect(onDisk).not.toContain('tok-AAAA-1234');
    expect(onDisk).not.toContain('tok-BBBB');
    expect((await stat(join(dir, SECRETS_FILE))).mode & 0o077).toBe(0);

    const again = await createEncryptedSecretStore({
      dataDir: dir,
      cipher: xorCipher('gnome_libsecret'),
    });
    expect(await again.get('connection:a')).toBe('tok-AAAA-1234');
    expect(await again.get('connection:b')).toBe('tok-BBBB');
    expect(again.describe()).toEqual({ backend: 'gnome_libsecret', secure: true });

    await again.delete('connection:a');
    expect(await again.get('connection:a')).toBeUndefined();
    expect(await again.get('connection:b')).toBe('tok-BBBB');
  });

  it('treats undecryptable values as absent instead of failing', async () => {
    const store = await createEncryptedSecretStore({ dataDir: dir, cipher: xorCipher('keychain') });
    await store.set('k', 'v');
    const other = await createEncryptedSecretStore({
      dataDir: dir,
      cipher: {
        ...xorCipher('keychain'),
        decrypt: () => {
          throw new Error('keychain reset');
        },
      },
    });
    expect(await other.get('k')).toBeUndefined();
  });

  it('re-encrypts a value when the OS says its key was rotated', async () => {
    const old = await createEncryptedSecretStore({
      dataDir: dir,
      cipher: xorCipher('keychain', true, 'v10'),
    });
    await old.set('k', 'value-1');
    const rotated = await createEncryptedSecretStore({
      dataDir: dir,
      cipher: xorCipher('keychain', true, 'v11'),
    });
    expect(await rotated.get('k')).toBe('value-1');
    const onDisk = JSON.parse(await readFile(join(dir, SECRETS_FILE), 'utf8')) as {
      secrets: Record<string, string>;
    };
    expect(
      Buffer.from(onDisk.secrets['k'] ?? '', 'base64')
        .subarray(0, 3)
        .toString(),
    ).toBe('v11');
  });

  it('keeps secrets in memory only, and says so, on basic_text', async () => {
    const store = await createEncryptedSecretStore({
      dataDir: dir,
      cipher: xorCipher('basic_text'),
    });
    await store.set('connection:a', 'tok-plain');
    expect(await store.get('connection:a')).toBe('tok-plain');
    await expect(stat(join(dir, SECRETS_FILE))).rejects.toThrow(/ENOENT/);
    const d = store.describe();
    expect(d.secure).toBe(false);
    expect(d.warning).toMatch(/entered again/);
    const fresh = await createEncryptedSecretStore({
      dataDir: dir,
      cipher: xorCipher('basic_text'),
    });
    expect(await fresh.get('connection:a')).toBeUndefined();
  });
});
