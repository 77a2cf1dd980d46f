/** Effect handlers without a database: request formats, signatures, templates, back-off. */
import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chatRobot, chatRobotRequest } from '../../engine/effects/chatRobot.ts';
import { messageIdFor, smtpOptions } from '../../engine/effects/email.ts';
import { defaultEffects, effectHandler, EffectError, type EffectContext } from '../../engine/effects/index.ts';
import { render } from '../../engine/effects/template.ts';
import { webhook, webhookSignature } from '../../engine/effects/webhook.ts';
import { backoffMs } from '../../engine/jobs/failures.ts';
import type { JobRow } from '../../engine/store/jobs.ts';

const NOW = new Date('2026-11-23T08:00:00Z');

function context(type: string, config: Record<string, string>, variables: Record<string, unknown> = {}): EffectContext {
  const job: JobRow = {
    id: '7d1f0d6e-3c55-4a0e-9a43-2b1b7a1e0c01',
    type,
    instanceId: null,
    definitionId: null,
    executionId: null,
    elementId: 'notify',
    dueAt: NOW,
    payload: { config, variables },
    retriesLeft: 3,
    attempts: 0,
    lockedBy: 'test',
    lockedUntil: null,
    lastError: null,
  };
  return { job, config, variables, now: NOW, signal: AbortSignal.timeout(5_000), env: {} };
}

/** A local HTTP endpoint answering with whatever the test sets. */
const endpoint = { server: undefined as Server | undefined, url: '', status: 200, reply: '{}', bodies: [] as string[], urls: [] as string[] };

beforeAll(async () => {
  endpoint.server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      endpoint.bodies.push(body);
      endpoint.urls.push(req.url ?? '');
      res.writeHead(endpoint.status, { 'content-type': 'application/json' }).end(endpoint.reply);
    });
  });
  await new Promise<void>((resolve) => endpoint.server!.listen(0, '127.0.0.1', resolve));
  endpoint.url = `http://127.0.0.1:${(endpoint.server.address() as AddressInfo).port}/robot?access_token=abc`;
});

afterAll(async () => {
  await new Promise((resolve) => endpoint.server?.close(resolve));
});

describe('registry', () => {
  it('maps effect:<type> to its handler and nothing else', () => {
    expect(effectHandler(defaultEffects, 'effect:webhook')).toBe(webhook);
    expect(effectHandler(defaultEffects, 'effect:chatRobot')).toBe(chatRobot);
    expect(effectHandler(defaultEffects, 'effect:toString')).toBeUndefined();
    expect(effectHandler(defaultEffects, 'webhook')).toBeUndefined();
  });
});

describe('webhook', () => {
  it('signs "timestamp.body" with HMAC-SHA256', () => {
    const expected = createHmac('sha256', 'k').update('1700000000.{"a":1}').digest('hex');
    expect(webhookSignature('k', '1700000000', '{"a":1}')).toBe(`sha256=${expected}`);
  });

  it('renders a body template over the variables and reports a non-2xx status', async () => {
    endpoint.status = 502;
    endpoint.reply = 'bad gateway';
    const failing = webhook(context('effect:webhook', { url: endpoint.url, body: '{"order":"{{orderNo}}"}' }, { orderNo: 'X"1' }));
    await expect(failing).rejects.toThrow(EffectError);
    await expect(failing).rejects.toThrow(/answered 502/);
    // The robot token in the query never lands in an error message.
    await expect(failing).rejects.not.toThrow(/access_token/);
    expect(endpoint.bodies.at(-1)).toBe('{"order":"X"1"}');
  });

  it('fails clearly when the receiver cannot be reached', async () => {
    await expect(webhook(context('effect:webhook', { url: 'http://127.0.0.1:1/hook' }))).rejects.toThrow(/could not be reached/);
  });
});

describe('chat robots', () => {
  it('WeCom sends markdown content', () => {
    expect(chatRobotRequest('wecom', { url: 'https://example.test/wecom', content: '**hi**', now: NOW })).toEqual({
      url: 'https://example.test/wecom',
      body: { msgtype: 'markdown', markdown: { content: '**hi**' } },
    });
  });

  it('DingTalk sends markdown with a title and signs the URL with timestamp and sign', () => {
    const { url, body } = chatRobotRequest('dingtalk', {
      url: 'https://example.test/robot/send?access_token=t',
      content: '# Overdue\nOrder 7',
      secret: 'SECxyz',
      now: NOW,
    });
    expect(body).toEqual({ msgtype: 'markdown', markdown: { title: 'Overdue', text: '# Overdue\nOrder 7' } });
    const query = new URL(url).searchParams;
    expect(query.get('access_token')).toBe('t');
    expect(query.get('timestamp')).toBe(String(NOW.getTime()));
    const sign = createHmac('sha256', 'SECxyz').update(`${NOW.getTime()}\nSECxyz`).digest('base64');
    expect(query.get('sign')).toBe(sign);
  });

  it('Feishu sends text with timestamp and sign in the body', () => {
    const { body } = chatRobotRequest('feishu', { url: 'https://example.test/hook', content: 'hello', secret: 's', now: NOW });
    const timestamp = String(NOW.getTime() / 1000);
    expect(body).toEqual({
      msg_type: 'text',
      content: { text: 'hello' },
      timestamp,
      sign: createHmac('sha256', `${timestamp}\ns`).update('').digest('base64'),
    });
    expect(chatRobotRequest('feishu', { url: 'u', content: 'x', now: NOW }).body).toEqual({ msg_type: 'text', content: { text: 'x' } });
  });

  it('a robot that answers 200 with an error code is a failure', async () => {
    endpoint.status = 200;
    endpoint.reply = '{"errcode":310000,"errmsg":"sign not match"}';
    const run = chatRobot(context('effect:chatRobot', { provider: 'dingtalk', url: endpoint.url, content: 'Hi {{name}}' }, { name: 'Li' }));
    await expect(run).rejects.toThrow(/310000 sign not match/);
    expect(JSON.parse(endpoint.bodies.at(-1)!)).toMatchObject({ markdown: { text: 'Hi Li' } });
    endpoint.reply = '{"code":0,"msg":"success"}';
    await chatRobot(context('effect:chatRobot', { provider: 'feishu', url: endpoint.url, content: 'ok' }));
    await expect(chatRobot(context('effect:chatRobot', { provider: 'slack', url: endpoint.url, content: 'x' }))).rejects.toThrow(/Unknown chat robot/);
  });
});

describe('email', () => {
  it('derives the Message-ID from the job id and reads smtp URLs', () => {
    expect(messageIdFor('abc')).toBe('<abc@liuzhuan.local>');
    expect(smtpOptions('smtps://u%40x:p%3Aw@mail.example.test')).toMatchObject({
      host: 'mail.example.test',
      port: 465,
      secure: true,
      auth: { user: 'u@x', pass: 'p:w' },
    });
    expect(smtpOptions('smtp://127.0.0.1:2525')).toMatchObject({ port: 2525, secure: false, auth: undefined });
    expect(() => smtpOptions('http://x')).toThrow(EffectError);
  });
});

describe('templates and back-off', () => {
  it('escapes only HTML bodies', () => {
    expect(render('{{a}}', { a: '<b>' })).toBe('<b>');
    expect(render('{{a}}', { a: '<b>' }, true)).toBe('&lt;b&gt;');
  });

  it('doubles the back-off per attempt up to the cap', () => {
    const policy = { baseMs: 1_000, maxMs: 5_000 };
    expect([1, 2, 3, 4, 50].map((attempt) => backoffMs(attempt, policy))).toEqual([1_000, 2_000, 4_000, 5_000, 5_000]);
  });
});
