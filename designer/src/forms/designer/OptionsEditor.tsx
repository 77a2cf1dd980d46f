/**
 * Options of a select / radio / checkbox field: zh/en label; add, rename, remove. The stored
 * value is what records keep and conditions compare, so it is out of sight unless 高级 is on,
 * and it is readable: a new option's value follows its English label as a slug ("Billing
 * issue" → `billing_issue`) until the admin sets one. An option that existed when the field
 * was published keeps its value for good — records already hold it — so its value box is
 * locked (only its labels change).
 */
import { useMemo, useState } from 'react';
import { Button, Input, Space, Switch, Tooltip, Typography } from 'antd';
import { DeleteOutlined, LockOutlined, PlusOutlined } from '@ant-design/icons';
import { useMessages } from '../../i18n/i18n.tsx';
import type { FieldOption } from '../model/fieldTypes.ts';
import { designerMessages } from './messages.ts';

/** `Billing issue` → `billing_issue`; '' when the text has no latin letters or digits (a Chinese-only label). */
export function optionSlug(text: string | undefined): string {
  return (text ?? '')
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 40);
}

/** `base`, or `base_2`, `base_3`… — the first not among `taken`. */
function unique(base: string, taken: ReadonlySet<string>): string {
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) if (!taken.has(`${base}_${n}`)) return `${base}_${n}`;
}

/** A value the designer made up (`option3`, `option_3`, a slug of the label), not one the admin chose. */
function isDerived(option: FieldOption): boolean {
  return option.value === '' || /^option_?\d+$/.test(option.value) || option.value === optionSlug(option.label.en);
}

export function OptionsEditor({ options, onChange, locked = false }: { options: FieldOption[]; onChange(options: FieldOption[]): void; locked?: boolean }) {
  const t = useMessages(designerMessages);
  const [advanced, setAdvanced] = useState(false);
  // The values records may already hold: those present when the editor opened on a published
  // field, or when the field got published. Snapshotted only when `locked` changes.
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const fixed = useMemo(() => new Set(locked ? options.map((o) => o.value) : []), [locked]);
  const othersThan = (index: number) => new Set(options.filter((_, i) => i !== index).map((o) => o.value));
  const set = (index: number, option: FieldOption) => onChange(options.map((o, i) => (i === index ? option : o)));
  const setEnglish = (index: number, en: string) => {
    const option = options[index]!;
    const slug = optionSlug(en);
    const follows = !fixed.has(option.value) && isDerived(option) && slug !== '';
    set(index, { value: follows ? unique(slug, othersThan(index)) : option.value, label: { ...option.label, en } });
  };
  const add = () => {
    const taken = new Set(options.map((o) => o.value));
    let n = options.length + 1;
    while (taken.has(`option_${n}`) || taken.has(`option${n}`)) n++;
    onChange([...options, { value: `option_${n}`, label: { 'zh-CN': `选项${n}`, en: `Option ${n}` } }]);
  };
  return (
    <div data-testid="options-editor">
      {options.map((option, index) => {
        const isFixed = fixed.has(option.value);
        return (
          <Space.Compact key={index} style={{ width: '100%', marginBottom: 4 }}>
            {advanced && (
              <Tooltip title={isFixed ? t('optionValueLocked') : t('optionValueHelp')}>
                <Input
                  style={{ width: '30%' }}
                  placeholder={t('optionValue')}
                  value={option.value}
                  disabled={isFixed}
                  prefix={isFixed ? <LockOutlined /> : undefined}
                  data-testid={`option-value-${index}`}
                  onChange={(e) => set(index, { ...option, value: e.target.value.trim() })}
                />
              </Tooltip>
            )}
            <Input style={{ width: advanced ? '32%' : '46%' }} placeholder="中文" value={option.label['zh-CN']} data-testid={`option-zh-${index}`} onChange={(e) => set(index, { ...option, label: { ...option.label, 'zh-CN': e.target.value } })} />
            <Input style={{ width: advanced ? '30%' : '46%' }} placeholder="English" value={option.label.en} data-testid={`option-en-${index}`} onChange={(e) => setEnglish(index, e.target.value)} />
            <Button icon={<DeleteOutlined />} disabled={options.length <= 1} onClick={() => onChange(options.filter((_, i) => i !== index))} data-testid={`option-remove-${index}`} />
          </Space.Compact>
        );
      })}
      <Space style={{ width: '100%', justifyContent: 'space-between', marginTop: 4 }}>
        <Button size="small" icon={<PlusOutlined />} onClick={add} data-testid="option-add">
          {t('addOption')}
        </Button>
        <Space size={4}>
          <Switch size="small" checked={advanced} onChange={setAdvanced} data-testid="option-advanced" />
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('optionValuesShown')}</Typography.Text>
        </Space>
      </Space>
    </div>
  );
}
