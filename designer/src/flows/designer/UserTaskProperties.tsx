/**
 * A user task as the admin sees it: 审批节点 (approve/reject) or 填写节点 (fill in and 提交:
 * `liuzhuan:actions allowed="submit,return,transfer"`), its 审批人 / 填写人 rules, 审批方式,
 * what happens with nobody to approve, 字段权限, 允许的操作 and 超时. Each change is one
 * `updateProperties` on the task (see modeler.ts `updateSettings`).
 */
import { Alert, Button, Divider, Form, Radio, Segmented, Typography } from 'antd';
import { useMessages } from '../../i18n/i18n.tsx';
import { APPROVAL_MODES, COMPLETING_ACTIONS, FILL_IN_ACTIONS, isFillIn, type ApprovalSettings } from '../model/liuzhuanExtensions.ts';
import { ActionsEditor } from './ActionsEditor.tsx';
import { AssigneeRulesEditor } from './AssigneeRulesEditor.tsx';
import { CommitInput } from './CommitInput.tsx';
import { FieldPermissionGrid } from './FieldPermissionGrid.tsx';
import { settingsOf, updateSettings, userTasks, type DiagramElement, type Services } from './modeler.ts';
import { TimeoutEditor } from './TimeoutEditor.tsx';
import type { FlowData } from './useFlowData.ts';

const messages = {
  zh: {
    approvalNode: '审批节点', fillNode: '填写节点', name: '节点名称', assignees: '审批人', mode: '审批方式',
    single: '单人', all: '会签（全部同意）', any: '或签（一人同意）', sequential: '依次审批',
    fallback: '无审批人时', admin: '转交管理员', skip: '自动跳过', permissions: '字段权限', actions: '允许的操作', timeout: '超时',
    camunda: '此节点用 Camunda 属性指派（{how}）；添加审批人后以审批人为准。', noForm: '先在流程设置中选择流程表单，才能设置字段权限',
    fillers: '填写人', fillHint: '填写人填写表单后点“提交”，流程继续；此节点不审批。', fillFallback: '无填写人时',
    legacyFill: '此填写节点缺少“提交”操作，发布会被拒绝。', legacyFix: '加上提交',
  },
  en: {
    approvalNode: 'Approval node', fillNode: 'Fill-in node', name: 'Node name', assignees: 'Approvers', mode: 'Approval mode',
    single: 'Single', all: 'All must approve', any: 'Any one approves', sequential: 'One after another',
    fallback: 'When nobody is found', admin: 'Hand to the administrator', skip: 'Skip the node', permissions: 'Field permissions', actions: 'Allowed actions', timeout: 'Timeout',
    camunda: 'Assigned by Camunda attributes ({how}); approvers added here take precedence.', noForm: 'Choose the flow form in the flow settings to set field permissions',
    fillers: 'Filled in by', fillHint: 'The assignee fills in the form and clicks Submit; the flow moves on. Nothing is approved here.', fillFallback: 'When nobody is found',
    legacyFill: 'This fill-in node has no Submit action, so publishing would be refused.', legacyFix: 'Add Submit',
  },
};

export interface UserTaskPropertiesProps {
  services: Services;
  element: DiagramElement;
  data: FlowData;
}

const CAMUNDA_ASSIGNMENT = ['camunda:assignee', 'camunda:candidateUsers', 'camunda:candidateGroups'];

export function UserTaskProperties({ services, element, data }: UserTaskPropertiesProps) {
  const t = useMessages(messages);
  const settings = settingsOf(element);
  const approval: ApprovalSettings = settings.approval ?? { mode: 'single', fallback: 'admin', rules: [] };
  const setApproval = (patch: Partial<ApprovalSettings>) => updateSettings(services, element, { approval: { ...approval, ...patch } });
  const isFill = isFillIn(settings.actions);
  // Written by this designer before 提交 existed (allowed="return,transfer"): nobody could complete it.
  const missingSubmit = isFill && !settings.actions!.some((action) => COMPLETING_ACTIONS.includes(action));
  const addSubmit = () => updateSettings(services, element, { actions: ['submit', ...settings.actions!] });
  const nodes = userTasks(services)
    .filter((task) => task.id !== element.id)
    .map((task) => ({ id: task.id, name: task.businessObject.name ?? '' }));
  const name = element.businessObject.name ?? '';
  const camunda = CAMUNDA_ASSIGNMENT.map((attr) => [attr, element.businessObject.get(attr)] as const).filter(([, value]) => typeof value === 'string' && value);

  return (
    <Form layout="vertical" data-testid="user-task-properties" data-element-id={element.id}>
      <Segmented
        block
        value={isFill ? 'fill' : 'approval'}
        data-testid="node-kind"
        options={[{ value: 'approval', label: t('approvalNode') }, { value: 'fill', label: t('fillNode') }]}
        onChange={(kind) =>
          // One undo step: a fill-in node submits (with return and transfer) and has one filler at a time.
          updateSettings(
            services,
            element,
            kind === 'fill' ? { actions: [...FILL_IN_ACTIONS], ...(settings.approval ? { approval: { ...approval, mode: 'single' } } : {}) } : { actions: null },
          )
        }
        style={{ marginBottom: 12 }}
      />
      <Form.Item label={t('name')}>
        <CommitInput key={`${element.id}:${name}`} value={name} testId="node-name" onCommit={(value) => services.modeling.updateProperties(element, { name: value })} />
      </Form.Item>
      {isFill ? <Typography.Paragraph type="secondary" data-testid="fill-in-hint">{t('fillHint')}</Typography.Paragraph> : null}
      {missingSubmit ? (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 12 }}
          data-testid="fill-in-missing-submit"
          title={t('legacyFill')}
          action={<Button size="small" onClick={addSubmit} data-testid="fill-in-add-submit">{t('legacyFix')}</Button>}
        />
      ) : null}
      <Form.Item label={isFill ? t('fillers') : t('assignees')}>
        {camunda.length > 0 && approval.rules.length === 0 && (
          <Alert type="info" style={{ marginBottom: 8 }} title={t('camunda', { how: camunda.map(([attr, value]) => `${attr.slice(8)}=${String(value)}`).join(', ') })} />
        )}
        <AssigneeRulesEditor rules={approval.rules} data={data} nodes={nodes} onChange={(rules) => setApproval({ rules })} />
      </Form.Item>
      <Form.Item label={t('mode')} hidden={isFill}>
        <Radio.Group value={approval.mode} onChange={(event) => setApproval({ mode: event.target.value })} data-testid="approval-mode">
          {APPROVAL_MODES.map((mode) => (
            <Radio key={mode} value={mode} data-testid={`approval-mode-${mode}`}>
              {t(mode)}
            </Radio>
          ))}
        </Radio.Group>
      </Form.Item>
      <Form.Item label={isFill ? t('fillFallback') : t('fallback')}>
        <Radio.Group value={approval.fallback} onChange={(event) => setApproval({ fallback: event.target.value })} data-testid="approval-fallback">
          <Radio value="admin" data-testid="approval-fallback-admin">{t('admin')}</Radio>
          <Radio value="skip" data-testid="approval-fallback-skip">{t('skip')}</Radio>
        </Radio.Group>
      </Form.Item>
      <Divider style={{ margin: '8px 0' }} />
      <Typography.Text strong>{t('permissions')}</Typography.Text>
      {data.fields.length === 0 && !data.fieldsLoading ? (
        <Alert type="info" title={t('noForm')} />
      ) : (
        <FieldPermissionGrid
          fields={data.fields}
          loading={data.fieldsLoading}
          value={settings.fieldPermissions}
          onChange={(fieldPermissions) => updateSettings(services, element, { fieldPermissions })}
        />
      )}
      <Divider style={{ margin: '8px 0' }} />
      <Form.Item label={t('actions')}>
        <ActionsEditor value={settings.actions} fillIn={isFill} onChange={(actions) => updateSettings(services, element, { actions })} />
      </Form.Item>
      <Form.Item label={t('timeout')}>
        <TimeoutEditor
          value={settings.timeout}
          actions={settings.actions}
          users={data.users}
          returnTargets={userTasks(services).filter((task) => task.id !== element.id)}
          onChange={(timeout) => updateSettings(services, element, { timeout })}
        />
      </Form.Item>
    </Form>
  );
}
