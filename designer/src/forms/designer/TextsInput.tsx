/** Edits a `{zh-CN, en}` text as two inputs (中文 / English). */
import { Input, Space } from 'antd';
import type { Texts } from '../model/fieldTypes.ts';

export function TextsInput(props: { value?: Texts; onChange(value: Texts): void; testid: string; multiline?: boolean; disabled?: boolean }) {
  const value = props.value ?? { 'zh-CN': '', en: '' };
  const common = (lang: 'zh-CN' | 'en') => ({
    value: value[lang],
    placeholder: lang === 'en' ? 'English' : '中文',
    disabled: props.disabled,
    'data-testid': `${props.testid}-${lang === 'en' ? 'en' : 'zh'}`,
    onChange: (e: { target: { value: string } }) => props.onChange({ ...value, [lang]: e.target.value }),
  });
  return (
    <Space.Compact orientation="vertical" style={{ width: '100%' }}>
      {props.multiline ? <Input.TextArea rows={2} {...common('zh-CN')} /> : <Input prefix={<span className="lz-lang">中</span>} {...common('zh-CN')} />}
      {props.multiline ? <Input.TextArea rows={2} {...common('en')} /> : <Input prefix={<span className="lz-lang">EN</span>} {...common('en')} />}
    </Space.Compact>
  );
}
