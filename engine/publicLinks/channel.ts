/**
 * The channel an answer came through (`?channel=wechat&utm_source=poster`): the link's
 * defaults, overridden by the page's query parameters. Only short, plain names and values
 * are kept, at most 10, so a URL cannot stuff the answers table.
 */
export type Channel = Record<string, string>;

const NAME = /^[A-Za-z][A-Za-z0-9_.-]{0,39}$/;
const MAX_VALUE = 200;
const MAX_ENTRIES = 10;

/** The usable entries of `input` (query parameters or an admin's defaults); others are dropped. */
export function cleanChannel(input: unknown): Channel {
  const result: Channel = {};
  if (!input || typeof input !== 'object' || Array.isArray(input)) return result;
  for (const [name, raw] of Object.entries(input as Record<string, unknown>)) {
    if (Object.keys(result).length >= MAX_ENTRIES) break;
    const value = Array.isArray(raw) ? raw[0] : raw;
    if (!NAME.test(name) || typeof value !== 'string' || value === '') continue;
    result[name] = value.slice(0, MAX_VALUE);
  }
  return result;
}

export function answerChannel(defaults: Channel, fromPage: unknown): Channel {
  return cleanChannel({ ...defaults, ...cleanChannel(fromPage) });
}
