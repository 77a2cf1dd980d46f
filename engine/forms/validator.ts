/**
 * Compiles form schemas (JSON Schema 2020-12) and turns validation failures into
 * `{pointer, message}` details.
 *
 * Strictness: ajv's strict mode rejects unknown keywords, so a typo such as `"typ"` fails at
 * save time with the reason. UI annotations use the `x-` prefix; each one present in a
 * schema is registered as a no-op keyword on that schema's own Ajv instance. `strictRequired`
 * is off because the common conditional form pattern `then: {required: [...]}` names
 * properties declared elsewhere.
 *
 * One Ajv instance per compiled schema: `$id`s of different forms or versions cannot
 * collide, and a validator evicted from the cache takes its compiled code with it.
 */
import type { ErrorObject, ValidateFunction } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { ErrorDetail } from '../errors.ts';
import { pointerToken, ValidationError } from '../errors.ts';
import { findUnstorableText } from '../storableText.ts';
import { isPersonalKind, PERSONAL_KINDS } from '../privacy/personal.ts';
import { invalidBodyMessage, invalidDataMessage, messageFor, type MessageLocale } from './messages.ts';

// ajv-formats is CommonJS; under NodeNext its function is the default export's `default`.
const addFormats = addFormatsModule.default;

export type DataValidator = ValidateFunction;

/** Every `x-…` key anywhere in the schema (property names included; registering those is harmless). */
function annotationKeywords(schema: unknown, found = new Set<string>()): Set<string> {
  if (Array.isArray(schema)) for (const item of schema) annotationKeywords(item, found);
  else if (schema && typeof schema === 'object') {
    for (const [key, value] of Object.entries(schema)) {
      if (/^x-[A-Za-z0-9_$:-]+$/.test(key)) found.add(key);
      annotationKeywords(value, found);
    }
  }
  return found;
}

/** `x-personal` (engine/privacy/personal.ts) must name a known kind: a typo would leave the field unprotected. */
function assertPersonalKinds(schema: Record<string, unknown>, pointer: string): void {
  const properties = schema.properties;
  if (!properties || typeof properties !== 'object') return;
  for (const [name, property] of Object.entries(properties as Record<string, unknown>)) {
    const kind = (property as Record<string, unknown> | null)?.['x-personal'];
    if (kind === undefined || isPersonalKind(kind)) continue;
    const message = `x-personal must be one of ${PERSONAL_KINDS.join(', ')}`;
    throw new ValidationError(`Invalid form schema: field "${name}": ${message}`, [{ pointer: `${pointer}/properties/${pointerToken(name)}/x-personal`, message }], 'invalid_schema');
  }
}

/**
 * Most objects and arrays one form schema may hold. Compiling is synchronous and grows with the
 * schema (a 4,000-field schema took 9 s, blocking every other request of the node); real forms
 * have tens of fields. Found by the fuzz suite (docs/security.md).
 */
export const MAX_SCHEMA_NODES = 3_000;

/** The number of objects and arrays in `value`, counted without recursion, stopping past `limit`. */
export function nodeCount(value: unknown, limit: number): number {
  let count = 0;
  const stack: unknown[] = [value];
  while (stack.length > 0 && count <= limit) {
    const item = stack.pop();
    if (!item || typeof item !== 'object') continue;
    count += 1;
    for (const child of Object.values(item)) if (child && typeof child === 'object') stack.push(child);
  }
  return count;
}

/**
 * Checks a schema against the meta-schema stopping at the first error: with `allErrors` an
 * invalid schema of thousands of properties took ajv minutes (quadratic) and gave a 1.4 MB message.
 */
const metaChecker = new Ajv2020({ allErrors: false, strict: false, allowUnionTypes: true });
// The meta-schema's own formats (`pattern` is a "regex", `$id` a "uri-reference"): checked here, as
// each form's instance (which has the formats) checked them before it left that check to this one.
addFormats(metaChecker);

/** Compiles a schema or throws a 422 naming the reason (pointer `/schema`). */
export function compileSchema(schema: unknown, pointer = '/schema'): DataValidator {
  if (!schema || typeof schema !== 'object' || Array.isArray(schema)) {
    throw new ValidationError('Invalid form schema', [{ pointer, message: 'schema must be a JSON object' }], 'invalid_schema');
  }
  if (nodeCount(schema, MAX_SCHEMA_NODES) > MAX_SCHEMA_NODES) {
    const message = `schema is too large: at most ${MAX_SCHEMA_NODES} objects and arrays`;
    throw new ValidationError(`Invalid form schema: ${message}`, [{ pointer, message }], 'invalid_schema');
  }
  if (!metaChecker.validateSchema(schema)) {
    const reason = `schema is invalid: ${metaChecker.errorsText(metaChecker.errors)}`;
    throw new ValidationError(`Invalid form schema: ${reason}`, [{ pointer, message: reason }], 'invalid_schema');
  }
  assertPersonalKinds(schema as Record<string, unknown>, pointer);
  // `validateSchema: false`: metaChecker has just checked the schema against the same meta-schema.
  // Checking again here compiled the 2020-12 meta-schema anew in every instance: 20–90 ms at load
  // 18 for every form compiled, a 3-field one included (1–2 ms without).
  const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true, validateSchema: false });
  addFormats(ajv);
  for (const keyword of annotationKeywords(schema)) if (!ajv.getKeyword(keyword)) ajv.addKeyword({ keyword });
  try {
    return ajv.compile(schema);
  } catch (error) {
    const reason = (error as Error).message;
    throw new ValidationError(`Invalid form schema: ${reason}`, [{ pointer, message: reason }], 'invalid_schema');
  }
}

/** Where in the data the error is: for `required` and `additionalProperties`, the property itself. */
function pointerFor(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  if (error.keyword === 'required') return `${error.instancePath}/${pointerToken(String(params.missingProperty))}`;
  if (error.keyword === 'additionalProperties') {
    return `${error.instancePath}/${pointerToken(String(params.additionalProperty))}`;
  }
  return error.instancePath;
}

/** Every error of the last run, one detail each. `if` errors only repeat their `then`/`else` ones. */
export function detailsOf(errors: ErrorObject[] | null | undefined, locale: MessageLocale): ErrorDetail[] {
  const relevant = (errors ?? []).filter((e) => e.keyword !== 'if');
  return relevant.map((error) => ({ pointer: pointerFor(error), message: messageFor(error, locale) }));
}

function assertObject(data: unknown, locale: MessageLocale, summary: string): void {
  if (!data || typeof data !== 'object' || Array.isArray(data)) {
    const message = locale === 'en' ? 'must be an object' : '应为对象';
    throw new ValidationError(summary, [{ pointer: '', message }]);
  }
}

function assertStorable(data: unknown, locale: MessageLocale, summary: string): void {
  // Postgres jsonb cannot hold U+0000 or unpaired surrogates; refuse them here rather than
  // fail on insert with a 500 (data also arrives from automations and imports, not only HTTP).
  const unstorable = findUnstorableText(data);
  if (unstorable) {
    const message = locale === 'en' ? unstorable.message : '文本不能包含空字符（U+0000）或不成对的代理字符';
    throw new ValidationError(summary, [{ pointer: unstorable.pointer, message }], 'invalid_text');
  }
}

/** Validates `data` and throws a 422 listing every error; data must be a JSON object. */
export function assertValid(
  validate: DataValidator,
  data: unknown,
  locale: MessageLocale,
  summary = invalidDataMessage(locale),
): void {
  assertObject(data, locale, summary);
  if (!validate(data)) throw new ValidationError(summary, detailsOf(validate.errors, locale));
  assertStorable(data, locale, summary);
}

/** ajv's errors for `data`, null when it is valid: a validator run in process or elsewhere (engine/forms/schemaWorker.ts). */
export type DataErrors = (data: unknown) => Promise<ErrorObject[] | null>;

/** `assertValid` for a validator that answers later: the same checks, in the same order, the same 422s. */
export async function assertValidData(
  errorsOf: DataErrors,
  data: unknown,
  locale: MessageLocale,
  summary = invalidDataMessage(locale),
): Promise<void> {
  assertObject(data, locale, summary);
  const errors = await errorsOf(data);
  if (errors) throw new ValidationError(summary, detailsOf(errors, locale));
  assertStorable(data, locale, summary);
}

/** Validator for an API request body: same details and messages as record data. */
export function bodyValidator(schema: Record<string, unknown>): (body: unknown, locale: MessageLocale) => void {
  const validate = compileSchema(schema, '');
  return (body, locale) => assertValid(validate, body, locale, invalidBodyMessage(locale));
}
