/**
 * Envelope encryption. Secrets are sealed with AES-256-GCM under a data key; data keys are stored
 * wrapped by the master key. Each ciphertext names its data-key version and is bound (AAD) to where
 * it belongs (organization and connection), so a ciphertext copied to another row fails to open.
 * Rotating the master key re-wraps the few data keys only: no ciphertext changes, and a running
 * server keeps its unwrapped data keys in memory, so it keeps serving.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { nowIso } from '../ids.ts';
import { isUniqueViolation, type Store } from '../store/db.ts';

const PREFIX = 'fv1';

export class VaultError extends Error {}

export interface MasterKeySource {
  masterKey: string | null;
  previousMasterKey: string | null;
  dataDir: string;
}

interface MasterKeys {
  current: Buffer;
  previous: Buffer | null;
  /** Set when the key lives in a file of the data directory (the embedded default). */
  file: string | null;
}

const fingerprint = (key: Buffer): string => createHash('sha256').update(key).digest('hex').slice(0, 16);

function seal(key: Buffer, plaintext: Buffer, aad: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
}

function open(key: Buffer, sealed: string, aad: string): Buffer {
  const raw = Buffer.from(sealed, 'base64');
  if (raw.length < 28) throw new VaultError('ciphertext is truncated');
  const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
  decipher.setAAD(Buffer.from(aad, 'utf8'));
  decipher.setAuthTag(raw.subarray(12, 28));
  try {
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]);
  } catch {
    throw new VaultError('ciphertext does not open here (wrong key or bound to another record)');
  }
}

function writeKeyFile(file: string, key: Buffer): void {
  // Written aside then renamed, so a crash never leaves a half-written master key.
  const tmp = `${file}.tmp`;
  writeFileSync(tmp, `${key.toString('base64')}\n`, { mode: 0o600 });
  renameSync(tmp, file);
}

function readKeyFile(file: string): Buffer | null {
  if (!existsSync(file)) return null;
  const key = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
  if (key.length !== 32) throw new VaultError(`${file} does not hold base64 of 32 bytes`);
  return key;
}

export function loadMasterKeys(src: MasterKeySource): MasterKeys {
  if (src.masterKey) {
    return {
      current: Buffer.from(src.masterKey, 'base64'),
      previous: src.previousMasterKey ? Buffer.from(src.previousMasterKey, 'base64') : null,
      file: null,
    };
  }
  const file = path.join(src.dataDir, 'master.key');
  let current = readKeyFile(file);
  if (!current) {
    current = randomBytes(32);
    writeKeyFile(file, current);
  }
  return { current, previous: readKeyFile(`${file}.previous`), file };
}

export class Vault {
  private dataKeys = new Map<number, Buffer>();
  private activeVersion = 0;

  private constructor(
    private readonly store: Store,
    private master: MasterKeys,
  ) {}

  static async open(store: Store, src: MasterKeySource): Promise<Vault> {
    const vault = new Vault(store, loadMasterKeys(src));
    await vault.load();
    if (vault.activeVersion === 0) await vault.createDataKey(1);
    return vault;
  }

  private masterFor(fp: string): Buffer {
    if (fp === fingerprint(this.master.current)) return this.master.current;
    if (this.master.previous && fp === fingerprint(this.master.previous)) return this.master.previous;
    throw new VaultError(
      'the master key does not match the store (set FLOWYTE_MASTER_KEY to the key in use)',
    );
  }

  private async load(): Promise<void> {
    const rows = await this.store.db.selectFrom('vault_keys').selectAll().execute();
    for (const row of rows) {
      const key = open(this.masterFor(row.master_fingerprint), row.wrapped_key, `vault-key:${row.version}`);
      this.dataKeys.set(row.version, key);
      this.activeVersion = Math.max(this.activeVersion, row.version);
    }
  }

  private async createDataKey(version: number): Promise<void> {
    const key = randomBytes(32);
    try {
      await this.store.db
        .insertInto('vault_keys')
        .values({
          version,
          wrapped_key: seal(this.master.current, key, `vault-key:${version}`),
          master_fingerprint: fingerprint(this.master.current),
          created_at: nowIso(),
        })
        .execute();
    } catch (e) {
      // Another instance created it first: use theirs.
      if (!isUniqueViolation(e)) throw e;
    }
    await this.load();
  }

  encrypt(plaintext: string, aad: string): string {
    const key = this.dataKeys.get(this.activeVersion)!;
    return `${PREFIX}:${this.activeVersion}:${seal(key, Buffer.from(plaintext, 'utf8'), aad)}`;
  }

  decrypt(ciphertext: string, aad: string): string {
    const [prefix, version, sealed] = ciphertext.split(':');
    if (prefix !== PREFIX || !sealed) throw new VaultError('not a vault ciphertext');
    const key = this.dataKeys.get(Number(version));
    if (!key) throw new VaultError(`unknown data key version ${version}`);
    return open(key, sealed, aad).toString('utf8');
  }

  encryptJson(value: unknown, aad: string): string {
    return this.encrypt(JSON.stringify(value), aad);
  }

  decryptJson<T>(ciphertext: string, aad: string): T {
    return JSON.parse(this.decrypt(ciphertext, aad)) as T;
  }

  /**
   * Re-wraps every data key under a new master key in one transaction. With a key file, the old key
   * is kept beside it as `master.key.previous` until the next rotation, so an instance that starts
   * mid-rotation can still open the store.
   */
  async rotateMaster(
    newMaster: Buffer = randomBytes(32),
  ): Promise<{ newMasterKey: string; file: string | null }> {
    if (newMaster.length !== 32) throw new VaultError('a master key is 32 bytes');
    const old = this.master.current;
    if (this.master.file) writeKeyFile(`${this.master.file}.previous`, old);
    await this.store.db.transaction().execute(async (trx) => {
      const rows = await trx.selectFrom('vault_keys').selectAll().execute();
      for (const row of rows) {
        const key = open(this.masterFor(row.master_fingerprint), row.wrapped_key, `vault-key:${row.version}`);
        await trx
          .updateTable('vault_keys')
          .set({
            wrapped_key: seal(newMaster, key, `vault-key:${row.version}`),
            master_fingerprint: fingerprint(newMaster),
          })
          .where('version', '=', row.version)
          .execute();
      }
    });
    if (this.master.file) writeKeyFile(this.master.file, newMaster);
    this.master = { current: newMaster, previous: old, file: this.master.file };
    return { newMasterKey: newMaster.toString('base64'), file: this.master.file };
  }
}
