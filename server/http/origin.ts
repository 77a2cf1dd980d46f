/**
 * Whether a browser's `Origin` names this server. A page on another port of the same host
 * is another origin (and the attacker of a same-site CSRF), so the whole origin —
 * scheme, host and port — must equal the one the request was sent to, or one the admin
 * listed in LIUZHUAN_ALLOWED_ORIGINS.
 */

/** `http(s)://host[:port]` of the server as the browser addressed it; undefined without a Host. */
export function ownOrigin(protocol: string, host: string | undefined): string | undefined {
  if (!host) return undefined;
  try {
    return new URL(`${protocol}://${host}`).origin;
  } catch {
    return undefined;
  }
}

/** True when `origin` is the server's own or an allowed one; `null` (sandboxed or opaque) never is. */
export function isAllowedOrigin(origin: string, own: string | undefined, allowed: readonly string[]): boolean {
  let normalized: string;
  try {
    normalized = new URL(origin).origin;
  } catch {
    return false;
  }
  if (normalized === 'null') return false;
  return normalized === own || allowed.includes(normalized);
}
