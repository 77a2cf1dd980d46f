/**
 * The one call site of personal-data masking for data permissions: `shapeRecord` masks through
 * here, and an update recognises a masked value sent back unchanged (the form showed
 * `138****0000`; saving it must keep the clear value). Masking itself is helper B's
 * engine/privacy/personal.ts (`maskPersonal`); until it lands this masks nothing.
 */
type Data = Record<string, unknown>;

export function maskPersonalData(_schema: object, data: Data): Data {
  // CALL SITE: maskPersonal(schema, data) from engine/privacy/personal.ts.
  return data;
}

/** Whether `sent` is what masking shows of `stored` (so the writer did not change it). */
export function isMaskedCopy(schema: object, field: string, sent: unknown, stored: unknown): boolean {
  if (sent === undefined || stored === undefined) return false;
  const masked = maskPersonalData(schema, { [field]: stored })[field];
  return masked !== stored && JSON.stringify(masked) === JSON.stringify(sent);
}
