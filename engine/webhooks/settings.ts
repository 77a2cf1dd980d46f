/** Webhook limits from the environment (README lists them); read per delivery, so tests can set them. */
export interface WebhookSettings {
  /** One HTTP try: connect, send and answer together. */
  timeoutMs: number;
  /** Tries per delivery (the first included) before it is `failed`; a re-send gives it as many again. */
  maxAttempts: number;
  /** Back-off after the first failed try; doubles after each further one, at most an hour. */
  retryBaseMs: number;
  retryMaxMs: number;
  /** Loopback and private addresses may receive (an intranet receiver). */
  allowPrivate: boolean;
}

function int(env: Record<string, string | undefined>, name: string, fallback: number, min: number, max: number): number {
  const text = env[name]?.trim();
  if (!text) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`${name} must be a whole number from ${min} to ${max}, got "${text}"`);
  }
  return value;
}

export function webhookSettings(env: Record<string, string | undefined>, leaseMs: number): WebhookSettings {
  return {
    // Well under the job's lease, so another node does not take the job while this one waits.
    timeoutMs: Math.min(int(env, 'LIUZHUAN_WEBHOOK_TIMEOUT_MS', 10_000, 100, 120_000), Math.floor(leaseMs / 2)),
    maxAttempts: int(env, 'LIUZHUAN_WEBHOOK_MAX_ATTEMPTS', 8, 1, 50),
    retryBaseMs: int(env, 'LIUZHUAN_WEBHOOK_RETRY_BASE_MS', 30_000, 0, 86_400_000),
    retryMaxMs: 3_600_000,
    allowPrivate: env.LIUZHUAN_WEBHOOK_ALLOW_PRIVATE === 'true',
  };
}

export function webhookBackoffMs(failedAttempts: number, settings: WebhookSettings): number {
  return Math.min(settings.retryMaxMs, settings.retryBaseMs * 2 ** Math.min(Math.max(failedAttempts - 1, 0), 20));
}

/** Incoming hook requests a minute, per hook, per node. */
export function hookRequestsPerMinute(env: Record<string, string | undefined>): number {
  return int(env, 'LIUZHUAN_HOOK_REQUESTS_PER_MINUTE', 60, 1, 100_000);
}

export const WEBHOOK_EVENTS = [
  'record.created',
  'record.updated',
  'record.deleted',
  'task.created',
  'task.assigned',
  'task.completed',
  'instance.started',
  'instance.finished',
] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];
export const DELIVER_JOB_TYPE = 'webhook:deliver';
