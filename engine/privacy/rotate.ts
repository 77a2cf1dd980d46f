/**
 * Key rotation (`npm run rotate-key`): every personal value not yet under the current data key
 * — under an older key, or still in the clear (a field marked personal after it was filled) — is
 * encrypted with the current key, a batch of records per transaction (rows locked, so a
 * concurrent edit waits instead of being overwritten). Safe to stop and run again.
 */
import type { Knex } from 'knex';
import { appendAudit } from '../audit/log.ts';
import { decryptValue, encryptValue, isEncrypted, keyIdOf } from './crypto.ts';
import { formsWithPersonalFields } from './formFields.ts';
import { keyring } from './keys.ts';

export interface RotationProgress {
  formKey: string;
  scanned: number;
  changed: number;
}

export async function rotateDataKey(
  db: Knex,
  options: { batch?: number; onProgress?: (progress: RotationProgress) => void } = {},
): Promise<{ keyId: string; forms: RotationProgress[] }> {
  const batch = Math.max(1, Math.min(options.batch ?? 500, 5_000));
  const current = keyring().current.id;
  const forms = await formsWithPersonalFields(db);
  const results: RotationProgress[] = [];
  for (const [formKey, fields] of forms) {
    const progress: RotationProgress = { formKey, scanned: 0, changed: 0 };
    let after: string | null = null;
    for (;;) {
      const rows = await db.transaction(async (trx) => {
        const query = trx('records').where({ form_key: formKey }).orderBy('id').limit(batch).forUpdate().select('id', 'data');
        if (after) query.where('id', '>', after);
        const found: Array<{ id: string; data: Record<string, unknown> }> = await query;
        for (const row of found) {
          let changed = false;
          const data = { ...row.data };
          for (const [name, kind] of fields) {
            const value = data[name];
            if (value === null || value === undefined || value === '') continue;
            if (isEncrypted(value) && keyIdOf(value) === current) continue;
            data[name] = encryptValue(name, kind, isEncrypted(value) ? decryptValue(name, value) : value);
            changed = true;
          }
          if (!changed) continue;
          await trx('records').where({ id: row.id }).update({ data: JSON.stringify(data) });
          progress.changed += 1;
        }
        return found;
      });
      progress.scanned += rows.length;
      options.onProgress?.({ ...progress });
      if (rows.length < batch) break;
      after = rows[rows.length - 1]!.id;
    }
    results.push(progress);
  }
  await appendAudit(db, {
    actor: null,
    action: 'key.rotate',
    subject: current,
    details: { keyId: current, forms: results },
  });
  return { keyId: current, forms: results };
}
