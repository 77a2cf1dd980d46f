/** "Show when <field> <op> <value>" — stored as uiSchema `x-visibleWhen` (see model/visibility.ts). */
import { Input, InputNumber, Select, Space, Switch } from 'antd';
import { useLocale, useMessages } from '../../i18n/i18n.tsx';
import { LAYOUT_TYPES, OPTION_TYPES, type DesignField } from '../model/fieldTypes.ts';
import { RULE_OPS, type RuleOp, type VisibilityRule } from '../model/visibility.ts';
import { designerMessages } from './messages.ts';

const OP_LABELS: Record<RuleOp, [string, string]> = {
  eq: ['等于', 'equals'],
  ne: ['不等于', 'is not'],
  gt: ['大于', '>'],
  gte: ['大于等于', '≥'],
  lt: ['小于', '<'],
  lte: ['小于等于', '≤'],
  contains: ['包含', 'contains'],
  notEmpty: ['不为空', 'is filled'],
  empty: ['为空', 'is empty'],
};
const NUMERIC = ['number', 'money', 'formula'];

export function VisibilityRuleEditor(props: { field: DesignField; fields: DesignField[]; onChange(rule: VisibilityRule | undefined): void }) {
  const t = useMessages(designerMessages);
  const { locale } = useLocale();
  const rule = props.field.visibleWhen;
  const candidates = props.fields.filter((f) => f.key !== props.field.key && !LAYOUT_TYPES.includes(f.type) && f.type !== 'subform' && f.type !== 'raw');
  const source = candidates.find((f) => f.key === rule?.field);
  const numeric = !!source && NUMERIC.includes(source.type);
  const ops = RULE_OPS.filter((op) => (numeric ? op !== 'contains' : !['gt', 'gte', 'lt', 'lte'].includes(op)));

  return (
    <div data-testid="rule-editor">
      <Space style={{ marginBottom: 8 }}>
        <Switch
          checked={!!rule}
          data-testid="rule-enable"
          onChange={(on) => {
            // Start from a field with options when there is one: the usual "show when 类型 = X".
            const first = candidates.find((f) => OPTION_TYPES.includes(f.type)) ?? candidates[0];
            props.onChange(on && first ? { field: first.key, op: first.options ? 'eq' : 'notEmpty', value: first.options?.[0]?.value } : undefined);
          }}
        />
        {t('visibilityOn')}
      </Space>
      {rule && (
        <Space.Compact style={{ width: '100%' }}>
          <Select
            style={{ width: '38%' }}
            value={rule.field}
            data-testid="rule-field"
            options={candidates.map((f) => ({ value: f.key, label: f.label[locale] || f.label['zh-CN'] || f.key }))}
            onChange={(key) => {
              const next = candidates.find((f) => f.key === key);
              props.onChange({ field: key, op: 'eq', value: next?.options?.[0]?.value ?? (next && NUMERIC.includes(next.type) ? 0 : '') });
            }}
          />
          <Select
            style={{ width: '27%' }}
            value={rule.op}
            data-testid="rule-op"
            options={ops.map((op) => ({ value: op, label: OP_LABELS[op][locale === 'en' ? 1 : 0] }))}
            onChange={(op) => props.onChange({ ...rule, op })}
          />
          {rule.op !== 'empty' && rule.op !== 'notEmpty' && (
            source && OPTION_TYPES.includes(source.type) ? (
              <Select
                style={{ width: '35%' }}
                value={rule.value as string}
                data-testid="rule-value"
                options={(source.options ?? []).map((o) => ({ value: o.value, label: o.label[locale] || o.label['zh-CN'] }))}
                onChange={(value) => props.onChange({ ...rule, value })}
              />
            ) : numeric ? (
              <InputNumber style={{ width: '35%' }} value={rule.value as number} data-testid="rule-value" onChange={(value) => props.onChange({ ...rule, value: value ?? 0 })} />
            ) : (
              <Input style={{ width: '35%' }} value={String(rule.value ?? '')} placeholder={t('ruleValue')} data-testid="rule-value" onChange={(e) => props.onChange({ ...rule, value: e.target.value })} />
            )
          )}
        </Space.Compact>
      )}
    </div>
  );
}
