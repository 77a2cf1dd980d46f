/**
 * The REST client: every command talks to the server through here, with the token as
 * `Authorization: Bearer` (which the server's CSRF rule exempts: server/http/csrf.ts) and
 * Accept-Language from the terminal's locale, so the server's messages come in the user's
 * language. Failures become CliErrors with the exit code a script can branch on.
 */
import { EXIT, CliError, type ErrorDetail, type Io } from './io.ts';
import { tokenFor } from './credentials.ts';

export interface Client {
  server: string;
  /** A JSON request; the parsed body of a 2xx answer. */
  json<T = any>(method: string, path: string, body?: unknown): Promise<T>;
  /** Any request; the raw response once it is known to be 2xx. */
  raw(method: string, path: string, init?: { body?: BodyInit; headers?: Record<string, string> }): Promise<Response>;
}

/** zh-CN when the terminal speaks Chinese (LC_ALL, LC_MESSAGES, LANG), English otherwise. */
export function acceptLanguage(env: NodeJS.ProcessEnv): string {
  const locale = env.LC_ALL || env.LC_MESSAGES || env.LANG || '';
  return /^zh/i.test(locale) ? 'zh-CN' : 'en';
}

/** Turns a non-2xx answer into the error the user sees: the server's message and details. */
async function refusal(response: Response, server: string, tokenSource?: string): Promise<CliError> {
  // Every error of the API is {error: {code, message, details?}} (server/http/errors.ts).
  const text = await response.text().catch(() => '');
  let error: { code?: string; message?: string; details?: ErrorDetail[] } = {};
  try {
    error = (JSON.parse(text) as { error?: typeof error }).error ?? {};
  } catch {
    // not JSON: a proxy's page, say
  }
  const message = error.message ?? `${response.statusText || 'error'} — not an answer of the Liuzhuan API: is ${server} a Liuzhuan server?`;
  const extra = { status: response.status, code: error.code, details: error.details };
  if (response.status === 401) {
    const hint = tokenSource === 'LIUZHUAN_TOKEN'
      ? 'LIUZHUAN_TOKEN is not accepted (expired or revoked)'
      : tokenSource
        ? 'the stored login is no longer accepted (expired or revoked): run `liuzhuan login` again'
        : 'not logged in: run `liuzhuan login`, or set LIUZHUAN_TOKEN';
    return new CliError(`${message} — ${hint}`, EXIT.auth, extra);
  }
  if (response.status >= 400 && response.status < 500) return new CliError(message, EXIT.refused, extra);
  return new CliError(`${server} answered ${response.status}: ${message}`, EXIT.failed, extra);
}

function unreachable(server: string, error: unknown): CliError {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  const why = cause?.code ?? cause?.message ?? (error as Error).message;
  return new CliError(`Cannot reach the Liuzhuan server at ${server} (${why}). Is it running? Set it with --server or LIUZHUAN_URL.`, EXIT.unreachable);
}

/** `needsToken`: false only for login, which has none yet. */
export function createClient(io: Io, server: string, options: { needsToken?: boolean; token?: string } = {}): Client {
  const found = options.token ? { token: options.token, source: 'explicit' } : tokenFor(io.env, server);
  if (options.needsToken !== false && !found) {
    throw new CliError(`Not logged in to ${server}: run \`liuzhuan login\`, or set LIUZHUAN_TOKEN`, EXIT.auth);
  }
  const baseHeaders: Record<string, string> = {
    'accept-language': acceptLanguage(io.env),
    ...(found ? { authorization: `Bearer ${found.token}` } : {}),
  };

  async function raw(method: string, path: string, init: { body?: BodyInit; headers?: Record<string, string> } = {}): Promise<Response> {
    let response: Response;
    try {
      // duplex: a streamed upload body (an import file) needs it in Node's fetch.
      response = await fetch(`${server}${path}`, { method, headers: { ...baseHeaders, ...init.headers }, body: init.body, duplex: 'half' } as RequestInit);
    } catch (error) {
      throw unreachable(server, error);
    }
    if (!response.ok) throw await refusal(response, server, found?.source);
    return response;
  }

  return {
    server,
    raw,
    async json(method, path, body) {
      const response = await raw(method, path, body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
      const text = await response.text();
      try {
        return (text ? JSON.parse(text) : undefined) as any;
      } catch {
        // A 2xx that is not JSON: a proxy's or another application's page, not this API.
        throw new CliError(`${server}${path} answered ${response.status} with something that is not JSON: is ${server} a Liuzhuan server?`, EXIT.failed);
      }
    },
  };
}
