/**
 * bpmn-js speaks the UI's language: a `translate` service (diagram-js's i18n hook) that looks
 * its English texts up for the current locale. The palette, context pad, popup menus and our
 * own actions all call it; switching the language fires `i18n.changed`, on which the palette
 * redraws (the context pad and menus translate each time they open).
 */
import type { Locale } from '../../../i18n/i18n.tsx';

const ZH: Record<string, string> = {
  // palette
  'Activate hand tool': '抓手工具（拖动画布）',
  'Activate lasso tool': '套索工具（框选）',
  'Activate create/remove space tool': '插入/删除空白',
  'Activate global connect tool': '连线工具',
  'Create start event': '开始事件',
  'Create intermediate/boundary event': '中间/边界事件',
  'Create end event': '结束事件',
  'Create gateway': '网关',
  'Create task': '任务',
  'Create data object reference': '数据对象',
  'Create data store reference': '数据存储',
  'Create expanded sub-process': '子流程',
  'Create pool/participant': '泳池/参与者',
  'Create group': '分组',
  // context pad
  'Append end event': '追加结束事件',
  'Append gateway': '追加网关',
  'Append task': '追加任务',
  'Append intermediate/boundary event': '追加中间事件',
  'Append text annotation': '追加注释',
  'Append receive task': '追加接收任务',
  'Append message intermediate catch event': '追加消息事件',
  'Append timer intermediate catch event': '追加定时事件',
  'Append conditional intermediate catch event': '追加条件事件',
  'Append signal intermediate catch event': '追加信号事件',
  'Append compensation activity': '追加补偿活动',
  'Add text annotation': '添加注释',
  'Change element': '更改类型',
  'Change type': '更改类型',
  Delete: '删除',
  'Connect to other element': '连线到其他元素',
  'Connect using association': '用关联连线',
  'Connect using data input association': '用数据输入关联连线',
  'Set color': '设置颜色',
  'Add lane above': '在上方添加泳道',
  'Add lane below': '在下方添加泳道',
  'Divide into two lanes': '分成两条泳道',
  'Divide into three lanes': '分成三条泳道',
  // popup menus
  'Search in diagram': '在流程图中搜索',
  'Parallel multi-instance': '并行多实例',
  'Sequential multi-instance': '串行多实例',
  Loop: '循环',
  'Toggle non-interrupting': '切换为不中断',
  'Sequence flow': '顺序流',
  'Default flow': '默认流向',
  'Conditional flow': '条件流向',
  'Sub-process': '子流程',
  'Ad-hoc sub-process': '自由子流程',
  Task: '任务',
  'User task': '用户任务（审批节点）',
  'Service task': '服务任务',
  'Send task': '发送任务',
  'Receive task': '接收任务',
  'Manual task': '手工任务',
  'Business rule task': '业务规则任务',
  'Script task': '脚本任务',
  'Call activity': '调用活动',
  'Exclusive gateway': '排他网关（条件分支）',
  'Parallel gateway': '并行网关',
  'Inclusive gateway': '包容网关',
  'Event-based gateway': '事件网关',
  'Complex gateway': '复杂网关',
  'Start event': '开始事件',
  'End event': '结束事件',
  'Terminate end event': '终止结束事件',
  'Message start event': '消息开始事件',
  'Timer start event': '定时开始事件',
  'Signal start event': '信号开始事件',
  'Intermediate throw event': '中间抛出事件',
  'Message intermediate catch event': '消息中间事件',
  'Timer intermediate catch event': '定时中间事件',
  // Liuzhuan's own actions (branchActions.ts)
  'Add node': '添加节点',
  'Add a node on this flow': '在这条连线上添加节点',
  'Add a node after this one': '在此节点后添加节点',
  'Add condition branch': '添加条件分支',
  'Add parallel branch': '添加并行分支',
  'Approval node': '审批节点',
  'Fill-in node': '填写节点',
  Approval: '审批',
  'Fill in': '填写',
  Condition: '条件',
  Otherwise: '其他情况',
};

let locale: Locale = 'zh-CN';

/** Called when the UI language changes (then fire `i18n.changed` on the modeler's event bus). */
export function setBpmnLocale(next: Locale): void {
  locale = next;
}

/** diagram-js's translate signature: `{name}` placeholders filled from `replacements`. */
export function translate(template: string, replacements: Record<string, string> = {}): string {
  const text = locale === 'zh-CN' ? (ZH[template] ?? template) : template;
  return text.replace(/{([^}]+)}/g, (_, key: string) => replacements[key] ?? `{${key}}`);
}

export const translateModule = { translate: ['value', translate] };
