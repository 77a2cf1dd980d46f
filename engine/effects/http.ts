/** The one HTTP call effects make: JSON out, a timeout, non-2xx as a failure with its status. */
import { EffectError } from './types.ts';

export interface JsonResponse {
  status: number;
  text: string;
  json: unknown;
}

export const DEFAULT_TIMEOUT_MS = 10_000;

/** The URL without query and credentials, for error messages (robot tokens live in queries). */
export function safeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.origin}${parsed.pathname}`;
  } catch {
    return '(invalid URL)';
  }
}

export async function sendJson(
  url: string,
  body: string,
  options: { method?: string; headers?: Record<string, string>; signal: AbortSignal; timeoutMs?: number },
): Promise<JsonResponse> {
  const signal = AbortSignal.any([options.signal, AbortSignal.timeout(options.timeoutMs ?? DEFAULT_TIMEOUT_MS)]);
  let response: Response;
  try {
    response = await fetch(url, {
      method: options.method ?? 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8', ...options.headers },
      body,
      signal,
      redirect: 'manual',
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const reason = (error as Error).name === 'TimeoutError' ? 'timed out' : (cause?.code ?? cause?.message ?? (error as Error).message);
    throw new EffectError(`${safeUrl(url)} could not be reached: ${reason}`);
  }
  const text = await response.text().catch(() => '');
  if (response.status < 200 || response.status >= 300) {
    throw new EffectError(`${safeUrl(url)} answered ${response.status}: ${text.slice(0, 300)}`, response.status);
  }
  let json: unknown = undefined;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON: fine for a webhook
  }
  return { status: response.status, text, json };
}
