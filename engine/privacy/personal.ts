/**
 * Personal fields (PIPL): a top-level form property marked `"x-personal": "<kind>"` holds
 * personal information. The store encrypts these values at rest (engine/privacy/crypto.ts);
 * every answer to a reader shows them masked unless the reader unmasks (an audited act).
 */
export const PERSONAL_KINDS = ['phone', 'email', 'idNumber', 'address', 'bankAccount', 'name'] as const;
export type PersonalKind = (typeof PERSONAL_KINDS)[number];

export function isPersonalKind(value: unknown): value is PersonalKind {
  return typeof value === 'string' && (PERSONAL_KINDS as readonly string[]).includes(value);
}

/** The personal fields of a form schema, by field name. */
export function personalFields(schema: unknown): Map<string, PersonalKind> {
  const fields = new Map<string, PersonalKind>();
  const properties = (schema as { properties?: Record<string, unknown> } | null)?.properties;
  if (!properties || typeof properties !== 'object') return fields;
  for (const [name, property] of Object.entries(properties)) {
    const kind = (property as Record<string, unknown> | null)?.['x-personal'];
    if (isPersonalKind(kind)) fields.set(name, kind);
  }
  return fields;
}

/** Code points, so a Chinese name or address is cut between characters, not inside one. */
function chars(text: string): string[] {
  return Array.from(text);
}

function maskPhone(text: string): string {
  const c = chars(text.trim());
  if (c.length >= 8) return `${c.slice(0, 3).join('')}****${c.slice(-4).join('')}`;
  if (c.length >= 3) return `${c[0]}****${c[c.length - 1]}`;
  return '****';
}

function maskEmail(text: string): string {
  const at = text.lastIndexOf('@');
  if (at <= 0) return maskName(text);
  return `${chars(text)[0]}***${text.slice(at)}`;
}

function maskIdNumber(text: string): string {
  const c = chars(text.trim());
  if (c.length > 10) return `${c.slice(0, 6).join('')}${'*'.repeat(c.length - 10)}${c.slice(-4).join('')}`;
  if (c.length > 4) return `${c.slice(0, 2).join('')}****${c.slice(-2).join('')}`;
  return '****';
}

function maskAddress(text: string): string {
  const c = chars(text.trim());
  return `${c.slice(0, Math.min(6, Math.max(0, c.length - 1))).join('')}****`;
}

function maskBankAccount(text: string): string {
  const digits = text.replace(/\s+/g, '');
  return `**** ${chars(digits).slice(-4).join('')}`;
}

/** 张三 → 张*, 欧阳娜娜 → 欧***, John Smith → J***. */
function maskName(text: string): string {
  const c = chars(text.trim());
  if (c.length === 0) return '';
  const cjk = /[\u3400-\u9fff\uf900-\ufaff]/u.test(c[0]!);
  return `${c[0]}${cjk ? '*'.repeat(Math.min(3, Math.max(1, c.length - 1))) : '***'}`;
}

const MASKS: Record<PersonalKind, (text: string) => string> = {
  phone: maskPhone,
  email: maskEmail,
  idNumber: maskIdNumber,
  address: maskAddress,
  bankAccount: maskBankAccount,
  name: maskName,
};

/** The masked form of one value; empty values (null, '', absent) stay as they are. */
export function maskValue(kind: PersonalKind, value: unknown): unknown {
  if (value === null || value === undefined || value === '') return value;
  const text = typeof value === 'string' ? value : typeof value === 'number' ? String(value) : JSON.stringify(value);
  return MASKS[kind](text);
}

/** A copy of `data` with every personal field of `schema` masked. */
export function maskPersonal<T extends Record<string, unknown>>(schema: unknown, data: T): T {
  const fields = personalFields(schema);
  if (fields.size === 0) return data;
  const masked: Record<string, unknown> = { ...data };
  for (const [name, kind] of fields) {
    if (Object.hasOwn(masked, name)) masked[name] = maskValue(kind, masked[name]);
  }
  return masked as T;
}

/**
 * The canonical text of an identifier, for the blind index and the data-subject search: the same
 * person written two ways (`138 0000 0000`, `Zhang@Example.com`) must give the same index.
 */
export function normaliseIdentifier(kind: PersonalKind, value: unknown): string {
  const text = typeof value === 'string' ? value : value === null || value === undefined ? '' : JSON.stringify(value);
  switch (kind) {
    case 'phone':
      // +86 / 0086 prefixes and separators do not make another number.
      return text.replace(/[^\d]/g, '').replace(/^(0086|86)(?=1\d{10}$)/, '');
    case 'email':
      return text.trim().toLowerCase();
    case 'idNumber':
    case 'bankAccount':
      return text.replace(/[\s-]/g, '').toUpperCase();
    default:
      return text.trim().replace(/\s+/g, ' ').toLowerCase();
  }
}
