/**
 * The load's HTTP client: `node:http` over kept-alive connections (bench/peers/http.ts found
 * `fetch` costing the client about as much CPU per request as the server's own handling).
 * A refused, reset or timed-out request is "no answer" (`status: null`), never an exception:
 * under a kill that is an expected outcome, and the caller decides what it means.
 */
import http from 'node:http';

export interface Answer {
  /** null: no answer (refused, reset, cut by a kill, or no answer within the timeout). */
  status: number | null;
  body: any;
  /** The error of a request that got no answer. */
  error?: string;
}

export class HttpClient {
  private readonly agent: http.Agent;

  constructor(
    private readonly token: string,
    private readonly timeoutMs = 10_000,
    maxSockets = 64,
  ) {
    this.agent = new http.Agent({ keepAlive: true, maxSockets });
  }

  request(baseUrl: string, method: string, path: string, body?: unknown): Promise<Answer> {
    const text = body === undefined ? undefined : JSON.stringify(body);
    const headers: Record<string, string> = { authorization: `Bearer ${this.token}` };
    if (text !== undefined) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = String(Buffer.byteLength(text));
    }
    return new Promise((resolve) => {
      const req = http.request(new URL(path, baseUrl), { agent: this.agent, method, headers, timeout: this.timeoutMs }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const raw = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown = raw;
          try {
            parsed = raw ? JSON.parse(raw) : undefined;
          } catch {
            // keep the text (an HTML error page, say)
          }
          resolve({ status: res.statusCode ?? 0, body: parsed });
        });
        res.on('error', (error) => resolve({ status: null, body: undefined, error: error.message }));
      });
      req.on('timeout', () => req.destroy(new Error(`no answer in ${this.timeoutMs} ms`)));
      req.on('error', (error) => resolve({ status: null, body: undefined, error: error.message }));
      req.end(text);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

/** Logs in over HTTP and returns the bearer token. */
export async function login(baseUrl: string, username: string, password: string): Promise<string> {
  const response = await fetch(`${baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (!response.ok) throw new Error(`login as ${username} answered ${response.status}: ${await response.text()}`);
  return ((await response.json()) as { token: string }).token;
}
