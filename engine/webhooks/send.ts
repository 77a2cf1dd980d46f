/**
 * One HTTP try of a delivery: POST the fixed body with its signature, bounded in time (one
 * timeout for connect, send and answer together) and in what is read back (the first
 * MAX_RESPONSE_BYTES, then the socket is dropped). Never throws: what happened is returned for
 * the attempt row. Redirects are not followed (a 3xx is a failure): a receiver that moved
 * must be re-entered, and a redirect cannot lead the server to an address it would refuse.
 */
import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { createHmac } from 'node:crypto';
import { refusedAddress } from './url.ts';

export const MAX_RESPONSE_BYTES = 4096;
const EXCERPT_CHARS = 1000;

export interface SendResult {
  statusCode: number | null;
  error: string | null;
  durationMs: number;
  responseExcerpt: string | null;
}

/** `sha256=<hex>` of HMAC-SHA256(secret, body): what X-Liuzhuan-Signature carries. */
export function signBody(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
}

/** A DNS lookup that refuses addresses a webhook may not reach (see url.ts). */
function guardedLookup(allowPrivate: boolean): LookupFunction {
  return (hostname, options, callback) => {
    dns.lookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, '', 4);
      const list = addresses as dns.LookupAddress[];
      for (const entry of list) {
        const why = refusedAddress(entry.address, allowPrivate);
        if (why) return callback(Object.assign(new Error(`${hostname} resolves to ${entry.address}, a ${why}`), { code: 'EADDRREFUSED' }), '', 4);
      }
      if ((options as { all?: boolean }).all) return (callback as unknown as (e: null, a: dns.LookupAddress[]) => void)(null, list);
      const first = list[0];
      if (!first) return callback(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }), '', 4);
      callback(null, first.address, first.family);
    });
  };
}

export interface SendOptions {
  url: string;
  body: string;
  headers: Record<string, string>;
  timeoutMs: number;
  allowPrivate: boolean;
  signal?: AbortSignal;
}

export function sendWebhook(options: SendOptions): Promise<SendResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  return new Promise((resolve) => {
    let settled = false;
    const finish = (result: Omit<SendResult, 'durationMs'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      resolve({ ...result, durationMs: elapsed() });
    };
    const url = new URL(options.url);
    // A literal IP skips the lookup: check it here.
    const literal = url.hostname.replace(/^\[|\]$/g, '');
    const literalRefused = /^[\d.]+$|:/.test(literal) ? refusedAddress(literal, options.allowPrivate) : null;
    if (literalRefused) {
      resolve({ statusCode: null, error: `${literal} is a ${literalRefused}`, durationMs: elapsed(), responseExcerpt: null });
      return;
    }
    const client = url.protocol === 'https:' ? https : http;
    const request = client.request(url, {
      method: 'POST',
      headers: { ...options.headers, 'content-length': String(Buffer.byteLength(options.body)) },
      lookup: guardedLookup(options.allowPrivate),
      agent: false,
    });
    const timer = setTimeout(() => {
      request.destroy(new Error(`No answer within ${options.timeoutMs} ms`));
    }, options.timeoutMs);
    const onAbort = () => request.destroy(new Error('The server is stopping'));
    options.signal?.addEventListener('abort', onAbort);
    request.on('error', (error) => finish({ statusCode: null, error: error.message.slice(0, 2000), responseExcerpt: null }));
    request.on('response', (response) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const done = () => {
        const text = Buffer.concat(chunks).toString('utf8').slice(0, EXCERPT_CHARS);
        const code = response.statusCode ?? null;
        const ok = code !== null && code >= 200 && code < 300;
        finish({ statusCode: code, error: ok ? null : `The receiver answered ${code}`, responseExcerpt: text || null });
      };
      response.on('data', (chunk: Buffer) => {
        if (size >= MAX_RESPONSE_BYTES) return;
        chunks.push(chunk.subarray(0, MAX_RESPONSE_BYTES - size));
        size += chunk.length;
        // Enough read: the rest of a large answer is not waited for.
        if (size >= MAX_RESPONSE_BYTES) {
          done();
          response.destroy();
        }
      });
      response.on('end', done);
      response.on('error', done);
    });
    request.end(options.body);
  });
}
