/**
 * 审批人 / 填写人: rows of assignee rules (liuzhuan:assignee type/value), resolved in order and
 * merged by the engine (engine/approval/assignees.ts). Each type has its own picker: people,
 * departments (members or head), the submitter and their department, 发起人的第 N 级主管,
 * the handler of an earlier node, a member or department field of the bound form, FEEL.
 */
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { AutoComplete, Button, Input, Select, Space, Typography } from 'antd';
import { useState } from 'react';
import { checkFeel } from '../../../../engine/expressions/feel.ts';
import { useLocale, useMessages } from '../../i18n/i18n.tsx';
import {
  ASSIGNEE_TYPES,
  MAX_HEAD_LEVEL,
  departmentFieldValue,
  parseDepartmentField,
  type AssigneeRule,
  type AssigneeType,
  type DepartmentPart,
} from '../model/liuzhuanExtensions.ts';
import type { FlowData, FormField } from './useFlowData.ts';

const messages = {
  zh: {
    user: '指定成员', role: '角色', department: '部门的全部成员', departmentHead: '部门的负责人', submitter: '发起人',
    submitterDepartment: '发起人所在部门', submitterHead: '发起人的第 N 级主管', nodeHandler: '之前节点的处理人',
    memberField: '表单中的成员字段', departmentField: '表单中的部门字段', feel: 'FEEL 表达式',
    add: '添加', empty: '还没有处理人：任务会无人处理', users: '选择成员', roles: '角色名', departments: '选择部门',
    level: '第 {n} 级主管', level1: '第 1 级主管（直属部门负责人）', fields: '选择成员或部门字段', feelHint: '结果为用户名或用户名列表',
    members: '全部成员', head: '负责人', submitterItself: '发起流程的人', nodes: '选择之前的节点', memberFields: '成员字段', departmentFields: '部门字段',
    fieldName: '字段名', noFields: '表单中没有成员或部门字段',
    routedDepartment: '分派到的部门', routedMembers: '分派到的部门（成员）', routedHead: '分派到的部门（负责人）',
  },
  en: {
    user: 'Specific users', role: 'Role', department: 'Members of a department', departmentHead: 'Head of a department', submitter: 'Submitter',
    submitterDepartment: "Submitter's department", submitterHead: "Submitter's N-th level manager", nodeHandler: 'Handler of an earlier node',
    memberField: 'Member field of the form', departmentField: 'Department field of the form', feel: 'FEEL expression',
    add: 'Add', empty: 'Nobody yet: the task would have nobody to handle it', users: 'Choose users', roles: 'Role name', departments: 'Choose a department',
    level: 'Level {n} manager', level1: 'Level 1 manager (head of their department)', fields: 'Choose a member or department field', feelHint: 'Yields a username or a list of usernames',
    members: 'All members', head: 'Head', submitterItself: 'Whoever started the flow', nodes: 'Choose an earlier node', memberFields: 'Member fields', departmentFields: 'Department fields',
    fieldName: 'Field name', noFields: 'The form has no member or department field',
    routedDepartment: 'Routed department', routedMembers: 'Routed department (members)', routedHead: 'Routed department (head)',
  },
};

export interface AssigneeRulesEditorProps {
  rules: AssigneeRule[];
  data: FlowData;
  /** The other user tasks of the diagram, for 之前节点的处理人. */
  nodes?: Array<{ id: string; name: string }>;
  onChange(rules: AssigneeRule[]): void;
}

const DEFAULT_VALUE: Record<AssigneeType, string> = {
  user: '',
  role: '',
  department: '',
  departmentHead: '',
  submitter: '',
  submitterDepartment: 'members',
  submitterHead: '1',
  nodeHandler: '',
  memberField: '',
  departmentField: '',
  feel: '',
  routedDepartment: 'members',
};

/** Only member and department fields can name people; the form's other fields are not offered. */
function peopleFieldOptions(fields: FormField[], t: (key: 'memberFields' | 'departmentFields') => string) {
  const option = (field: FormField) => ({ value: field.name, label: `${field.title} (${field.name})` });
  return [
    { label: t('memberFields'), options: fields.filter((field) => field.member).map(option) },
    { label: t('departmentFields'), options: fields.filter((field) => field.department).map(option) },
  ].filter((group) => group.options.length > 0);
}

export function AssigneeRulesEditor({ rules, data, nodes = [], onChange }: AssigneeRulesEditorProps) {
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
      case 'departmentHead':
        return (
          <Select
            style={{ width: '100%' }}
            placeholder={t('departments')}
            data-testid={testId}
            value={rule.value || undefined}
            options={data.departments.map((d) => ({ value: d.code, label: locale === 'en' && d.nameEn ? d.nameEn : d.name }))}
            showSearch={{ optionFilterProp: 'label' }}
            onChange={set}
          />
        );
      case 'submitter':
        return <Typography.Text type="secondary" data-testid={testId}>{t('submitterItself')}</Typography.Text>;
      case 'submitterDepartment':
        return <PartSelect testId={testId} value={rule.value === 'head' ? 'head' : 'members'} onChange={set} labels={{ members: t('members'), head: t('head') }} />;
      case 'submitterHead': {
        // 发起人的第 N 级主管: level 1 is the head of their department (its parent's head when they head it).
        const levels = Array.from({ length: MAX_HEAD_LEVEL }, (_, i) => String(i + 1));
        return (
          <Select
            style={{ width: '100%' }}
            data-testid={testId}
            value={rule.value || '1'}
            onChange={set}
            options={levels.map((n) => ({ value: n, label: n === '1' ? t('level1') : t('level', { n }) }))}
          />
        );
      }
      case 'nodeHandler':
        return (
          <Select
            style={{ width: '100%' }}
            placeholder={t('nodes')}
            data-testid={testId}
            value={rule.value || undefined}
            options={nodes.map((node) => ({ value: node.id, label: node.name ? `${node.name} (${node.id})` : node.id }))}
            onChange={set}
          />
        );
      case 'memberField':
      case 'departmentField': {
        const { field, part } = rule.type === 'departmentField' ? parseDepartmentField(rule.value) : { field: rule.value, part: 'members' as const };
        if (data.fields.length === 0) {
          // No bound form (or still loading): a process variable by name.
          return <Input placeholder={t('fieldName')} data-testid={testId} value={field} onChange={(event) => update(index, { ...rule, value: rule.type === 'departmentField' ? departmentFieldValue(event.target.value.trim(), part) : event.target.value.trim() })} />;
        }
        const groups = peopleFieldOptions(data.fields, t);
        // Choosing a department field in the member picker (or the reverse) switches the rule's type.
        const choose = (name: string) => {
          const chosen = data.fields.find((candidate) => candidate.name === name);
          update(index, chosen?.department ? { type: 'departmentField', value: departmentFieldValue(name, part) } : { type: 'memberField', value: name });
        };
        return (
          <div style={{ display: 'flex', gap: 6 }}>
            <Select
              style={{ flex: 1, minWidth: 0 }}
              placeholder={t('fields')}
              data-testid={testId}
              value={field || undefined}
              options={groups}
              notFoundContent={t('noFields')}
              onChange={choose}
            />
            {rule.type === 'departmentField' ? (
              <PartSelect
                testId={`assignee-part-${index}`}
                value={part}
                onChange={(next) => update(index, { ...rule, value: departmentFieldValue(field, next) })}
                labels={{ members: t('members'), head: t('head') }}
                width={100}
              />
            ) : null}
          </div>
        );
      }
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

/** A department's 全部成员 or 负责人. */
function PartSelect(props: { testId: string; value: DepartmentPart; labels: Record<DepartmentPart, string>; width?: number; onChange(part: DepartmentPart): void }) {
  return (
    <Select
      style={{ width: props.width ?? '100%', flex: 'none' }}
      data-testid={props.testId}
      value={props.value}
      onChange={props.onChange}
      options={[{ value: 'members', label: props.labels.members }, { value: 'head', label: props.labels.head }]}
    />
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
