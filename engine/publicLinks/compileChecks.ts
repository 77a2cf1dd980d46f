/**
 * Deploy-time checks of `liuzhuan:publicLink` (a compile listener): on a send or service task
 * only, once per task, a form and a message named, a usable variable name, a parsable expiry
 * and recipient, and — the mistake that would leave a survey answered into the void — the
 * message caught somewhere in the same process (a catch event, receive task or boundary
 * event). Whether the form exists needs the database: deployChecks.ts.
 */
import type { CompileContext } from '../bpmn/context.ts';
import type { CompiledProcess, FlowNode } from '../bpmn/model.ts';
import { classifyExpression } from '../expressions/index.ts';
import { quoteExpression } from '../expressions/errors.ts';
import type { CompileListener } from '../extensions/compileListeners.ts';
import { parseDuration } from '../timers/iso.ts';
import { publicLinkOf, rawPublicLink } from './settings.ts';

const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const CATCHING_TYPES = new Set(['intermediateCatchEvent', 'receiveTask', 'boundaryEvent']);

export const publicLinkCompileChecks: CompileListener = {
  name: 'publicLinks',
  checkNode(ctx, process, node) {
    const raw = rawPublicLink(node);
    if (raw === undefined) return;
    const what = ctx.describeId(node.id);
    if (node.type !== 'sendTask' && node.type !== 'serviceTask') {
      ctx.problem(node.id, `${what}: liuzhuan:publicLink belongs on a sendTask or serviceTask`, { code: 'public_link_misplaced' });
      return;
    }
    if (Array.isArray(raw)) {
      ctx.problem(node.id, `${what} has ${raw.length} liuzhuan:publicLink elements: one task creates one link`, { code: 'public_link_repeated' });
      return;
    }
    const settings = publicLinkOf(node);
    if (!settings) {
      ctx.problem(node.id, `${what}: liuzhuan:publicLink needs a form (the form the customer fills) and a message (what the process waits for)`, {
        code: 'public_link_incomplete',
      });
      return;
    }
    if (!VARIABLE_NAME.test(settings.variable)) {
      ctx.problem(node.id, `${what}: liuzhuan:publicLink variable "${settings.variable}" is not a variable name (letters, digits, _)`, {
        code: 'public_link_variable',
      });
    }
    if (settings.expiresIn !== undefined) checkExpiry(ctx, node, settings.expiresIn);
    if (settings.notify !== undefined) ctx.expression(node.id, 'liuzhuan:publicLink notify', settings.notify, 'literal');
    for (const entry of settings.prefill) ctx.expression(node.id, `liuzhuan:publicLink entry '${entry.field}'`, entry.value, 'feel');
    if (!catches(process, settings.message)) {
      ctx.problem(
        node.id,
        `${what}: the answer to its public link arrives as message "${settings.message}", which no catch event, receive task or boundary event of process '${process.id}' waits for`,
        { code: 'public_link_message_uncaught', params: { message: settings.message } },
      );
    }
  },
};

function checkExpiry(ctx: CompileContext, node: FlowNode, text: string): void {
  const source = classifyExpression(text, 'literal');
  if (source.language !== 'literal') {
    ctx.expression(node.id, 'liuzhuan:publicLink expiresIn', text, 'literal');
    return;
  }
  try {
    parseDuration(text.trim());
  } catch (error) {
    ctx.problem(node.id, `${ctx.describeId(node.id)}: liuzhuan:publicLink expiresIn ${quoteExpression(text)}: ${(error as Error).message}`, {
      code: 'public_link_expiry',
    });
  }
}

function catches(process: CompiledProcess, messageName: string): boolean {
  return Object.values(process.nodes).some(
    (node) => CATCHING_TYPES.has(node.type) && node.event?.type === 'message' && node.event.messageName === messageName,
  );
}
