/** Which language a response's human messages use: Accept-Language, zh-CN by default. */
import type { Request } from 'express';
import type { MessageLocale } from '../../engine/forms/messages.ts';

export function messageLocale(req: Request): MessageLocale {
  // The first entry wins ties and covers a missing header or `*`.
  const best = req.acceptsLanguages('zh-CN', 'zh', 'en');
  return typeof best === 'string' && best.startsWith('en') ? 'en' : 'zh-CN';
}
