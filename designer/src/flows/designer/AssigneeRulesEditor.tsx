/**
 * 审批人: rows of assignee rules (liuzhuan:assignee type/value), resolved in order and merged
 * by the engine (engine/approval/assignees.ts). Each type has its own picker.
 */
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { AutoComplete, Button, Input, Select, Space, Typography } from 'antd';
import { useState } from 'react';
import { checkFeel } from '../../../../engine/expressions/feel.ts';
import { useLocale, useMessages } from '../../i18n/i18n.tsx';
import { ASSIGNEE_TYPES, type AssigneeRule, type AssigneeType } from '../model/liuzhuanExtensions.ts';
import type { FlowData } from './useFlowData.ts';

const messages = {
  zh: {
    user: '指定成员', role: '角色', department: '部门', submitterHead: '发起人的部门负责人', memberField: '表单中的成员字段', feel: 'FEEL 表达式',
    add: '添加审批人', empty: '还没有审批人：任务会无人处理', users: '选择成员', roles: '角色名', departments: '选择部门',
    level1: '直属部门负责人（一级）', level2: '上级部门负责人（二级）', fields: '选择成员字段', feelHint: '结果为用户名或用户名列表',
    routedDepartment: '分派到的部门', routedMembers: '分派到的部门（成员）', routedHead: '分派到的部门（负责人）',
  },
  en: {
    user: 'Specific users', role: 'Role', department: 'Department', submitterHead: "Submitter's department head", memberField: 'Member field of the form', feel: 'FEEL expression',
    add: 'Add approver', empty: 'No approver yet: the task would have nobody to handle it', users: 'Choose users', roles: 'Role name', departments: 'Choose a department',
    level1: 'Head of their department (level 1)', level2: 'Head of the parent department (level 2)', fields: 'Choose a member field', feelHint: 'Yields a username or a list of usernames',
    routedDepartment: 'Routed department', routedMembers: 'Routed department (members)', routedHead: 'Routed department (head)',
  },
};

export interface AssigneeRulesEditorProps {
  rules: AssigneeRule[];
  data: FlowData;
  onChange(rules: AssigneeRule[]): void;
}

const DEFAULT_VALUE: Record<AssigneeType, string> = { user: '', role: '', department: '', submitterHead: '1', memberField: '', feel: '', routedDepartment: 'members' };

export function AssigneeRulesEditor({ rules, data, onChange }: AssigneeRulesEditorProps) {
  const t = useMessages(messages);
  const { locale } = useLocale();
  const update = (index: number, rule: AssigneeRule) => onChange(rules.map((old, i) => (i === index ? rule : old)));
  const roles = [...new Set(data.users.map((user) => user.role))];

  const valueEditor = (rule: AssigneeRule, index: number) => {
    const set = (value: string) => update(index, { ...rule, value });
    const testId = `assignee-value-${index}`;
    switch (rule.type) {
      case 'user':
        return (
          <Select
            mode="multiple"
            style={{ width: '100%' }}
            placeholder={t('users')}
            data-testid={testId}
            value={rule.value.split(',').map((name) => name.trim()).filter(Boolean)}
            options={data.users.map((user) => ({ value: user.username, label: `${user.displayName || user.username} (${user.username})` }))}
            showSearch={{ optionFilterProp: 'label' }}
            onChange={(names: string[]) => set(names.join(','))}
          />
        );
      case 'role':
        return <AutoComplete style={{ width: '100%' }} placeholder={t('roles')} data-testid={testId} value={rule.value} options={roles.map((role) => ({ value: role }))} onChange={set} />;
      case 'department':
        return (
          <Select
            style={{ width: '100%' }}
            placeholder={t('departments')}
            data-testid={testId}
            value={rule.value || undefined}
            options={data.departments.map((d) => ({ value: d.code, label: locale === 'en' && d.nameEn ? d.nameEn : d.name }))}
            onChange={set}
          />
        );
      case 'submitterHead':
        return (
          <Select style={{ width: '100%' }} data-testid={testId} value={rule.value || '1'} onChange={set} options={[{ value: '1', label: t('level1') }, { value: '2', label: t('level2') }]} />
        );
      case 'memberField':
        return (
          <Select
            style={{ width: '100%' }}
            placeholder={t('fields')}
            data-testid={testId}
            value={rule.value || undefined}
            options={[...data.fields].sort((a, b) => Number(b.member) - Number(a.member)).filter((f) => f.kind === 'string').map((f) => ({ value: f.name, label: `${f.title} (${f.name})` }))}
            onChange={set}
          />
        );
      case 'routedDepartment':
        // The department auto-routing sent the record to: its members claim one task, or its head gets it.
        return (
          <Select
            style={{ width: '100%' }}
            data-testid={testId}
            value={rule.value || 'members'}
            onChange={set}
            options={[{ value: 'members', label: t('routedMembers') }, { value: 'head', label: t('routedHead') }]}
          />
        );
      case 'feel':
        return <FeelRuleInput key={rule.value} value={rule.value} placeholder={t('feelHint')} index={index} onCommit={set} />;
    }
  };

  return (
    <Space orientation="vertical" style={{ width: '100%' }} data-testid="assignee-rules">
      {rules.length === 0 && <Typography.Text type="warning">{t('empty')}</Typography.Text>}
      {rules.map((rule, index) => (
        <div key={index} style={{ display: 'flex', gap: 6, alignItems: 'flex-start' }} data-testid={`assignee-row-${index}`}>
          <Select
            style={{ width: 150, flex: 'none' }}
            value={rule.type}
            data-testid={`assignee-type-${index}`}
            options={ASSIGNEE_TYPES.map((type) => ({ value: type, label: t(type) }))}
            onChange={(type: AssigneeType) => update(index, { type, value: DEFAULT_VALUE[type] })}
          />
          <div style={{ flex: 1, minWidth: 0 }}>{valueEditor(rule, index)}</div>
          <Button type="text" icon={<DeleteOutlined />} onClick={() => onChange(rules.filter((_, i) => i !== index))} data-testid={`assignee-remove-${index}`} />
        </div>
      ))}
      <Button icon={<PlusOutlined />} size="small" onClick={() => onChange([...rules, { type: 'user', value: '' }])} data-testid="assignee-add">
        {t('add')}
      </Button>
    </Space>
  );
}

/** FEEL checked on every keystroke, written to the model on blur (one undo step per edit). */
function FeelRuleInput({ value, placeholder, index, onCommit }: { value: string; placeholder: string; index: number; onCommit(value: string): void }) {
  const [text, setText] = useState(value);
  const error = text.trim() ? checkFeel(text) : null;
  return (
    <div style={{ width: '100%' }}>
      <Input.TextArea
        autoSize
        value={text}
        status={error ? 'error' : undefined}
        placeholder={placeholder}
        data-testid={`assignee-value-${index}`}
        onChange={(event) => setText(event.target.value)}
        onBlur={() => text !== value && onCommit(text)}
      />
      {error && (
        <Typography.Text type="danger" style={{ fontSize: 12 }} data-testid={`assignee-feel-error-${index}`}>
          {error}
        </Typography.Text>
      )}
    </div>
  );
}
