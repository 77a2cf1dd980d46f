/**
 * `effect:webhook` — POSTs JSON to `config.url`. The job id travels as an idempotency key, so
 * a receiver can recognise the redelivery that follows a node dying between the call and
 * deleting the job. With `config.secret` (or `config.secretEnv`, the name of an environment
 * variable holding it) the request is signed: `X-Liuzhuan-Signature: sha256=<hex HMAC-SHA256
 * of "<timestamp>.<body>">`, the timestamp in `X-Liuzhuan-Timestamp` (Unix seconds).
 *
 * config: url, method (POST|PUT|PATCH), body (handlebars template producing JSON; default
 * `{jobId, instanceId, elementId, variables}`), secret | secretEnv, timeoutMs.
 */
import { createHmac } from 'node:crypto';
import { sendJson } from './http.ts';
import { render } from './template.ts';
import { EffectError, requireConfig, type EffectHandler } from './types.ts';

export function webhookSignature(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

export const webhook: EffectHandler = async (context) => {
  const { job, config, variables } = context;
  const url = requireConfig(context, 'url');
  const method = (config.method ?? 'POST').toUpperCase();
  if (!['POST', 'PUT', 'PATCH'].includes(method)) throw new EffectError(`Webhook method ${method} is not supported`);
  const body = config.body
    ? render(config.body, variables)
    : JSON.stringify({ jobId: job.id, instanceId: job.instanceId, elementId: job.elementId, variables });
  const timestamp = String(Math.floor(context.now.getTime() / 1000));
  const headers: Record<string, string> = {
    'x-liuzhuan-idempotency-key': job.id,
    'idempotency-key': job.id,
    'x-liuzhuan-timestamp': timestamp,
  };
  const secret = config.secret ?? (config.secretEnv ? context.env[config.secretEnv] : undefined);
  if (config.secretEnv && !secret) throw new EffectError(`Environment variable ${config.secretEnv} (the webhook secret) is not set`);
  if (secret) headers['x-liuzhuan-signature'] = webhookSignature(secret, timestamp, body);
  await sendJson(url, body, { method, headers, signal: context.signal, timeoutMs: numberOr(config.timeoutMs) });
};

function numberOr(text: string | undefined): number | undefined {
  const value = Number(text);
  return text && Number.isFinite(value) && value > 0 ? value : undefined;
}
