/**
 * Error messages beside fields. Client-side: the server's messages (engine/forms/messages.ts)
 * except `required`, which sits beside its own field and so says just "必填". Server-side: 422 `details` pointers (`/amount`, `/items/0/qty`)
 * become rjsf `extraErrors`, so each message shows beside the field it names.
 */
import type { ErrorObject } from 'ajv';
import type { ErrorSchema } from '@rjsf/utils';
import { messageFor } from '../../../../engine/forms/messages.ts';
import type { Locale } from '../../i18n/i18n.tsx';

/**
 * An rjsf-validator localizer: rewrites each ajv error's message in place with the server's
 * own wording, except that a missing value beside its field just says "必填" / "Required".
 */
export function ajvLocalizer(locale: Locale) {
  return (errors?: null | ErrorObject[]) => {
    for (const error of errors ?? []) {
      const missing = error.keyword === 'required' || (error.keyword === 'minLength' && error.params.limit === 1);
      error.message = missing ? (locale === 'en' ? 'Required' : '必填') : messageFor(error, locale);
    }
  };
}

function unescapeToken(token: string): string {
  return token.replace(/~1/g, '/').replace(/~0/g, '~');
}

/** 422 details → rjsf error schema (`{amount: {__errors: [...]}, items: {0: {qty: {...}}}}`); '' lands on the form. */
export function serverErrorSchema(details: { pointer: string; message: string }[] | undefined): ErrorSchema | undefined {
  if (!details?.length) return undefined;
  const root: Record<string, any> = {};
  for (const { pointer, message } of details) {
    const tokens = pointer.startsWith('/') ? pointer.slice(1).split('/').map(unescapeToken) : [];
    let node = root;
    for (const token of tokens) node = node[token] ??= {};
    (node.__errors ??= []).push(message);
  }
  return root as ErrorSchema;
}

/** Top-level field names that a list of details points at (to scroll to the first). */
export function firstPointedField(details: { pointer: string }[] | undefined): string | undefined {
  const pointer = details?.find((d) => d.pointer.startsWith('/'))?.pointer;
  return pointer ? unescapeToken(pointer.slice(1).split('/')[0]) : undefined;
}
