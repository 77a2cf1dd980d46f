/**
 * The compiled, executable form of one BPMN process: what `compileProcess` produces from
 * bpmn-moddle's object tree and what the runtime walks. It is plain JSON (stored in
 * `process_definitions.compiled`), so every node can load it without re-parsing XML.
 */

/** An expression as written in the model, tagged with the language it is evaluated in. */
export interface ExpressionSource {
  /**
   * `feel`  – FEEL (feelin); the default for conditions without `${…}` and for `=`-prefixed values.
   * `juel`  – the safe Camunda 7 JUEL subset: the text contains `${…}` or `#{…}` (possibly composite).
   * `literal` – plain text taken as is (e.g. `camunda:assignee="kermit"`).
   */
  language: 'feel' | 'juel' | 'literal';
  source: string;
}

export type TimerKind = 'duration' | 'date' | 'cycle';

/**
 * Who may correlate a message or throw a signal from outside (`liuzhuan:access` on the
 * `<message>`/`<signal>`, default `admin`): `public` any logged-in user, `involved` those who
 * may read the target instance, `admin` admins only. `variables` (`liuzhuan:variables="a,b"`)
 * lists the only variables it may carry; absent, admins may send any and others none.
 * Engine code (a signal thrown by a process, tests) is not checked.
 */
export type EventAccessLevel = 'public' | 'involved' | 'admin';
export interface EventAccess {
  access?: EventAccessLevel;
  variables?: string[];
}

export type EventDefinition =
  | ({ type: 'message'; messageName: string; correlationKey?: ExpressionSource } & EventAccess)
  | ({ type: 'signal'; signalName: string } & EventAccess)
  | { type: 'timer'; timer: { kind: TimerKind; value: ExpressionSource } }
  | { type: 'error'; errorCode?: string; errorName?: string }
  | { type: 'terminate' };

export type ElementType =
  | 'startEvent'
  | 'endEvent'
  | 'intermediateCatchEvent'
  | 'intermediateThrowEvent'
  | 'boundaryEvent'
  | 'userTask'
  | 'serviceTask'
  | 'sendTask'
  | 'receiveTask'
  | 'manualTask'
  | 'task'
  | 'exclusiveGateway'
  | 'parallelGateway'
  | 'inclusiveGateway'
  | 'eventBasedGateway'
  | 'subProcess'
  | 'callActivity';

export interface UserTaskSettings {
  assignee?: ExpressionSource;
  /** Comma-separated after evaluation, or an expression yielding a list. */
  candidateUsers?: ExpressionSource;
  candidateGroups?: ExpressionSource;
  formKey?: string;
  dueDate?: ExpressionSource;
  priority?: ExpressionSource;
}

export interface MultiInstanceSettings {
  sequential: boolean;
  loopCardinality?: ExpressionSource;
  /** Name of a variable holding the list (Camunda `camunda:collection` or `loopDataInputRef`) or an expression. */
  collection?: ExpressionSource;
  elementVariable?: string;
  completionCondition?: ExpressionSource;
}

/** One `name := expression` assignment (liuzhuan:setVariables, camunda:outputParameter, camunda:in/out). */
export interface VariableAssignment {
  target: string;
  /** Either a variable name to copy (`source`) or an expression to evaluate. */
  source?: string;
  expression?: ExpressionSource;
}

export interface CallActivitySettings {
  calledElement: string;
  /** `camunda:in variables="all"` */
  inAll: boolean;
  outAll: boolean;
  inputs: VariableAssignment[];
  outputs: VariableAssignment[];
}

/**
 * What a service/send task does. `none` passes straight through; `expression` evaluates a
 * safe expression (camunda:expression) and may store it in `resultVariable`; `setVariables`
 * is the script-free way to compute data; `external` effects (webhook, mail, chat robot)
 * become jobs.
 */
export type ServiceTaskSettings =
  | { kind: 'none' }
  | { kind: 'expression'; expression: ExpressionSource; resultVariable?: string }
  | { kind: 'setVariables'; assignments: VariableAssignment[] }
  | { kind: 'effect'; effectType: string; config: Record<string, string> };

export interface FlowNode {
  id: string;
  type: ElementType;
  name?: string;
  /** Id of the enclosing scope: the process id or a subProcess id. */
  scopeId: string;
  incoming: string[];
  outgoing: string[];
  /** Set on events that carry a definition (message/timer/signal/error/terminate). */
  event?: EventDefinition;
  /** boundaryEvent only */
  attachedToId?: string;
  /** boundaryEvent and event sub-process start events: false = non-interrupting */
  interrupting?: boolean;
  /** Ids of boundary events attached to this activity. */
  boundaryEventIds?: string[];
  /** Exclusive/inclusive gateways and activities: the default sequence flow id. */
  defaultFlowId?: string;
  userTask?: UserTaskSettings;
  serviceTask?: ServiceTaskSettings;
  multiInstance?: MultiInstanceSettings;
  callActivity?: CallActivitySettings;
  /** Assignments applied when the activity completes (camunda:inputOutput output parameters). */
  outputs?: VariableAssignment[];
  /**
   * Local variables set when the activity starts (camunda:inputOutput input parameters,
   * zeebe:input), evaluated against the enclosing scope.
   */
  inputs?: VariableAssignment[];
  /** Start events: `camunda:initiator`, the variable that receives the starting user's id. */
  initiatorVariable?: string;
  /** Liuzhuan extension settings of the node, kept raw for the approval layer. */
  extensions?: Record<string, unknown>;
}

export interface SequenceFlow {
  id: string;
  sourceId: string;
  targetId: string;
  name?: string;
  condition?: ExpressionSource;
}

/** A process or an (event) sub-process: something that holds tokens and variables. */
export interface Scope {
  id: string;
  /** Parent scope id, null for the process itself. */
  parentId: string | null;
  /** None start events (exactly one is used when the scope starts). */
  noneStartEventIds: string[];
  /** Start events with a message/signal/timer definition (process level only). */
  eventStartEventIds: string[];
  /** Event sub-processes directly inside this scope. */
  eventSubProcessIds: string[];
  /** Every flow node directly inside (not nested). */
  childIds: string[];
  /** True for an event sub-process (`triggeredByEvent`). */
  triggeredByEvent: boolean;
}

export interface CompiledProcess {
  /** The process id, which is the definition key. */
  id: string;
  name?: string;
  /** Flow nodes by id (all scopes flattened). Sub-processes are also listed in `scopes`. */
  nodes: Record<string, FlowNode>;
  flows: Record<string, SequenceFlow>;
  /** Scopes by id; the process scope has the process id. */
  scopes: Record<string, Scope>;
  /** The form this process is bound to (流程表单, engine/forms/flowBinding.ts). */
  formKey?: string;
  /** The element that names the bound form (the process or its start event). */
  formKeyElementId?: string;
  /** The fields an inbox row shows for this process's work (`<liuzhuan:summary fields="…"/>`, engine/inbox/summaryModel.ts). */
  summaryFields?: string[];
  /**
   * Started from a record of this form (e.g. 发起回访 on a customer's profile card), with the
   * start variables a FEEL context over the record gives (engine/forms/recordStarts.ts).
   * `many: true` when the process opts out of "one running instance per record" (startsFromOnce=false).
   */
  startsFrom?: { formKey: string; variables?: string; many?: boolean };
}

/** A problem found while deploying, named by element and position where known. */
export interface DeployProblem {
  elementId?: string;
  line?: number;
  column?: number;
  message: string;
  /** Stable machine code and its values (ErrorDetail.code / params), where the check gives one. */
  code?: string;
  params?: Record<string, string | number>;
}

export interface CompileResult {
  /** Every executable process of the file, in document order. */
  processes: CompiledProcess[];
  /** Non-fatal findings (e.g. a warning from bpmn-moddle that was recovered from). */
  warnings: DeployProblem[];
}
