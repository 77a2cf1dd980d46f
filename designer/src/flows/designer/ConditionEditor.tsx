/**
 * 条件 of a flow leaving an exclusive/inclusive gateway: a builder of field / operator / value
 * rows joined by 且 / 或 that writes FEEL, and the FEEL itself, checked as you type with the
 * engine's own checker (engine/expressions/feel.ts, feelin runs in the browser). Or: mark
 * the flow as the gateway's 默认流向 (taken when no condition holds; it has no condition).
 */
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, Button, Checkbox, Form, Input, Radio, Select, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { checkFeel } from '../../../../engine/expressions/feel.ts';
import { useMessages } from '../../i18n/i18n.tsx';
import { buildFeel, OPERATORS, parseCondition, ruleProblem, type ConditionGroup, type ConditionOperator, type FieldKind } from '../model/conditionBuilder.ts';
import { CommitInput } from './CommitInput.tsx';
import type { DiagramElement, Services } from './modeler.ts';
import type { FlowData } from './useFlowData.ts';

const messages = {
  zh: {
    title: '条件流向', name: '名称', isDefault: '默认流向（其他条件都不满足时走这里）', builder: '条件', and: '全部满足（且）', or: '任一满足（或）',
    add: '添加条件', field: '字段', value: '值', feel: 'FEEL 表达式', feelHelp: '例如 amount > 100000 and tier = "A"',
    custom: '这个表达式无法用条件构建器表示，请直接编辑 FEEL', none: '没有条件：总是可以走这条流向', bad: '这一行不完整，未写入表达式',
    '=': '等于', '!=': '不等于', '>': '大于', '>=': '大于等于', '<': '小于', '<=': '小于等于', contains: '包含', in: '属于（逗号分隔）', empty: '为空', notEmpty: '不为空',
  },
  en: {
    title: 'Conditional flow', name: 'Name', isDefault: 'Default flow (taken when no other condition holds)', builder: 'Condition', and: 'All of (and)', or: 'Any of (or)',
    add: 'Add rule', field: 'Field', value: 'Value', feel: 'FEEL expression', feelHelp: 'e.g. amount > 100000 and tier = "A"',
    custom: 'This expression is beyond the builder; edit the FEEL directly', none: 'No condition: this flow can always be taken', bad: 'This row is incomplete and is left out',
    '=': 'equals', '!=': 'not equal', '>': 'greater than', '>=': 'at least', '<': 'less than', '<=': 'at most', contains: 'contains', in: 'one of (comma-separated)', empty: 'is empty', notEmpty: 'is not empty',
  },
};

export interface ConditionEditorProps {
  services: Services;
  flow: DiagramElement;
  data: FlowData;
}

export function ConditionEditor({ services, flow, data }: ConditionEditorProps) {
  const t = useMessages(messages);
  const gateway = flow.source!;
  const body = flow.businessObject.conditionExpression?.body ?? '';
  const isDefault = gateway.businessObject.default === flow.businessObject;
  const kinds: Record<string, FieldKind> = Object.fromEntries(data.fields.map((field) => [field.name, field.kind]));
  const [group, setGroup] = useState<ConditionGroup | null>(() => parseCondition(body));
  const [text, setText] = useState(body);

  // Undo/redo or the raw editor changed the stored text: follow it unless the rows already say it.
  useEffect(() => {
    setText(body);
    setGroup((current) => (current && buildFeel(current, kinds) === body.trim() ? current : parseCondition(body)));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [body]);

  const write = (feel: string) => {
    const trimmed = feel.trim();
    services.modeling.updateProperties(flow, {
      conditionExpression: trimmed ? services.moddle.create('bpmn:FormalExpression', { body: trimmed }) : undefined,
    });
  };
  const setRows = (next: ConditionGroup) => {
    setGroup(next);
    const feel = buildFeel(next, kinds);
    if (feel !== body.trim()) write(feel);
  };
  const setDefault = (on: boolean) => {
    if (on && body) write('');
    services.modeling.updateProperties(gateway, { default: on ? flow.businessObject : undefined });
  };
  const error = text.trim() ? checkFeel(text) : null;
  const name = flow.businessObject.name ?? '';

  return (
    <Form layout="vertical" data-testid="condition-editor" data-element-id={flow.id}>
      <Typography.Title level={5}>{t('title')}</Typography.Title>
      <Form.Item label={t('name')}>
        <CommitInput key={`${flow.id}:${name}`} value={name} testId="node-name" onCommit={(value) => services.modeling.updateProperties(flow, { name: value })} />
      </Form.Item>
      <Checkbox checked={isDefault} onChange={(event) => setDefault(event.target.checked)} data-testid="condition-default" style={{ marginBottom: 12 }}>
        {t('isDefault')}
      </Checkbox>
      {!isDefault && (
        <>
          <Form.Item label={t('builder')}>
            {group ? (
              <>
                <Radio.Group value={group.join} onChange={(event) => setRows({ ...group, join: event.target.value })} style={{ marginBottom: 8 }}>
                  <Radio value="and" data-testid="condition-join-and">{t('and')}</Radio>
                  <Radio value="or" data-testid="condition-join-or">{t('or')}</Radio>
                </Radio.Group>
                {group.rules.map((rule, index) => {
                  const field = data.fields.find((f) => f.name === rule.field);
                  const problem = ruleProblem(rule, kinds[rule.field]);
                  const setRule = (patch: Partial<typeof rule>) => setRows({ ...group, rules: group.rules.map((r, i) => (i === index ? { ...r, ...patch } : r)) });
                  const needsValue = rule.operator !== 'empty' && rule.operator !== 'notEmpty';
                  return (
                    <div key={index} style={{ display: 'flex', gap: 4, marginBottom: 6 }} data-testid={`condition-row-${index}`}>
                      <Select
                        style={{ width: 120 }}
                        placeholder={t('field')}
                        value={rule.field || undefined}
                        data-testid={`condition-field-${index}`}
                        status={problem === 'field' ? 'error' : undefined}
                        showSearch={{ optionFilterProp: 'label' }}
                        options={data.fields.map((f) => ({ value: f.name, label: f.title }))}
                        onChange={(value: string) => setRule({ field: value })}
                      />
                      <Select
                        style={{ width: 104 }}
                        value={rule.operator}
                        data-testid={`condition-op-${index}`}
                        options={OPERATORS.map((op) => ({ value: op, label: t(op) }))}
                        onChange={(operator: ConditionOperator) => setRule({ operator })}
                      />
                      {needsValue &&
                        (field?.enumValues && rule.operator !== 'in' ? (
                          <Select style={{ flex: 1, minWidth: 0 }} value={rule.value || undefined} data-testid={`condition-value-${index}`} options={field.enumValues.map((v) => ({ value: v, label: v }))} onChange={(value: string) => setRule({ value })} />
                        ) : (
                          <Input style={{ flex: 1, minWidth: 0 }} placeholder={t('value')} value={rule.value} status={problem && problem !== 'field' ? 'error' : undefined} title={problem ? t('bad') : undefined} data-testid={`condition-value-${index}`} onChange={(event) => setRule({ value: event.target.value })} />
                        ))}
                      <Button type="text" icon={<DeleteOutlined />} data-testid={`condition-remove-${index}`} onClick={() => setRows({ ...group, rules: group.rules.filter((_, i) => i !== index) })} />
                    </div>
                  );
                })}
                <Button size="small" icon={<PlusOutlined />} data-testid="condition-add" onClick={() => setRows({ ...group, rules: [...group.rules, { field: data.fields[0]?.name ?? '', operator: '=', value: '' }] })}>
                  {t('add')}
                </Button>
              </>
            ) : (
              <Alert type="info" title={t('custom')} data-testid="condition-custom" />
            )}
          </Form.Item>
          <Form.Item label={t('feel')} help={error ? <span data-testid="condition-feel-error">{error}</span> : text.trim() ? t('feelHelp') : t('none')} validateStatus={error ? 'error' : undefined}>
            <Input.TextArea
              autoSize={{ minRows: 2 }}
              value={text}
              data-testid="condition-feel"
              placeholder={t('feelHelp')}
              onChange={(event) => setText(event.target.value)}
              onBlur={() => text.trim() !== body.trim() && write(text)}
            />
          </Form.Item>
        </>
      )}
    </Form>
  );
}
