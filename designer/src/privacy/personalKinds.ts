/**
 * The kinds of personal information a field can be marked with (schema keyword `x-personal` on a
 * top-level property, read by the server's engine/privacy/personal.ts): their values are
 * encrypted at rest and shown masked to whoever lacks the 查看明文 right.
 */
export const PERSONAL_KINDS = ['phone', 'email', 'idNumber', 'address', 'bankAccount', 'name'] as const;
export type PersonalKind = (typeof PERSONAL_KINDS)[number];

export const personalKindMessages = {
  zh: { phone: '手机号', email: '邮箱', idNumber: '身份证号', address: '地址', bankAccount: '银行账号', name: '姓名', personal: '个人信息' },
  en: { phone: 'Phone', email: 'E-mail', idNumber: 'ID number', address: 'Address', bankAccount: 'Bank account', name: 'Name', personal: 'Personal' },
};

export function isPersonalKind(value: unknown): value is PersonalKind {
  return typeof value === 'string' && (PERSONAL_KINDS as readonly string[]).includes(value);
}

/** The field's personal kind, from its schema; undefined for an ordinary field. */
export function personalKindOf(schema: Record<string, unknown> | undefined): PersonalKind | undefined {
  const kind = schema?.['x-personal'];
  return isPersonalKind(kind) ? kind : undefined;
}
