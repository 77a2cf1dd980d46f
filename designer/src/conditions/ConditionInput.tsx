/**
 * The one condition builder of the designer, for flow branches (flows/designer/ConditionEditor)
 * and routing rules (admin/RoutingRuleRow): rows of field / operator / value joined by 且 / 或,
 * where a select or radio field offers its options by label (账单, 低 / 中 / 高) and the FEEL
 * stores the value (`billing`, `low`). Below the rows, the FEEL itself for experts, checked
 * as typed with the engine's checker (feelin runs in the browser); a text the rows cannot
 * express keeps its FEEL and the rows step aside.
 *
 * Test ids: `<testId>-join-and|or`, `-row-<i>`, `-field-<i>`, `-op-<i>`, `-value-<i>`,
 * `-remove-<i>`, `-add`, `-custom`; the FEEL box is `feelTestId` (`<testId>-feel`), its error
 * `<feelTestId>-error`.
 */
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, Button, Input, Radio, Select, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { checkFeel } from '../../../engine/expressions/feel.ts';
import { useMessages } from '../i18n/i18n.tsx';
import { buildFeel, OPERATORS, parseCondition, ruleProblem, type ConditionGroup, type ConditionOperator, type ConditionRule, type FieldKind } from './conditionBuilder.ts';
import type { ConditionField } from './conditionFields.ts';

/** Exported for editors that keep rows as JSON rather than FEEL (access/FilterRows). */
export const conditionMessages = {
  zh: {
    and: '全部满足（且）', or: '任一满足（或）', add: '添加条件', field: '字段', value: '值', pick: '选择', feel: 'FEEL 表达式',
    feelHelp: '例如 amount > 100000 and tier = "A"', custom: '这个表达式无法用条件构建器表示，请直接编辑 FEEL', none: '没有条件：总是成立',
    bad: '这一行不完整，未写入表达式', yes: '是', no: '否',
    '=': '等于', '!=': '不等于', '>': '大于', '>=': '大于等于', '<': '小于', '<=': '小于等于', contains: '包含', in: '属于', empty: '为空', notEmpty: '不为空',
  },
  en: {
    and: 'All of (and)', or: 'Any of (or)', add: 'Add rule', field: 'Field', value: 'Value', pick: 'Pick', feel: 'FEEL expression',
    feelHelp: 'e.g. amount > 100000 and tier = "A"', custom: 'This expression is beyond the builder; edit the FEEL directly', none: 'No condition: always true',
    bad: 'This row is incomplete and is left out', yes: 'Yes', no: 'No',
    '=': 'equals', '!=': 'not equal', '>': 'greater than', '>=': 'at least', '<': 'less than', '<=': 'at most', contains: 'contains', in: 'one of', empty: 'is empty', notEmpty: 'is not empty',
  },
};

/** What a field of this kind can be compared by; a choice field never by order or substring. */
export function operatorsFor(field: ConditionField | undefined): readonly ConditionOperator[] {
  if (field?.options || field?.kind === 'boolean') return ['=', '!=', 'in', 'empty', 'notEmpty'].filter((op) => field.kind !== 'boolean' || op !== 'in') as ConditionOperator[];
  if (field?.kind === 'number' || field?.kind === 'integer') return OPERATORS.filter((op) => op !== 'contains');
  return OPERATORS;
}

export interface ConditionInputProps {
  /** The stored FEEL ('' for none). */
  value: string;
  onChange(feel: string): void;
  fields: ConditionField[];
  /** Prefix of the rows' test ids; `condition` by default. */
  testId?: string;
  feelTestId?: string;
  /** When typed FEEL is passed on: each keystroke, or on leaving the box (a flow's undo stack wants one step). */
  commitFeel?: 'change' | 'blur';
  /** The server's message about this condition, shown until it is edited. */
  serverError?: string;
}

export function ConditionInput({ value, onChange, fields, testId = 'condition', feelTestId = `${testId}-feel`, commitFeel = 'change', serverError }: ConditionInputProps) {
  const t = useMessages(conditionMessages);
  const kinds: Record<string, FieldKind> = Object.fromEntries(fields.map((field) => [field.name, field.kind]));
  const [group, setGroup] = useState<ConditionGroup | null>(() => parseCondition(value));
  const [text, setText] = useState(value);
  const [shownServerError, setShownServerError] = useState(serverError);
  useEffect(() => setShownServerError(serverError), [serverError]);

  // Undo/redo, a reload or the FEEL box changed the stored text: follow it unless the rows already say it.
  useEffect(() => {
    setText(value);
    setGroup((current) => (current && buildFeel(current, kinds) === value.trim() ? current : parseCondition(value)));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [value]);

  const write = (feel: string) => {
    setShownServerError(undefined);
    if (feel.trim() !== value.trim()) onChange(feel.trim());
  };
  const setRows = (next: ConditionGroup) => {
    setGroup(next);
    const feel = buildFeel(next, kinds);
    setText(feel);
    write(feel);
  };
  const localError = text.trim() ? checkFeel(text) : null;
  const error = localError ?? shownServerError;

  return (
    <div style={{ width: '100%' }} data-testid={`${testId}-builder`}>
      {group ? (
        <div style={{ marginBottom: 8 }}>
          {group.rules.length > 1 ? (
            <Radio.Group value={group.join} onChange={(event) => setRows({ ...group, join: event.target.value })} style={{ marginBottom: 8 }}>
              <Radio value="and" data-testid={`${testId}-join-and`}>{t('and')}</Radio>
              <Radio value="or" data-testid={`${testId}-join-or`}>{t('or')}</Radio>
            </Radio.Group>
          ) : null}
          {group.rules.map((rule, index) => {
            const field = fields.find((f) => f.name === rule.field);
            const setRule = (patch: Partial<ConditionRule>) => setRows({ ...group, rules: group.rules.map((r, i) => (i === index ? { ...r, ...patch } : r)) });
            return (
              <ConditionRow
                key={index}
                testId={testId}
                index={index}
                rule={rule}
                field={field}
                fields={fields}
                problem={ruleProblem(rule, kinds[rule.field])}
                t={t}
                onChange={setRule}
                onRemove={() => setRows({ ...group, rules: group.rules.filter((_, i) => i !== index) })}
              />
            );
          })}
          <Button size="small" icon={<PlusOutlined />} data-testid={`${testId}-add`} onClick={() => setRows({ ...group, rules: [...group.rules, { field: fields[0]?.name ?? '', operator: '=', value: '' }] })}>
            {t('add')}
          </Button>
        </div>
      ) : (
        <Alert type="info" title={t('custom')} data-testid={`${testId}-custom`} style={{ marginBottom: 8 }} />
      )}
      <Input.TextArea
        autoSize={{ minRows: 1 }}
        value={text}
        status={error ? 'error' : undefined}
        placeholder={t('feelHelp')}
        style={{ fontFamily: 'monospace' }}
        aria-label={t('feel')}
        data-testid={feelTestId}
        onChange={(event) => {
          setText(event.target.value);
          setShownServerError(undefined);
          if (commitFeel === 'change') {
            onChange(event.target.value);
            setGroup(parseCondition(event.target.value));
          }
        }}
        onBlur={() => {
          if (commitFeel === 'blur') write(text);
        }}
      />
      <Typography.Text type={error ? 'danger' : 'secondary'} style={{ fontSize: 12 }} data-testid={error ? `${feelTestId}-error` : undefined}>
        {error ?? (text.trim() ? t('feel') : t('none'))}
      </Typography.Text>
    </div>
  );
}

export function ConditionRow(props: {
  testId: string;
  index: number;
  rule: ConditionRule;
  field: ConditionField | undefined;
  fields: ConditionField[];
  problem: string | null;
  t: (key: keyof (typeof conditionMessages)['zh']) => string;
  onChange(patch: Partial<ConditionRule>): void;
  onRemove(): void;
}) {
  const { testId, index, rule, field, problem, t } = props;
  const id = (part: string) => `${testId}-${part}-${index}`;
  const operators = operatorsFor(field);
  const needsValue = rule.operator !== 'empty' && rule.operator !== 'notEmpty';
  const choices = field?.options ?? (field?.kind === 'boolean' ? [{ value: 'true', label: t('yes') }, { value: 'false', label: t('no') }] : undefined);
  const listed = rule.value.split(',').map((item) => item.trim()).filter(Boolean);
  let valueInput = null;
  if (needsValue && choices && (rule.operator === '=' || rule.operator === '!=')) {
    valueInput = (
      <Select
        style={{ flex: 1, minWidth: 120 }}
        placeholder={t('pick')}
        value={rule.value || undefined}
        data-testid={id('value')}
        showSearch={{ optionFilterProp: 'label' }}
        options={choices}
        onChange={(value: string) => props.onChange({ value })}
      />
    );
  } else if (needsValue && choices && rule.operator === 'in') {
    valueInput = (
      <Select
        mode="multiple"
        style={{ flex: 1, minWidth: 160 }}
        placeholder={t('pick')}
        value={listed}
        data-testid={id('value')}
        showSearch={{ optionFilterProp: 'label' }}
        options={choices}
        onChange={(values: string[]) => props.onChange({ value: values.join(', ') })}
      />
    );
  } else if (needsValue) {
    valueInput = (
      <Input
        style={{ flex: 1, minWidth: 100 }}
        placeholder={t('value')}
        value={rule.value}
        status={problem && problem !== 'field' ? 'error' : undefined}
        title={problem ? t('bad') : undefined}
        data-testid={id('value')}
        onChange={(event) => props.onChange({ value: event.target.value })}
      />
    );
  }
  return (
    <div style={{ display: 'flex', gap: 4, marginBottom: 6, flexWrap: 'wrap' }} data-testid={id('row')}>
      <Select
        style={{ width: 140 }}
        placeholder={t('field')}
        value={rule.field || undefined}
        data-testid={id('field')}
        status={problem === 'field' ? 'error' : undefined}
        showSearch={{ optionFilterProp: 'label' }}
        options={props.fields.map((f) => ({ value: f.name, label: f.title }))}
        onChange={(name: string) => {
          const next = props.fields.find((f) => f.name === name);
          // Another field's value rarely fits: start the row over, keeping an operator it allows.
          props.onChange({ field: name, value: '', operator: operatorsFor(next).includes(rule.operator) ? rule.operator : '=' });
        }}
      />
      <Select
        style={{ width: 110 }}
        value={rule.operator}
        data-testid={id('op')}
        options={operators.map((op) => ({ value: op, label: t(op) }))}
        onChange={(operator: ConditionOperator) => props.onChange({ operator, ...(operator === 'in' || rule.operator === 'in' ? { value: '' } : {}) })}
      />
      {valueInput}
      <Button type="text" icon={<DeleteOutlined />} data-testid={id('remove')} onClick={props.onRemove} />
    </div>
  );
}
