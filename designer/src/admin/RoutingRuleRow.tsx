/**
 * One routing rule in the ordered list: name, condition (the shared condition builder — the
 * form's fields and options by label, the FEEL below it for experts), target department.
 */
import { ArrowDownOutlined, ArrowUpOutlined, DeleteOutlined, HolderOutlined } from '@ant-design/icons';
import { Button, Card, Input, Select, Space, Switch, Tag, Tooltip, Typography } from 'antd';
import { ConditionInput } from '../conditions/ConditionInput.tsx';
import type { ConditionField } from '../conditions/conditionFields.ts';
import { useMessages } from '../i18n/i18n.tsx';

export interface RuleDraft {
  /** Client-side key for React and drag; `id` is the server's, kept across saves. */
  key: string;
  id?: string;
  name: string;
  condition: string;
  departmentId: string | undefined;
  enabled: boolean;
}

const messages = {
  zh: { order: '第 {n} 条', name: '规则名称', condition: '条件', department: '分派到', up: '上移', down: '下移', remove: '删除', enabled: '启用', drag: '拖动调整顺序' },
  en: { order: 'Rule {n}', name: 'Rule name', condition: 'Condition', department: 'Route to', up: 'Move up', down: 'Move down', remove: 'Delete', enabled: 'Enabled', drag: 'Drag to reorder' },
};

export function RoutingRuleRow(props: {
  index: number;
  count: number;
  rule: RuleDraft;
  errors: Record<string, string>;
  /** The form's fields, for the condition builder. */
  fields: ConditionField[];
  departmentOptions: { value: string; label: string }[];
  onChange(rule: RuleDraft): void;
  onMove(to: number): void;
  onRemove(): void;
  onDragStart(): void;
  onDrop(): void;
}) {
  const t = useMessages(messages);
  const { index, rule } = props;
  const id = `routing-rule-${index}`;
  return (
    <Card
      size="small"
      data-testid={id}
      draggable
      onDragStart={props.onDragStart}
      onDragOver={(event) => event.preventDefault()}
      onDrop={props.onDrop}
      style={{ borderColor: Object.keys(props.errors).length ? '#ff4d4f' : undefined }}
    >
      <Space align="start" style={{ width: '100%' }} wrap>
        <Tooltip title={t('drag')}>
          <HolderOutlined style={{ cursor: 'grab', marginTop: 8 }} />
        </Tooltip>
        <Tag style={{ marginTop: 4 }}>{t('order', { n: index + 1 })}</Tag>
        <div style={{ width: 180 }}>
          <Input placeholder={t('name')} value={rule.name} data-testid={`${id}-name`} onChange={(event) => props.onChange({ ...rule, name: event.target.value })} />
        </div>
        <div style={{ width: 460 }}>
          <ConditionInput
            value={rule.condition}
            fields={props.fields}
            testId={`${id}-cond`}
            feelTestId={`${id}-condition`}
            serverError={props.errors.condition}
            onChange={(condition) => props.onChange({ ...rule, condition })}
          />
        </div>
        <div style={{ width: 180 }}>
          <Select
            style={{ width: '100%' }}
            placeholder={t('department')}
            value={rule.departmentId}
            options={props.departmentOptions}
            showSearch={{ optionFilterProp: 'label' }}
            status={props.errors.departmentId ? 'error' : undefined}
            data-testid={`${id}-department`}
            onChange={(departmentId) => props.onChange({ ...rule, departmentId })}
          />
          {props.errors.departmentId ? (
            <Typography.Text type="danger" style={{ fontSize: 12 }} data-testid={`${id}-department-error`}>
              {props.errors.departmentId}
            </Typography.Text>
          ) : null}
        </div>
        <Tooltip title={t('enabled')}>
          <Switch checked={rule.enabled} style={{ marginTop: 6 }} data-testid={`${id}-enabled`} onChange={(enabled) => props.onChange({ ...rule, enabled })} />
        </Tooltip>
        <Space.Compact>
          <Button icon={<ArrowUpOutlined />} disabled={index === 0} title={t('up')} data-testid={`${id}-up`} onClick={() => props.onMove(index - 1)} />
          <Button icon={<ArrowDownOutlined />} disabled={index === props.count - 1} title={t('down')} data-testid={`${id}-down`} onClick={() => props.onMove(index + 1)} />
          <Button icon={<DeleteOutlined />} danger title={t('remove')} data-testid={`${id}-delete`} onClick={props.onRemove} />
        </Space.Compact>
      </Space>
      {props.errors.other ? <Typography.Text type="danger">{props.errors.other}</Typography.Text> : null}
    </Card>
  );
}
