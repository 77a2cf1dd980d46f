/**
 * The one call site of personal-data masking for data permissions: `shapeRecord` masks through
 * here, and an update recognises a masked value sent back unchanged (the form showed
 * `138****0000`; saving it must keep the clear value). Masking itself is
 * engine/privacy/personal.ts.
 */
import { maskPersonal, maskValue, personalFields } from '../privacy/personal.ts';

type Data = Record<string, unknown>;

export function maskPersonalData(schema: object, data: Data): Data {
  return maskPersonal(schema, data);
}

/** Whether `sent` is what masking shows of `stored` (so the writer did not change it). */
export function isMaskedCopy(schema: object, field: string, sent: unknown, stored: unknown): boolean {
  if (sent === undefined || stored === undefined) return false;
  const kind = personalFields(schema).get(field);
  if (!kind) return false;
  const masked = maskValue(kind, stored);
  return masked !== stored && JSON.stringify(masked) === JSON.stringify(sent);
}
