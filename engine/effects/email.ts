/**
 * `effect:email` — one mail over SMTP (nodemailer). The Message-ID is derived from the job id,
 * so a resend after a crash carries the same Message-ID and mail systems and people can
 * recognise it as the same message.
 *
 * config: to, cc, bcc, from, subject, text, html (handlebars templates over the variables;
 * html escapes them), smtpUrl (else env SMTP_URL, e.g. smtp://user:pass@host:587),
 * messageIdDomain (else env SMTP_MESSAGE_ID_DOMAIN, else "liuzhuan.local").
 */
import nodemailer from 'nodemailer';
import { render } from './template.ts';
import { EffectError, requireConfig, type EffectHandler } from './types.ts';

export function messageIdFor(jobId: string, domain = 'liuzhuan.local'): string {
  return `<${jobId}@${domain}>`;
}

/** smtp://user:pass@host:port (STARTTLS when offered) or smtps:// (TLS from the start). */
export function smtpOptions(url: string) {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new EffectError('The SMTP URL is not a valid URL');
  }
  if (parsed.protocol !== 'smtp:' && parsed.protocol !== 'smtps:') throw new EffectError('The SMTP URL must start with smtp:// or smtps://');
  const secure = parsed.protocol === 'smtps:';
  return {
    host: parsed.hostname,
    port: parsed.port ? Number(parsed.port) : secure ? 465 : 587,
    secure,
    auth: parsed.username ? { user: decodeURIComponent(parsed.username), pass: decodeURIComponent(parsed.password) } : undefined,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 20_000,
  };
}

export const email: EffectHandler = async (context) => {
  const { config, variables, env, job } = context;
  const smtpUrl = config.smtpUrl ?? env.SMTP_URL;
  if (!smtpUrl) throw new EffectError('The email effect needs "smtpUrl" in its configuration or SMTP_URL in the environment');
  const to = render(requireConfig(context, 'to'), variables);
  const text = config.text === undefined ? undefined : render(config.text, variables);
  const html = config.html === undefined ? undefined : render(config.html, variables, true);
  if (text === undefined && html === undefined) throw new EffectError('The email effect needs "text" or "html"');
  const transport = nodemailer.createTransport(smtpOptions(smtpUrl));
  // nodemailer takes no AbortSignal: closing the transport ends a send in flight.
  const onAbort = () => transport.close();
  context.signal.addEventListener('abort', onAbort, { once: true });
  try {
    if (context.signal.aborted) throw new EffectError('The email effect was aborted');
    await transport.sendMail({
      from: config.from ?? env.SMTP_FROM ?? 'Liuzhuan <liuzhuan@localhost>',
      to,
      cc: config.cc ? render(config.cc, variables) : undefined,
      bcc: config.bcc ? render(config.bcc, variables) : undefined,
      subject: render(config.subject ?? '', variables),
      text,
      html,
      messageId: messageIdFor(job.id, config.messageIdDomain ?? env.SMTP_MESSAGE_ID_DOMAIN),
      headers: { 'X-Liuzhuan-Idempotency-Key': job.id },
    });
  } catch (error) {
    if (error instanceof EffectError) throw error;
    throw new EffectError(`SMTP delivery failed: ${(error as Error).message}`);
  } finally {
    context.signal.removeEventListener('abort', onAbort);
    transport.close();
  }
};
