/** The feature's words in zh-CN and English: errors a customer's page shows, the staff's notification. */
import type { MessageLocale } from '../forms/messages.ts';

type Words = Record<MessageLocale, string>;

export const LINK_ERRORS = {
  link_not_found: { 'zh-CN': '链接不存在，请核对地址', en: 'This link does not exist; check the address' },
  link_used: { 'zh-CN': '此链接已使用过，不能再次提交', en: 'This link has already been used' },
  link_expired: { 'zh-CN': '此链接已过期', en: 'This link has expired' },
  link_revoked: { 'zh-CN': '此链接已被停用', en: 'This link has been withdrawn' },
  link_closed: { 'zh-CN': '此事项已经结束，无需再提交', en: 'This matter is closed; no answer is needed any more' },
} satisfies Record<string, Words>;

export type LinkErrorCode = keyof typeof LINK_ERRORS;

export function linkNotice(locale: MessageLocale, formTitle: string, path: string): { title: string; body: string } {
  return locale === 'en'
    ? { title: `Public link ready: ${formTitle}`, body: `Send this link to the customer to fill in "${formTitle}": ${path}` }
    : { title: `外链已生成：${formTitle}`, body: `请将此链接发给客户填写「${formTitle}」：${path}` };
}
