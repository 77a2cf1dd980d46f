/**
 * The record filter of a permission group: the condition builder's rows (ConditionRow, the same
 * field / operator / value row as flow branches and routing rules) joined by 且 / 或, kept as
 * rows rather than FEEL because the server compiles them to SQL. A server message about a row
 * (422 pointer `/filter/rules/<i>/…`) shows under it.
 *
 * Test ids: `<testId>-join-and|or`, `-row-<i>`, `-field-<i>`, `-op-<i>`, `-value-<i>`, `-remove-<i>`, `-add`, `-error-<i>`.
 */
import { PlusOutlined } from '@ant-design/icons';
import { Button, Radio, Typography } from 'antd';
import { ConditionRow, conditionMessages } from '../conditions/ConditionInput.tsx';
import type { ConditionGroup, ConditionRule } from '../conditions/conditionBuilder.ts';
import type { ConditionField } from '../conditions/conditionFields.ts';
import { useMessages } from '../i18n/i18n.tsx';
import { filterRuleProblem } from './filterModel.ts';

const messages = {
  zh: { none: '没有条件：成员可见全部数据', bad: '这一行不完整，保存前请补全' },
  en: { none: 'No condition: members see every record', bad: 'This row is incomplete' },
};

export function FilterRows(props: {
  value: ConditionGroup;
  onChange(next: ConditionGroup): void;
  fields: ConditionField[];
  testId: string;
  /** Server messages by rule index. */
  errors: Record<number, string>;
}) {
  const t = useMessages(conditionMessages);
  const own = useMessages(messages);
  const { value: group, fields, testId } = props;
  const kinds = new Map(fields.map((field) => [field.name, field.kind]));
  return (
    <div style={{ width: '100%' }} data-testid={`${testId}-builder`}>
      {group.rules.length > 1 ? (
        <Radio.Group value={group.join} onChange={(event) => props.onChange({ ...group, join: event.target.value })} style={{ marginBottom: 8 }}>
          <Radio value="and" data-testid={`${testId}-join-and`}>{t('and')}</Radio>
          <Radio value="or" data-testid={`${testId}-join-or`}>{t('or')}</Radio>
        </Radio.Group>
      ) : null}
      {group.rules.length === 0 ? (
        <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>{own('none')}</Typography.Paragraph>
      ) : null}
      {group.rules.map((rule, index) => {
        const setRule = (patch: Partial<ConditionRule>) => props.onChange({ ...group, rules: group.rules.map((r, i) => (i === index ? { ...r, ...patch } : r)) });
        const problem = filterRuleProblem(rule, kinds.get(rule.field));
        return (
          <div key={index}>
            <ConditionRow
              testId={testId}
              index={index}
              rule={rule}
              field={fields.find((f) => f.name === rule.field)}
              fields={fields}
              problem={problem}
              t={t}
              onChange={setRule}
              onRemove={() => props.onChange({ ...group, rules: group.rules.filter((_, i) => i !== index) })}
            />
            {props.errors[index] ? (
              <Typography.Text type="danger" style={{ fontSize: 12 }} data-testid={`${testId}-error-${index}`}>
                {props.errors[index]}
              </Typography.Text>
            ) : null}
          </div>
        );
      })}
      <Button
        size="small"
        icon={<PlusOutlined />}
        data-testid={`${testId}-add`}
        onClick={() => props.onChange({ ...group, rules: [...group.rules, { field: fields[0]?.name ?? '', operator: '=', value: '' }] })}
      >
        {t('add')}
      </Button>
    </div>
  );
}

/** Whether every row can be saved. */
export function filterComplete(group: ConditionGroup, fields: ConditionField[]): boolean {
  const kinds = new Map(fields.map((field) => [field.name, field.kind]));
  return group.rules.every((rule) => filterRuleProblem(rule, kinds.get(rule.field)) === null);
}
