/**
 * The server's 422 details (`{pointer, message}`) placed beside the part they name: a
 * dashboard's `/widgets/2/query/measures/0/field` belongs to widget 2's measures, `/title` to
 * the title, `/filters/1` to the filter editor. Pure.
 */
/** One `{pointer, message}` of an error answer (as `ApiError.details`); declared here so this pure module stays free of the browser client. */
export interface ErrorDetail {
  pointer: string;
  message: string;
}

/** The details under `prefix` (a JSON pointer), with the prefix cut off their pointers. */
export function detailsUnder(details: ErrorDetail[], prefix: string): ErrorDetail[] {
  return details
    .filter((detail) => detail.pointer === prefix || detail.pointer.startsWith(`${prefix}/`))
    .map((detail) => ({ ...detail, pointer: detail.pointer.slice(prefix.length) || '' }));
}

/** The messages of details under `prefix`, or undefined when there are none (an antd `help`). */
export function messageAt(details: ErrorDetail[], prefix: string): string | undefined {
  const found = detailsUnder(details, prefix);
  return found.length ? found.map((detail) => detail.message).join('; ') : undefined;
}

/** Details not under any of `prefixes`: shown at the top so no error is lost. */
export function detailsElsewhere(details: ErrorDetail[], prefixes: string[]): ErrorDetail[] {
  return details.filter((detail) => !prefixes.some((prefix) => detail.pointer === prefix || detail.pointer.startsWith(`${prefix}/`)));
}
