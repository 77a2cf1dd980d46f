/**
 * An incoming hook (`POST /api/hooks/:id`): an outside system starts an instance of one flow
 * with a JSON body, exactly as `POST /api/instances` would (startInstanceForUser: the start
 * form's validation, record, routing, automations), acting as the hook's user. The caller
 * proves it knows the secret either by sending it (`X-Liuzhuan-Secret`) or by signing the raw
 * body (`X-Liuzhuan-Signature: sha256=<HMAC-SHA256 hex>`, as outgoing deliveries are signed);
 * both are compared in constant time. Form errors come back as 422 with pointers into the
 * body (`/amount`, not `/variables/amount`: here the body is the data).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Knex } from 'knex';
import { startInstanceForUser } from '../commands/startInstanceForUser.ts';
import type { CommandDeps } from '../commands/runCommand.ts';
import { LiuzhuanError, NotFoundError, UnauthorizedError, ValidationError } from '../errors.ts';
import type { MessageLocale } from '../forms/messages.ts';
import { loadAuthUser } from '../store/users.ts';
import { signBody } from './send.ts';
import { countHookUse, hookSecretOf } from './store.ts';

export interface IncomingRequest {
  id: string;
  /** The bytes as received (the signature covers them); undefined when the body was empty. */
  rawBody: Buffer | undefined;
  body: unknown;
  secretHeader: string | undefined;
  signatureHeader: string | undefined;
  locale: MessageLocale;
  onRuleError: (rule: unknown, error: unknown) => void;
}

const digest = (value: string | Buffer) => createHash('sha256').update(value).digest();
/** Equal-length digests, so neither the length nor the first differing byte leaks. */
const sameText = (a: string, b: string) => timingSafeEqual(digest(a), digest(b));

function authentic(secret: string, request: IncomingRequest): boolean {
  if (request.signatureHeader) return sameText(signBody(secret, (request.rawBody ?? Buffer.alloc(0)).toString('utf8')), request.signatureHeader.trim());
  if (request.secretHeader) return sameText(secret, request.secretHeader.trim());
  return false;
}

export async function receiveHook(deps: CommandDeps, request: IncomingRequest) {
  const en = request.locale === 'en';
  const db = deps.db as Knex;
  const hook = /^[0-9a-f-]{36}$/i.test(request.id) ? await hookSecretOf(db, request.id) : null;
  if (!hook || !hook.enabled) throw new NotFoundError(en ? `No enabled incoming hook ${request.id}` : `没有启用的接收钩子 ${request.id}`, 'hook_not_found');
  if (!authentic(hook.secret, request)) {
    throw new UnauthorizedError(
      en
        ? 'The hook secret is missing or wrong: send X-Liuzhuan-Secret, or X-Liuzhuan-Signature: sha256=<HMAC-SHA256 of the body>'
        : '钩子密钥缺失或不正确：请发送 X-Liuzhuan-Secret，或 X-Liuzhuan-Signature: sha256=<请求体的 HMAC-SHA256>',
      'hook_unauthorized',
    );
  }
  const body = request.body;
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    const message = en ? 'The body must be a JSON object of the start form\'s fields' : '请求体须为 JSON 对象（发起表单的字段）';
    throw new LiuzhuanError('invalid_body', message, 400, [{ pointer: '', message }]);
  }
  const user = await loadAuthUser(db, hook.runAs);
  if (!user) throw new LiuzhuanError('hook_user_inactive', en ? 'The hook\'s user is disabled' : '钩子的执行用户已停用', 409);
  try {
    const started = await startInstanceForUser(deps, {
      definitionKey: hook.definitionKey,
      variables: body as Record<string, unknown>,
      user,
      locale: request.locale,
      onRuleError: request.onRuleError,
    });
    await countHookUse(db, request.id, deps.clock());
    return { instanceId: started.id, status: started.status, recordId: started.recordId ?? null };
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    const details = error.details?.map((detail) => ({ ...detail, pointer: detail.pointer.replace(/^\/variables(?=\/|$)/, '') }));
    throw new ValidationError(error.message, details, error.code);
  }
}
