/**
 * Encryption of personal values inside `records.data` (AES-256-GCM, node:crypto).
 * A personal field's stored value is `{"$enc": "<key id>:<iv>:<tag>:<ciphertext>", "$bi": "<blind index>"}`:
 * the plaintext is the value's JSON (so a number stays a number), the field name is the
 * associated data (a value moved to another field does not decrypt), and `$bi` is
 * HMAC-SHA256(index key, normalised value) so exact matches and the data-subject search find
 * rows without decrypting them. Reading needs no schema: any top-level `{"$enc": …}` is decrypted.
 */
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { keyring, type DataKey } from './keys.ts';
import { normaliseIdentifier, type PersonalKind } from './personal.ts';

export interface EncryptedValue {
  $enc: string;
  $bi: string;
}

export function isEncrypted(value: unknown): value is EncryptedValue {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && typeof (value as { $enc?: unknown }).$enc === 'string';
}

export function keyIdOf(value: EncryptedValue): string {
  return value.$enc.slice(0, value.$enc.indexOf(':'));
}

export function blindIndex(kind: PersonalKind, value: unknown, key: DataKey = keyring().current): string {
  return createHmac('sha256', key.indexKey).update(`${kind}\u0000${normaliseIdentifier(kind, value)}`).digest('base64url');
}

/** The blind indexes of a value under every known key: rows not yet rotated carry the old key's. */
export function blindIndexes(kind: PersonalKind, value: unknown): string[] {
  return [...keyring().byId.values()].map((key) => blindIndex(kind, value, key));
}

export function encryptValue(field: string, kind: PersonalKind, value: unknown): EncryptedValue {
  const key = keyring().current;
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key.key, iv);
  cipher.setAAD(Buffer.from(field, 'utf8'));
  const data = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
  const tag = cipher.getAuthTag();
  return { $enc: `${key.id}:${iv.toString('base64')}:${tag.toString('base64')}:${data.toString('base64')}`, $bi: blindIndex(kind, value, key) };
}

export function decryptValue(field: string, value: EncryptedValue): unknown {
  const [id, iv, tag, data] = value.$enc.split(':');
  const key = keyring().byId.get(id ?? '');
  if (!key || iv === undefined || tag === undefined || data === undefined) {
    throw new Error(`A personal value of field "${field}" is encrypted with data key "${id}", which is not configured (LIUZHUAN_DATA_KEYS, docs/privacy.md)`);
  }
  const decipher = createDecipheriv('aes-256-gcm', key.key, Buffer.from(iv, 'base64'));
  decipher.setAAD(Buffer.from(field, 'utf8'));
  decipher.setAuthTag(Buffer.from(tag, 'base64'));
  return JSON.parse(Buffer.concat([decipher.update(Buffer.from(data, 'base64')), decipher.final()]).toString('utf8'));
}

/** Empty values are not worth encrypting (and an empty field must still read as empty). */
function isEmpty(value: unknown): boolean {
  return value === null || value === undefined || value === '';
}

/** `data` with each personal field encrypted; values already encrypted are kept as they are. */
export function encryptPersonal(fields: Map<string, PersonalKind>, data: unknown): unknown {
  if (fields.size === 0 || typeof data !== 'object' || data === null || Array.isArray(data)) return data;
  const out: Record<string, unknown> = { ...(data as Record<string, unknown>) };
  for (const [name, kind] of fields) {
    const value = out[name];
    if (!isEmpty(value) && !isEncrypted(value)) out[name] = encryptValue(name, kind, value);
  }
  return out;
}

/** `data` with every encrypted top-level value in the clear. */
export function decryptPersonal<T>(data: T): T {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return data;
  let out: Record<string, unknown> | undefined;
  for (const [name, value] of Object.entries(data as Record<string, unknown>)) {
    if (!isEncrypted(value)) continue;
    out ??= { ...(data as Record<string, unknown>) };
    out[name] = decryptValue(name, value);
  }
  return (out ?? data) as T;
}
