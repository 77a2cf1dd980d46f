/**
 * Which URLs a subscription may post to. At save time: http or https only, no user:password,
 * no fragment, at most 2,000 characters. At delivery time (send.ts) every address the host
 * name resolves to is checked as the socket connects (the check sits in the connection's DNS
 * lookup, so a name that resolves differently a moment later — DNS rebinding — is checked
 * again, not trusted from an earlier look-up): the unspecified, link-local (169.254.0.0/16,
 * where cloud metadata services answer), multicast and broadcast addresses are always
 * refused; loopback and private networks only unless LIUZHUAN_WEBHOOK_ALLOW_PRIVATE=true
 * (a receiver on the intranet). Redirects are not followed.
 */
import net from 'node:net';
import { ValidationError } from '../errors.ts';

export const MAX_URL_LENGTH = 2000;

export function checkWebhookUrl(value: unknown, pointer: string, en: boolean): string {
  const refuse = (message: string): never => {
    throw new ValidationError(message, [{ pointer, message }], 'invalid_webhook_url');
  };
  if (typeof value !== 'string' || value.trim() === '') refuse(en ? 'Enter the URL to deliver to' : '请填写接收地址');
  const text = (value as string).trim();
  if (text.length > MAX_URL_LENGTH) refuse(en ? `The URL is longer than ${MAX_URL_LENGTH} characters` : `地址超过 ${MAX_URL_LENGTH} 个字符`);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return refuse(en ? `"${text.slice(0, 100)}" is not a URL` : `「${text.slice(0, 100)}」不是有效的网址`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    refuse(en ? `Only http and https URLs can receive webhooks, not ${url.protocol}` : `只支持 http 或 https 地址，不支持 ${url.protocol}`);
  }
  if (url.username || url.password) refuse(en ? 'Put no user name or password in the URL; the signature authenticates' : '地址中不能包含用户名或密码，请用签名验证');
  if (url.hash) refuse(en ? 'The URL may not have a #fragment' : '地址不能包含 # 片段');
  return url.toString();
}

function ipv4Parts(address: string): number[] | null {
  const parts = address.split('.').map(Number);
  return parts.length === 4 && parts.every((p) => Number.isInteger(p) && p >= 0 && p <= 255) ? parts : null;
}

/** Why an address may not be posted to, or null when it may. */
export function refusedAddress(address: string, allowPrivate: boolean): string | null {
  let text = address.toLowerCase();
  // IPv4-mapped IPv6 (::ffff:10.0.0.1) is the IPv4 address.
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (mapped) text = mapped[1]!;
  const v4 = ipv4Parts(text);
  if (v4) {
    const [a, b] = v4 as [number, number, number, number];
    if (a === 0) return 'unspecified address';
    if (a === 169 && b === 254) return 'link-local address (cloud metadata)';
    if (a >= 224) return 'multicast or reserved address';
    const isPrivate = a === 127 || a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 100 && b >= 64 && b <= 127);
    if (isPrivate && !allowPrivate) return 'loopback or private address (LIUZHUAN_WEBHOOK_ALLOW_PRIVATE is not set)';
    return null;
  }
  if (net.isIPv6(text)) {
    if (text === '::') return 'unspecified address';
    if (/^fe[89ab]/.test(text)) return 'link-local address';
    if (text.startsWith('ff')) return 'multicast address';
    const isPrivate = text === '::1' || /^f[cd]/.test(text);
    if (isPrivate && !allowPrivate) return 'loopback or private address (LIUZHUAN_WEBHOOK_ALLOW_PRIVATE is not set)';
    return null;
  }
  return 'not an IP address';
}
