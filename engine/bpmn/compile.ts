/**
 * BPMN XML → CompiledProcess[]: what `POST /api/definitions` deploys. Every process not marked
 * isExecutable="false" is compiled (a collaboration may hold several). All problems of the
 * file are collected and thrown together as one ValidationError (422), each naming the element
 * and its line and column, so an admin fixes the model in one round. Features read their own
 * settings as compile listeners (engine/extensions/compileListeners.ts).
 */
import { ValidationError, type ErrorDetail } from '../errors.ts';
import { compileListeners } from '../extensions/compileListeners.ts';
import { CompileContext } from './context.ts';
import { compileNode, isIgnoredElement, type NodePlace } from './compileNode.ts';
import { refuseListeners } from './camundaSettings.ts';
import type { CompiledProcess, CompileResult, DeployProblem, Scope, SequenceFlow } from './model.ts';
import { body, child, children, flag, text, type ModdleElement } from './moddleAccess.ts';
import { parseBpmn, rawReference } from './parse.ts';
import { validateProcess } from './validate.ts';

export async function compileBpmn(xml: string): Promise<CompileResult> {
  const parsed = await parseBpmn(xml);
  const ctx = new CompileContext(parsed);
  const processes = children(parsed.definitions, 'rootElements').filter((el) => el.$type === 'bpmn:Process');
  const executable = processes.filter((process) => flag(process, 'isExecutable') !== false);
  if (processes.length === 0) {
    ctx.problem(parsed.definitions.id, 'The file contains no process');
  } else if (executable.length === 0) {
    const ids = processes.map((process) => `'${process.id ?? '?'}'`).join(', ');
    ctx.problem(processes[0].id, `No executable process: process ${ids} is marked isExecutable="false"`);
  }
  const compiled = executable.map((process) => compileProcess(ctx, process));
  if (ctx.problems.length > 0) {
    throw new ValidationError('The BPMN model cannot be deployed', ctx.problems.map(toDetail), 'invalid_bpmn');
  }
  return { processes: compiled, warnings: ctx.warnings };
}

export function toDetail(problem: DeployProblem): ErrorDetail {
  const detail: ErrorDetail = { pointer: problem.elementId ?? '', message: problem.message };
  if (problem.line !== undefined) detail.line = problem.line;
  if (problem.column !== undefined) detail.column = problem.column;
  if (problem.code !== undefined) detail.code = problem.code;
  if (problem.params !== undefined) detail.params = problem.params;
  return detail;
}

function compileProcess(ctx: CompileContext, process: ModdleElement): CompiledProcess {
  const id = process.id ?? '';
  if (!id) ctx.problem(undefined, 'A process has no id (the id is the definition key)');
  const out: CompiledProcess = { id, nodes: {}, flows: {}, scopes: {} };
  const name = text(process, 'name');
  if (name) out.name = name;
  refuseListeners(ctx, process);
  compileScope(ctx, out, process, null, 'process');
  for (const listener of compileListeners()) listener.processCompiled?.(ctx, process, out);
  validateProcess(ctx, out);
  return out;
}

function compileScope(
  ctx: CompileContext,
  out: CompiledProcess,
  container: ModdleElement,
  parentId: string | null,
  scopeKind: NodePlace['scopeKind'],
): void {
  const scope: Scope = {
    id: container.id ?? '',
    parentId,
    noneStartEventIds: [],
    eventStartEventIds: [],
    eventSubProcessIds: [],
    childIds: [],
    triggeredByEvent: scopeKind === 'eventSubProcess',
  };
  out.scopes[scope.id] = scope;
  const flows: ModdleElement[] = [];
  for (const el of children(container, 'flowElements')) {
    if (el.$type === 'bpmn:SequenceFlow') {
      flows.push(el);
      continue;
    }
    if (isIgnoredElement(el)) continue;
    const node = compileNode(ctx, el, { scopeId: scope.id, scopeKind });
    if (!node) continue;
    out.nodes[node.id] = node;
    scope.childIds.push(node.id);
    if (node.type === 'startEvent') (node.event ? scope.eventStartEventIds : scope.noneStartEventIds).push(node.id);
    if (node.type === 'subProcess') {
      const triggered = flag(el, 'triggeredByEvent') === true;
      if (triggered) scope.eventSubProcessIds.push(node.id);
      compileScope(ctx, out, el, scope.id, triggered ? 'eventSubProcess' : 'subProcess');
    }
  }
  // Flows after nodes, in document order: that order is the exclusive gateway's priority.
  for (const el of flows) compileFlow(ctx, out, el);
}

function compileFlow(ctx: CompileContext, out: CompiledProcess, el: ModdleElement): void {
  const source = child(el, 'sourceRef');
  const target = child(el, 'targetRef');
  const id = el.id ?? generatedFlowId(ctx, out, source?.id, target?.id);
  const missing = (end: 'sourceRef' | 'targetRef', found: ModdleElement | undefined) => {
    if (found?.id) return false;
    const raw = rawReference(ctx.parsed, el, end);
    ctx.problem(id, `sequenceFlow '${id}': ${end} ${raw ? `'${raw}' does not name an element` : 'is missing'}`, { code: 'flow_end_missing', params: { end } });
    return true;
  };
  const sourceMissing = missing('sourceRef', source);
  const targetMissing = missing('targetRef', target);
  if (sourceMissing || targetMissing) return;
  const flow: SequenceFlow = { id, sourceId: source!.id!, targetId: target!.id! };
  const name = text(el, 'name');
  if (name) flow.name = name;
  const condition = conditionOf(ctx, el, id);
  if (condition) flow.condition = condition;
  out.flows[id] = flow;
}

/**
 * Camunda's own test models leave sequence flows without ids; they still need a stable key.
 * `flow_<source>_<target>` is stable across deploys of the same text.
 */
function generatedFlowId(ctx: CompileContext, out: CompiledProcess, sourceId = 'unknown', targetId = 'unknown'): string {
  const base = `flow_${sourceId}_${targetId}`;
  let id = base;
  for (let n = 2; out.flows[id] || ctx.parsed.elementsById[id] || out.nodes[id]; n++) id = `${base}_${n}`;
  return id;
}

// Languages the conditions can be written in; scripts (javascript, groovy…) are not run.
const EXPRESSION_LANGUAGE = /feel|juel|^el$|^\$\{|expression/i;

function conditionOf(ctx: CompileContext, el: ModdleElement, id: string) {
  const expression = child(el, 'conditionExpression');
  if (!expression) return undefined;
  const language = text(expression, 'language');
  if (language && !EXPRESSION_LANGUAGE.test(language)) {
    ctx.problem(id, `sequenceFlow '${id}': a ${language} script condition is not supported (write FEEL or \${…})`);
    return undefined;
  }
  if (text(expression, 'camunda:resource')) {
    ctx.problem(id, `sequenceFlow '${id}': a condition loaded from camunda:resource is not supported`);
    return undefined;
  }
  const source = body(expression);
  if (source === undefined) {
    ctx.warn(id, `sequenceFlow '${id}' has an empty condition: it is treated as unconditional`);
    return undefined;
  }
  return ctx.expression(id, 'condition', source, 'feel');
}
