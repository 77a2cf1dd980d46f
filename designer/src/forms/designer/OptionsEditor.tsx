/** Options of a select / radio / checkbox field: stored value + zh/en label; add, rename, remove. */
import { Button, Input, Space } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useMessages } from '../../i18n/i18n.tsx';
import type { FieldOption } from '../model/fieldTypes.ts';
import { designerMessages } from './messages.ts';

export function OptionsEditor({ options, onChange }: { options: FieldOption[]; onChange(options: FieldOption[]): void }) {
  const t = useMessages(designerMessages);
  const set = (index: number, option: FieldOption) => onChange(options.map((o, i) => (i === index ? option : o)));
  const add = () => {
    const taken = new Set(options.map((o) => o.value));
    let n = options.length + 1;
    while (taken.has(`option${n}`)) n++;
    onChange([...options, { value: `option${n}`, label: { 'zh-CN': `选项${n}`, en: `Option ${n}` } }]);
  };
  return (
    <div data-testid="options-editor">
      {options.map((option, index) => (
        <Space.Compact key={index} style={{ width: '100%', marginBottom: 4 }}>
          <Input style={{ width: '30%' }} placeholder={t('optionValue')} value={option.value} data-testid={`option-value-${index}`} onChange={(e) => set(index, { ...option, value: e.target.value })} />
          <Input style={{ width: '32%' }} placeholder="中文" value={option.label['zh-CN']} data-testid={`option-zh-${index}`} onChange={(e) => set(index, { ...option, label: { ...option.label, 'zh-CN': e.target.value } })} />
          <Input style={{ width: '30%' }} placeholder="English" value={option.label.en} data-testid={`option-en-${index}`} onChange={(e) => set(index, { ...option, label: { ...option.label, en: e.target.value } })} />
          <Button icon={<DeleteOutlined />} disabled={options.length <= 1} onClick={() => onChange(options.filter((_, i) => i !== index))} data-testid={`option-remove-${index}`} />
        </Space.Compact>
      ))}
      <Button size="small" icon={<PlusOutlined />} onClick={add} data-testid="option-add">
        {t('addOption')}
      </Button>
    </div>
  );
}
