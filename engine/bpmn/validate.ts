/**
 * Graph rules checked once every node and flow of a process is compiled: flows connect real
 * nodes of one scope, scopes can start, gateways lead somewhere, boundary events sit on an
 * activity, default flows belong to their gateway, and an event-based gateway is followed by
 * events. Also fills the derived links (incoming/outgoing, boundaryEventIds).
 *
 * Deliberately allowed: an activity or catch event without outgoing flows ends its path
 * (implicit end, as Camunda does); only gateways must lead somewhere.
 */
import type { CompileContext } from './context.ts';
import { isActivity } from './compileNode.ts';
import type { CompiledProcess, ExpressionSource, FlowNode, Scope } from './model.ts';
import { checkParallelJoins } from './joins.ts';
import { compileListeners } from '../extensions/compileListeners.ts';
import { engineLimits, limitEnvName } from '../limits.ts';

export function validateProcess(ctx: CompileContext, process: CompiledProcess): void {
  if (!checkModelSize(ctx, process)) return;
  linkFlows(ctx, process);
  linkBoundaryEvents(ctx, process);
  for (const scope of Object.values(process.scopes)) checkScopeStart(ctx, process, scope);
  for (const node of Object.values(process.nodes)) checkNode(ctx, process, node);
  for (const node of Object.values(process.nodes)) checkAssignmentLength(ctx, node);
  checkParallelJoins(ctx, process);
}

/** Longest assignee / candidate text a model may hold: a username list, not a document. */
const MAX_ASSIGNMENT_CHARS = 2_000;

/**
 * A 300,000-character `camunda:assignee` deployed, then its start answered 500: the task row's
 * indexed assignee column cannot hold it. Refused at deploy, naming the element.
 */
function checkAssignmentLength(ctx: CompileContext, node: CompiledProcess['nodes'][string]): void {
  const settings = node.userTask;
  if (!settings) return;
  for (const [name, value] of [['assignee', settings.assignee], ['candidateUsers', settings.candidateUsers], ['candidateGroups', settings.candidateGroups]] as const) {
    if (value && value.source.length > MAX_ASSIGNMENT_CHARS) {
      ctx.problem(node.id, `userTask '${node.id}': ${name} is ${value.source.length} characters long; at most ${MAX_ASSIGNMENT_CHARS} are allowed`);
    }
  }
}

/**
 * A process larger than the configured number of elements is refused whole (a 10,000-task
 * chain deployed, then failed at start). Nothing else is checked then: one problem says it all.
 */
function checkModelSize(ctx: CompileContext, process: CompiledProcess): boolean {
  const size = Object.keys(process.nodes).length + Object.keys(process.flows).length;
  const { maxModelElements } = engineLimits();
  if (size <= maxModelElements) return true;
  ctx.problem(
    process.id,
    `process '${process.id}' has ${size} elements (flow nodes and sequence flows); at most ${maxModelElements} are allowed (${limitEnvName('maxModelElements')})`,
  );
  return false;
}

function linkFlows(ctx: CompileContext, process: CompiledProcess): void {
  for (const flow of Object.values(process.flows)) {
    const source = process.nodes[flow.sourceId];
    const target = process.nodes[flow.targetId];
    // A refused node was reported already; only name ends that are not flow nodes here.
    if (!source && !ctx.refused.has(flow.sourceId)) {
      ctx.problem(flow.id, `sequenceFlow '${flow.id}' starts at '${flow.sourceId}', which is not a flow node of this process`);
    }
    if (!target && !ctx.refused.has(flow.targetId)) {
      ctx.problem(flow.id, `sequenceFlow '${flow.id}' ends at '${flow.targetId}', which is not a flow node of this process`);
    }
    if (!source || !target) continue;
    if (source.scopeId !== target.scopeId) {
      ctx.problem(flow.id, `sequenceFlow '${flow.id}' crosses a sub-process boundary ('${source.id}' → '${target.id}')`);
    }
    source.outgoing.push(flow.id);
    target.incoming.push(flow.id);
  }
}

function linkBoundaryEvents(ctx: CompileContext, process: CompiledProcess): void {
  for (const node of Object.values(process.nodes)) {
    if (node.type !== 'boundaryEvent' || !node.attachedToId) continue;
    const host = process.nodes[node.attachedToId];
    if (!host) {
      if (!ctx.refused.has(node.attachedToId)) {
        ctx.problem(node.id, `boundaryEvent '${node.id}' is attached to '${node.attachedToId}', which is not an activity of this process`);
      }
      continue;
    }
    if (!isActivity(host.type)) {
      ctx.problem(node.id, `boundaryEvent '${node.id}' is attached to ${host.type} '${host.id}', which is not an activity`);
      continue;
    }
    if (host.scopeId !== node.scopeId) {
      ctx.problem(node.id, `boundaryEvent '${node.id}' must sit in the same scope as its activity '${host.id}'`);
      continue;
    }
    (host.boundaryEventIds ??= []).push(node.id);
  }
}

function checkScopeStart(ctx: CompileContext, process: CompiledProcess, scope: Scope): void {
  const { noneStartEventIds: none, eventStartEventIds: events } = scope;
  if (scope.parentId === null) {
    if (none.length + events.length === 0) ctx.problem(scope.id, `process '${scope.id}' has no start event`, { code: 'no_start_event' });
    if (none.length > 1) {
      ctx.problem(none[1], `process '${scope.id}' has several none start events (${none.join(', ')}): keep one`);
    }
    return;
  }
  const node = process.nodes[scope.id];
  if (scope.triggeredByEvent) {
    // A start event refused for its definition was reported already.
    const startRefused = [...none, ...events].some((id) => ctx.hasProblem(id));
    if (!startRefused && (events.length !== 1 || none.length > 0)) {
      ctx.problem(scope.id, `event subProcess '${scope.id}' needs exactly one start event with a message, signal, timer or error definition`);
    }
    if (node && (node.incoming.length > 0 || node.outgoing.length > 0)) {
      ctx.problem(scope.id, `event subProcess '${scope.id}' cannot have incoming or outgoing sequence flows`);
    }
    return;
  }
  if (none.length !== 1) {
    ctx.problem(scope.id, `subProcess '${scope.id}' needs exactly one none start event (it has ${none.length})`);
  }
}

function checkNode(ctx: CompileContext, process: CompiledProcess, node: FlowNode): void {
  const label = `${node.type} '${node.id}'`;
  if ((node.type === 'startEvent' || node.type === 'boundaryEvent') && node.incoming.length > 0) {
    ctx.problem(node.id, `${label} cannot have incoming sequence flows`);
  }
  if (node.type === 'endEvent' && node.outgoing.length > 0) {
    ctx.problem(node.id, `${label} cannot have outgoing sequence flows`);
  }
  if (node.type.endsWith('Gateway') && node.outgoing.length === 0) {
    ctx.problem(node.id, `${label} has no outgoing sequence flow`);
  }
  if (node.defaultFlowId) checkDefaultFlow(ctx, process, node, label);
  if (node.multiInstance?.loopCardinality) checkConstantCardinality(ctx, node, label, node.multiInstance.loopCardinality);
  // Features' node settings (liuzhuan:approval, liuzhuan:timeout …), in the order they registered.
  for (const listener of compileListeners()) listener.checkNode?.(ctx, process, node);
  if (node.type === 'eventBasedGateway') checkEventBasedGateway(ctx, process, node, label);
  if (node.type === 'parallelGateway') {
    for (const flowId of node.outgoing) {
      if (process.flows[flowId]?.condition) {
        ctx.warn(flowId, `The condition on sequenceFlow '${flowId}' is ignored: ${label} takes every outgoing flow`);
      }
    }
  }
}

/** A loopCardinality written as a number (`5`, `${5}`) is checked against the limit now, not at run time. */
function checkConstantCardinality(ctx: CompileContext, node: FlowNode, label: string, source: ExpressionSource): void {
  const constant = /^\s*(?:[$#]\{\s*)?(\d+(?:\.\d+)?(?:[eE]\d+)?)\s*\}?\s*$/.exec(source.source);
  const { maxCardinality } = engineLimits();
  if (constant && Number(constant[1]) > maxCardinality) {
    ctx.problem(
      node.id,
      `${label}: loopCardinality ${constant[1]} is more than the ${maxCardinality} instances allowed (${limitEnvName('maxCardinality')})`,
    );
  }
}

function checkDefaultFlow(ctx: CompileContext, process: CompiledProcess, node: FlowNode, label: string): void {
  const flowId = node.defaultFlowId!;
  if (!node.outgoing.includes(flowId)) {
    ctx.problem(node.id, `${label}: the default flow '${flowId}' is not one of its outgoing sequence flows`);
  } else if (process.flows[flowId]?.condition) {
    ctx.problem(flowId, `sequenceFlow '${flowId}' is the default flow of ${label} and cannot have a condition`);
  }
}

function checkEventBasedGateway(ctx: CompileContext, process: CompiledProcess, node: FlowNode, label: string): void {
  for (const flowId of node.outgoing) {
    const flow = process.flows[flowId];
    const target = flow && process.nodes[flow.targetId];
    // A target whose own definition was refused has been reported already.
    if (!flow || !target || ctx.hasProblem(target.id)) continue;
    if (flow.condition) ctx.problem(flowId, `sequenceFlow '${flowId}' leaves ${label} and cannot have a condition`);
    const waitsForEvent =
      (target.type === 'intermediateCatchEvent' &&
        (target.event?.type === 'message' || target.event?.type === 'signal' || target.event?.type === 'timer')) ||
      (target.type === 'receiveTask' && target.event?.type === 'message');
    if (!waitsForEvent) {
      ctx.problem(
        target.id,
        `${label} must be followed by message, signal or timer intermediate catch events or receive tasks with a message; ${target.type} '${target.id}' is not one`,
      );
    }
  }
}
