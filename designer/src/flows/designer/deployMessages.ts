/**
 * Deploy problems in the admin's words. The engine gives each problem it knows a stable
 * `code` and `params` (engine/approval/settings.ts, nodeSettings.ts, engine/bpmn/*); here each
 * code becomes what went wrong and what to do, in zh-CN or en. A problem without a known code
 * keeps the engine's own text.
 */

/** The UI languages (i18n.tsx's Locale; not imported so the unit tests need no JSX). */
type Locale = 'zh-CN' | 'en';

export interface DeployDetail {
  /** The element id the problem is about ('' for the whole model). */
  pointer: string;
  message: string;
  line?: number;
  code?: string;
  params?: Record<string, string | number>;
}

type Texts = { zh: string; en: string };

const RULE_TARGET: Record<string, Texts> = {
  user: { zh: '人员', en: 'people' },
  role: { zh: '角色', en: 'role' },
  department: { zh: '部门', en: 'department' },
  departmentHead: { zh: '部门', en: 'department' },
  memberField: { zh: '表单字段', en: 'form field' },
  departmentField: { zh: '表单字段', en: 'form field' },
  nodeHandler: { zh: '节点', en: 'node' },
  feel: { zh: '表达式', en: 'expression' },
};

const MESSAGES: Record<string, Texts> = {
  // The model worker's limits (engine/bpmn/compilePool.ts).
  model_too_slow: {
    zh: '模型过大或过于复杂：编译超过了 {seconds} 秒的上限。请拆分流程或减少元素。',
    en: 'The model is too large or too complex: compiling it took longer than the {seconds} s limit. Split the process or remove elements.',
  },
  model_too_large: {
    zh: '模型过大：编译所需内存超过了 {memoryMb} MB 的上限。请拆分流程或减少元素。',
    en: 'The model is too large: compiling it needed more than the {memoryMb} MB memory limit. Split the process or remove elements.',
  },
  assignee_value_missing: {
    zh: '第 {rule} 条{who}规则还没有选择{target}。请在右侧「{who}」中选好，或删除这条规则。',
    en: 'Rule {rule} under "{Whos}" has no {target} chosen yet. Choose them there (on the right), or remove the rule.',
  },
  unknown_assignee_type: {
    zh: '第 {rule} 条{who}规则的类型无法识别。请删除这条规则后重新添加。',
    en: 'Rule {rule} under "{Whos}" has a type Liuzhuan does not know. Remove the rule and add it again.',
  },
  assignee_feel_invalid: {
    zh: '第 {rule} 条{who}规则的表达式写法有误。请修正表达式，或改用其他审批人类型。',
    en: 'The expression of rule {rule} under "{Whos}" is not valid. Correct it, or pick another kind of approver.',
  },
  assignee_not_feel: {
    zh: '第 {rule} 条{who}规则的表达式写法有误。请修正表达式，或改用其他审批人类型。',
    en: 'The expression of rule {rule} under "{Whos}" is not valid. Correct it, or pick another kind of approver.',
  },
  unknown_department_part: {
    zh: '第 {rule} 条{who}规则要指明是部门「成员」还是「负责人」。请在右侧重新选择。',
    en: 'Rule {rule} under "{Whos}" must say whether the department\'s members or its head approve. Choose again on the right.',
  },
  head_level_out_of_range: {
    zh: '第 {rule} 条{who}规则的主管级别「{level}」无效（1 到 {max} 级）。请在右侧选择第几级主管。',
    en: 'Rule {rule} under "{Whos}" climbs "{level}" levels of managers, which is not 1 to {max}. Choose the level on the right.',
  },
  assignee_field_unknown: {
    zh: '第 {rule} 条{who}规则用的字段「{field}」不在流程表单里。请在右侧重新选择字段。',
    en: 'Rule {rule} under "{Whos}" reads the field "{field}", which the flow form does not have. Choose the field again on the right.',
  },
  assignee_field_wrong_kind: {
    zh: '第 {rule} 条{who}规则用的字段「{field}」不是成员或部门字段。请在右侧改选一个成员/部门字段。',
    en: 'Rule {rule} under "{Whos}" reads the field "{field}", which holds no member or department. Choose a member or department field on the right.',
  },
  unknown_handler_node: {
    zh: '第 {rule} 条{who}规则指向的节点已不存在。请在右侧重新选择一个前面的节点。',
    en: 'Rule {rule} under "{Whos}" names a node that no longer exists. Choose an earlier node on the right.',
  },
  handler_node_is_self: {
    zh: '第 {rule} 条{who}规则选了节点自己的处理人。请改选一个前面的节点。',
    en: 'Rule {rule} under "{Whos}" picks this node\'s own handler. Choose an earlier node.',
  },
  handler_node_not_user_task: {
    zh: '第 {rule} 条{who}规则选的节点没有人处理。请改选一个前面的审批或填写节点。',
    en: 'Rule {rule} under "{Whos}" picks a node nobody handles. Choose an earlier approval or fill-in node.',
  },
  approval_with_multi_instance: {
    zh: '这个节点同时设置了审批人和 BPMN 多实例。请在右侧保留审批人设置（或删除多实例）。',
    en: 'This node has both approvers and a BPMN multi-instance. Keep the approvers (or remove the multi-instance).',
  },
  unknown_approval_mode: {
    zh: '审批方式无法识别。请在右侧重新选择审批方式（单人、会签、或签、依次审批）。',
    en: 'The approval mode is unknown. Choose one on the right (single, all, any, one after another).',
  },
  unknown_approval_fallback: {
    zh: '「无审批人时」的设置无法识别。请在右侧重新选择。',
    en: 'The "when nobody is found" setting is unknown. Choose it again on the right.',
  },
  approval_repeated: {
    zh: '这个节点有多份审批设置。请删除这个节点后重新添加。',
    en: 'This node holds more than one approval setting. Delete the node and add it again.',
  },
  approval_mode_without_assignees: {
    zh: '还没有设置审批人，审批方式不起作用。请在右侧添加审批人。',
    en: 'No approvers are set, so the approval mode has no effect. Add approvers on the right.',
  },
  unknown_action: {
    zh: '允许的操作中有无法识别的「{action}」。请在右侧「允许的操作」中重新勾选。',
    en: 'The allowed actions include "{action}", which is unknown. Tick the actions again under "Allowed actions" on the right.',
  },
  no_completing_action: {
    zh: '这个节点没有能让流程继续的操作：审批节点需要「同意」，填写节点需要「提交」。请在右侧「允许的操作」中勾选，或切换节点类型。',
    en: 'Nothing at this node lets the flow go on: an approval node needs Approve, a fill-in node needs Submit. Tick it under "Allowed actions" on the right, or switch the node kind.',
  },
  fill_in_with_approval_actions: {
    zh: '填写节点不能同时带有审批操作。请把节点切换为审批节点，或在「允许的操作」中去掉审批操作。',
    en: 'A fill-in node cannot also have approval actions. Switch the node to an approval node, or untick the approval actions.',
  },
  // engine/forms/flowConditions.ts (a branch of a form-bound flow checked against the form)
  condition_value_impossible: {
    zh: '条件里「{fieldLabel}」与 {value} 比较，但这个字段不可能是这个值（可选值：{allowed}）。请选中这条连线，在右侧条件构建器中从选项里重新选择。',
    en: 'The condition compares "{fieldLabel}" with {value}, a value the field can never hold (it can be: {allowed}). Select this flow and pick the option again in the condition builder on the right.',
  },
  condition_option_label: {
    zh: '条件里用了选项的名称「{value}」而不是它存储的值。请选中这条连线，在右侧条件构建器中从选项里重新选择。',
    en: 'The condition uses the option name "{value}" instead of its stored value. Select this flow and pick the option again in the condition builder on the right.',
  },
  // engine/approval/routedDepartmentChecks (warnings: the node would find nobody yet)
  routed_department_without_form: {
    zh: '这个节点交给「分派到的部门」，但流程没有绑定表单，不会有分派结果，每次都会转交管理员。请在流程设置中选择流程表单。',
    en: 'This node goes to "the routed department", but the flow has no form, so nothing is ever routed and the node falls back every time. Choose the flow form in the flow settings.',
  },
  routed_department_form_not_routed: {
    zh: '这个节点交给「分派到的部门」，但流程表单还没有设置自动分派。请在「自动分派」中为这个表单添加规则。',
    en: 'This node goes to "the routed department", but the flow form has no routing rules yet. Add rules for the form under Auto-routing.',
  },
  // engine/bpmn (compile)
  condition_invalid: {
    zh: '条件写法有误。请选中这条连线，在右侧条件构建器中重新设置条件。',
    en: 'The condition is not valid. Select this flow and set the condition again in the condition builder on the right.',
  },
  expression_invalid: {
    zh: '表达式写法有误（{what}）。请在右侧修正。',
    en: 'An expression ({what}) is not valid. Correct it on the right.',
  },
  element_unsupported: {
    zh: '流转不能执行这种元素。请删除它，改用审批节点、填写节点或分支。',
    en: 'Liuzhuan cannot run this kind of element. Delete it and use approval nodes, fill-in nodes or branches instead.',
  },
  no_start_event: {
    zh: '流程没有开始节点。请重新创建流程，或从工具栏左侧添加一个开始事件。',
    en: 'The flow has no start. Create the flow again, or add a start event from the palette.',
  },
  flow_end_missing: {
    zh: '这条连线没有连到节点上。请删除它。',
    en: 'This flow is not connected at both ends. Delete it.',
  },
  // engine/bpmn/zeebe.ts: a Camunda 8 setting with no meaning here
  zeebe_unsupported: {
    zh: '这是 Camunda 8 的设置（{setting}），流转里没有对应的含义。请删除它：服务任务改用 webhook、email 或 chatRobot 类型，表单用 formId 指向流转的表单。',
    en: 'This is a Camunda 8 setting ({setting}) with no meaning in Liuzhuan. Remove it: give a service task the type webhook, email or chatRobot, and name a Liuzhuan form with formId.',
  },
  // engine/publicLinks (客户外链 on a send or service task)
  public_link_message_uncaught: {
    zh: '客户的答复会作为消息「{message}」送回，但流程中没有等待它的接收任务或消息事件。请添加一个，或在右侧改选流程已等待的消息。',
    en: 'The customer\'s answer comes back as message "{message}", but nothing in the flow waits for it. Add a receive task or message event for it, or pick a message the flow already waits for on the right.',
  },
  public_link_form_missing: {
    zh: '客户外链要填写的表单「{form}」不存在。请在右侧选择一个已有的表单。',
    en: 'The form "{form}" the customer link shows does not exist. Choose an existing form on the right.',
  },
  public_link_incomplete: {
    zh: '客户外链还没有选择表单或答复消息。请在右侧补全。',
    en: 'The customer link has no form or no answer message yet. Complete it on the right.',
  },
  public_link_expiry: {
    zh: '客户外链的有效期写法有误。请在右侧重新填写有效天数。',
    en: 'The customer link\'s expiry is not valid. Enter the days it stays open again on the right.',
  },
  public_link_variable: {
    zh: '客户外链存入的变量名只能用字母、数字和下划线。请在右侧修改。',
    en: 'The variable the customer link is stored in may use letters, digits and _ only. Change it on the right.',
  },
};

function fill(template: string, params: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (_, key: string) => String(params[key] ?? `{${key}}`));
}

/**
 * The admin's words for a problem with a known code; null to show the engine's text. On a
 * fill-in node (`fillIn`) the people are 填写人 (filled in by), not 审批人 (approvers).
 */
export function friendlyMessage(detail: DeployDetail, locale: Locale, fillIn = false): string | null {
  const texts = detail.code ? MESSAGES[detail.code] : undefined;
  if (!texts) return null;
  const lang = locale === 'en' ? 'en' : 'zh';
  const params: Record<string, string | number> = { ...detail.params };
  const target = RULE_TARGET[String(params.type ?? '')];
  params.target = target ? target[lang] : lang === 'zh' ? '值' : 'value';
  Object.assign(params, fillIn ? { who: '填写人', Whos: 'Filled in by' } : { who: '审批人', Whos: 'Approvers' });
  return fill(texts[lang], params);
}

/** The codes this file words (for tests and reviewers). */
export const WORDED_CODES = Object.keys(MESSAGES);
