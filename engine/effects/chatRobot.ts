/**
 * `effect:chatRobot` — a message to a group-chat robot webhook, WeCom, DingTalk or Feishu
 * style. Robots know no idempotency key: a redelivery after a crash shows the message twice
 * (see "Jobs and side effects" in docs/architecture.md).
 *
 * config: provider (wecom | dingtalk | feishu), url, content (handlebars template), title
 * (DingTalk), secret | secretEnv (DingTalk and Feishu signing), timeoutMs.
 */
import { createHmac } from 'node:crypto';
import { safeUrl, sendJson } from './http.ts';
import { render } from './template.ts';
import { EffectError, requireConfig, type EffectHandler } from './types.ts';

export type RobotProvider = 'wecom' | 'dingtalk' | 'feishu';

const ALIASES: Record<string, RobotProvider> = {
  wecom: 'wecom',
  wework: 'wecom',
  dingtalk: 'dingtalk',
  feishu: 'feishu',
  lark: 'feishu',
};

export interface RobotMessage {
  url: string;
  content: string;
  title?: string;
  secret?: string;
  now: Date;
}

/** The request a provider expects; pure, so the formats are unit-tested without a network. */
export function chatRobotRequest(provider: RobotProvider, message: RobotMessage): { url: string; body: Record<string, unknown> } {
  const { content, secret, now } = message;
  switch (provider) {
    case 'wecom':
      return { url: message.url, body: { msgtype: 'markdown', markdown: { content } } };
    case 'dingtalk': {
      let url = message.url;
      if (secret) {
        // DingTalk: milliseconds; sign = base64(HMAC-SHA256(key = secret, "timestamp\nsecret")).
        const timestamp = String(now.getTime());
        const sign = createHmac('sha256', secret).update(`${timestamp}\n${secret}`).digest('base64');
        const parsed = new URL(url);
        parsed.searchParams.set('timestamp', timestamp);
        parsed.searchParams.set('sign', sign);
        url = parsed.toString();
      }
      const title = message.title ?? content.split('\n', 1)[0]!.replace(/^#+\s*/, '').slice(0, 64);
      return { url, body: { msgtype: 'markdown', markdown: { title, text: content } } };
    }
    case 'feishu': {
      const body: Record<string, unknown> = { msg_type: 'text', content: { text: content } };
      if (secret) {
        // Feishu: seconds; sign = base64(HMAC-SHA256(key = "timestamp\nsecret", empty message)).
        const timestamp = String(Math.floor(now.getTime() / 1000));
        body.timestamp = timestamp;
        body.sign = createHmac('sha256', `${timestamp}\n${secret}`).update('').digest('base64');
      }
      return { url: message.url, body };
    }
  }
}

/** The robots answer HTTP 200 with an error code in the body when they refuse a message. */
function robotErrorCode(json: unknown): { code: unknown; message: unknown } | null {
  if (!json || typeof json !== 'object') return null;
  const body = json as Record<string, unknown>;
  const code = body.errcode ?? body.code ?? body.StatusCode;
  if (code === undefined || code === 0 || code === '0') return null;
  return { code, message: body.errmsg ?? body.msg ?? body.StatusMessage };
}

export const chatRobot: EffectHandler = async (context) => {
  const { config, variables } = context;
  const provider = ALIASES[(config.provider ?? '').toLowerCase()];
  if (!provider) throw new EffectError(`Unknown chat robot provider "${config.provider ?? ''}" (use wecom, dingtalk or feishu)`);
  const secret = config.secret ?? (config.secretEnv ? context.env[config.secretEnv] : undefined);
  const request = chatRobotRequest(provider, {
    url: requireConfig(context, 'url'),
    content: render(requireConfig(context, 'content'), variables),
    title: config.title ? render(config.title, variables) : undefined,
    secret,
    now: context.now,
  });
  const timeout = Number(config.timeoutMs);
  const response = await sendJson(request.url, JSON.stringify(request.body), {
    signal: context.signal,
    timeoutMs: Number.isFinite(timeout) && timeout > 0 ? timeout : undefined,
  });
  const refused = robotErrorCode(response.json);
  if (refused) {
    throw new EffectError(`${provider} robot ${safeUrl(request.url)} refused the message: ${String(refused.code)} ${String(refused.message ?? '')}`);
  }
};
