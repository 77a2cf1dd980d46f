/**
 * Activity settings written as Camunda 7 extension attributes (and their simple Zeebe
 * equivalents), so models from Camunda Modeler run unchanged: user task assignment, multi-
 * instance, call activity variable mapping, input/output parameters, and the listeners we
 * refuse because they run Java or scripts.
 *
 * Language defaults: attribute values are literal text unless they contain `${…}` (JUEL) or
 * start with `=` (FEEL); formal-expression bodies (loop cardinality, completion condition)
 * default to FEEL, which reads plain numbers and comparisons the same way.
 */
import { checkTimer } from '../timers/index.ts';
import { quoteExpression } from '../expressions/errors.ts';
import type { CompileContext } from './context.ts';
import type {
  CallActivitySettings,
  ExpressionSource,
  MultiInstanceSettings,
  UserTaskSettings,
  VariableAssignment,
} from './model.ts';
import { body, child, children, describe, extensions, flag, tagName, text, type ModdleElement } from './moddleAccess.ts';
import { rawReference } from './parse.ts';
import { resourceAssignment } from './resourceRoles.ts';
import { zeebeFormKey } from './zeebe.ts';

export function userTaskSettings(ctx: CompileContext, el: ModdleElement): UserTaskSettings {
  const id = el.id;
  const zeebeAssignment = extensions(el, 'zeebe:AssignmentDefinition')[0];
  const zeebeSchedule = extensions(el, 'zeebe:TaskSchedule')[0];
  const zeebePriority = extensions(el, 'zeebe:PriorityDefinition')[0];
  const attribute = (name: string, zeebe: string | undefined) => {
    const value = text(el, `camunda:${name}`) ?? zeebe;
    return ctx.optionalExpression(id, `camunda:${name}`, value, 'literal');
  };
  const roles = resourceAssignment(ctx, el);
  const joined = (list: string[]) => (list.length > 0 ? list.join(',') : undefined);
  const settings: UserTaskSettings = {};
  const assignee = attribute('assignee', text(zeebeAssignment, 'assignee') ?? roles.assignee);
  const candidateUsers = attribute('candidateUsers', text(zeebeAssignment, 'candidateUsers') ?? joined(roles.candidateUsers));
  const candidateGroups = attribute('candidateGroups', text(zeebeAssignment, 'candidateGroups') ?? joined(roles.candidateGroups));
  const dueDate = attribute('dueDate', text(zeebeSchedule, 'dueDate'));
  const priority = attribute('priority', text(zeebePriority, 'priority'));
  const formKey = text(el, 'camunda:formKey') ?? zeebeFormKey(el);
  if (assignee) settings.assignee = assignee;
  if (candidateUsers) settings.candidateUsers = candidateUsers;
  if (candidateGroups) settings.candidateGroups = candidateGroups;
  if (formKey) settings.formKey = formKey;
  if (dueDate) {
    // A literal due date is a date, or a duration counted from task creation (`P3D`).
    if (dueDate.language === 'literal') {
      const error = checkTimer(/^-?P/i.test(dueDate.source) ? 'duration' : 'date', dueDate.source);
      if (error) ctx.problem(id, `camunda:dueDate ${quoteExpression(dueDate.source, "'")} is not a date or duration: ${error}`);
    }
    settings.dueDate = dueDate;
  }
  if (priority) {
    if (priority.language === 'literal' && !/^-?\d+$/.test(priority.source)) {
      ctx.problem(id, `camunda:priority ${quoteExpression(priority.source, "'")} is not a whole number`);
    }
    settings.priority = priority;
  }
  return settings;
}

export function multiInstanceSettings(ctx: CompileContext, el: ModdleElement): MultiInstanceSettings | undefined {
  const loop = child(el, 'loopCharacteristics');
  if (!loop) return undefined;
  const id = el.id;
  if (loop.$type !== 'bpmn:MultiInstanceLoopCharacteristics') {
    ctx.problem(id, `${describe(el)} uses ${tagName(loop)}, which is not supported (use multi-instance)`);
    return undefined;
  }
  const zeebe = extensions(loop, 'zeebe:LoopCharacteristics')[0];
  const settings: MultiInstanceSettings = { sequential: flag(loop, 'isSequential') === true };
  const cardinality = body(child(loop, 'loopCardinality'));
  if (cardinality !== undefined) settings.loopCardinality = ctx.expression(id, 'loopCardinality', cardinality, 'feel');
  const collection = collectionOf(ctx, el, loop, zeebe);
  if (collection) settings.collection = collection;
  const elementVariable =
    text(loop, 'camunda:elementVariable') ?? text(child(loop, 'inputDataItem'), 'name') ?? text(zeebe, 'inputElement');
  if (elementVariable) settings.elementVariable = elementVariable;
  const completion = body(child(loop, 'completionCondition'));
  if (completion !== undefined) {
    settings.completionCondition = ctx.expression(id, 'completionCondition', completion, 'feel');
  }
  if (!settings.loopCardinality && !settings.collection) {
    ctx.problem(id, `${describe(el)}: multi-instance needs a loopCardinality or a collection`);
  }
  if (text(zeebe, 'outputCollection')) {
    ctx.warn(id, `${describe(el)}: zeebe outputCollection is ignored`);
  }
  return settings;
}

/**
 * The list to iterate. A plain name (camunda:collection="assigneeList", or the text of
 * `<loopDataInputRef>`, which Camunda reads as a variable name) is a `literal` naming the
 * variable; `${…}` / `=…` are expressions.
 */
function collectionOf(
  ctx: CompileContext,
  el: ModdleElement,
  loop: ModdleElement,
  zeebe: ModdleElement | undefined,
): ExpressionSource | undefined {
  const camunda = text(loop, 'camunda:collection');
  if (camunda) return ctx.expression(el.id, 'camunda:collection', camunda, 'literal');
  const raw = rawReference(ctx.parsed, loop, 'loopDataInputRef');
  if (raw) return { language: 'literal', source: raw };
  const ref = child(loop, 'loopDataInputRef');
  // A reference that resolved to a data input or property: its name is the variable.
  const refName = text(ref, 'name') ?? ref?.id;
  if (refName) return { language: 'literal', source: refName };
  const zeebeCollection = text(zeebe, 'inputCollection');
  if (zeebeCollection) return ctx.expression(el.id, 'zeebe inputCollection', zeebeCollection, 'feel');
  return undefined;
}

export function callActivitySettings(ctx: CompileContext, el: ModdleElement): CallActivitySettings | undefined {
  const id = el.id;
  const zeebe = extensions(el, 'zeebe:CalledElement')[0];
  const calledElement = text(el, 'calledElement') ?? text(zeebe, 'processId');
  if (!calledElement) {
    ctx.problem(id, `${describe(el)} has no calledElement`);
    return undefined;
  }
  // Zeebe propagates all variables both ways unless told otherwise.
  const settings: CallActivitySettings = {
    calledElement,
    inAll: zeebe ? flag(zeebe, 'propagateAllParentVariables') !== false : false,
    outAll: zeebe ? flag(zeebe, 'propagateAllChildVariables') !== false : false,
    inputs: [],
    outputs: [],
  };
  for (const binding of extensions(el)) {
    const direction = binding.$type === 'camunda:In' ? 'in' : binding.$type === 'camunda:Out' ? 'out' : undefined;
    if (!direction) continue;
    if (text(binding, 'variables') === 'all') {
      if (direction === 'in') settings.inAll = true;
      else settings.outAll = true;
      continue;
    }
    const assignment = bindingAssignment(ctx, el, binding);
    if (assignment) (direction === 'in' ? settings.inputs : settings.outputs).push(assignment);
  }
  const zeebeIo = zeebeIoMapping(ctx, el);
  settings.inputs.push(...zeebeIo.inputs);
  settings.outputs.push(...zeebeIo.outputs);
  return settings;
}

function bindingAssignment(ctx: CompileContext, el: ModdleElement, binding: ModdleElement): VariableAssignment | undefined {
  const tag = tagName(binding);
  if (text(binding, 'businessKey')) {
    ctx.warn(el.id, `${describe(el)}: ${tag} businessKey is ignored`);
    return undefined;
  }
  const target = text(binding, 'target');
  const source = text(binding, 'source');
  const sourceExpression = text(binding, 'sourceExpression');
  if (!target || (!source && !sourceExpression)) {
    ctx.problem(el.id, `${describe(el)}: ${tag} needs a target and a source or sourceExpression`);
    return undefined;
  }
  if (sourceExpression) {
    return { target, expression: ctx.expression(el.id, `${tag} sourceExpression`, sourceExpression, 'juel') };
  }
  return { target, source };
}

export interface IoMapping {
  inputs: VariableAssignment[];
  outputs: VariableAssignment[];
}

/** camunda:inputOutput: local input variables and the outputs copied out on completion. */
export function camundaIoMapping(ctx: CompileContext, el: ModdleElement): IoMapping {
  const io = extensions(el, 'camunda:InputOutput')[0];
  const map = (parameter: ModdleElement): VariableAssignment | undefined => {
    const target = text(parameter, 'name');
    const tag = tagName(parameter);
    if (!target) {
      ctx.problem(el.id, `${describe(el)}: a ${tag} has no name`);
      return undefined;
    }
    const definition = child(parameter, 'definition');
    if (definition) {
      ctx.problem(el.id, `${describe(el)}: ${tag} '${target}' uses ${tagName(definition)}, which is not supported`);
      return undefined;
    }
    const value = text(parameter, 'value');
    // An empty parameter sets null, as in Camunda.
    const expression: ExpressionSource =
      value === undefined ? { language: 'feel', source: 'null' } : ctx.expression(el.id, `${tag} '${target}'`, value, 'literal');
    return { target, expression };
  };
  const defined = (list: (VariableAssignment | undefined)[]) => list.filter((a): a is VariableAssignment => a !== undefined);
  return {
    inputs: defined(children(io, 'inputParameters').map(map)),
    outputs: defined(children(io, 'outputParameters').map(map)),
  };
}

/** zeebe:ioMapping: `source` is FEEL when it starts with `=` (`=order.total`), else a static text. */
export function zeebeIoMapping(ctx: CompileContext, el: ModdleElement): IoMapping {
  const io = extensions(el, 'zeebe:IoMapping')[0];
  const map = (parameter: ModdleElement): VariableAssignment[] => {
    const target = text(parameter, 'target');
    const source = text(parameter, 'source');
    if (!target || !source) {
      ctx.problem(el.id, `${describe(el)}: a zeebe ${tagName(parameter)} needs a source and a target`);
      return [];
    }
    return [{ target, expression: ctx.expression(el.id, `zeebe mapping '${target}'`, source, 'literal') }];
  };
  return {
    inputs: children(io, 'inputParameters').flatMap(map),
    outputs: children(io, 'outputParameters').flatMap(map),
  };
}

const LISTENERS = ['camunda:ExecutionListener', 'camunda:TaskListener', 'zeebe:ExecutionListeners', 'zeebe:TaskListeners'];

/** Listeners run Java classes, scripts or external job workers: refused wherever they sit. */
export function refuseListeners(ctx: CompileContext, el: ModdleElement): void {
  for (const listener of extensions(el).filter((value) => LISTENERS.includes(value.$type))) {
    ctx.problem(el.id, `${describe(el)} has a ${tagName(listener)}, which is not supported (listeners run Java, scripts or job workers)`);
  }
  if (extensions(el, 'camunda:Connector').length > 0) {
    ctx.problem(el.id, `${describe(el)} uses a camunda:connector, which is not supported: use a liuzhuan:effect`);
  }
}
