/** Money (2 decimals with the currency sign), serial number and formula result widgets. */
import { Input, InputNumber } from 'antd';
import type { WidgetProps } from '@rjsf/utils';

const SIGNS: Record<string, string> = { CNY: '¥', USD: '$', EUR: '€', HKD: 'HK$', JPY: '¥' };

function locale(props: WidgetProps): 'zh-CN' | 'en' {
  return props.registry.formContext?.locale ?? 'zh-CN';
}

export function formatMoney(value: unknown, currency = 'CNY'): string {
  if (typeof value !== 'number') return '';
  return `${SIGNS[currency] ?? currency + ' '}${value.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

/** Rounds to cents as it is typed: the server stores what is sent (it cannot use multipleOf 0.01 on floats). */
export function MoneyWidget(props: WidgetProps) {
  const currency = String(props.schema['x-currency'] ?? 'CNY');
  return (
    <InputNumber<number>
      id={props.id}
      style={{ width: '100%' }}
      value={typeof props.value === 'number' ? props.value : null}
      precision={2}
      prefix={SIGNS[currency] ?? currency}
      formatter={(v) => (v === undefined || v === null || v === ('' as unknown) ? '' : `${v}`.replace(/\B(?=(\d{3})+(?!\d))/g, ','))}
      parser={(v) => Number((v ?? '').replace(/,/g, ''))}
      disabled={props.disabled || props.readonly}
      placeholder={props.placeholder}
      onChange={(v) => props.onChange(v === null ? undefined : Math.round(v * 100) / 100)}
      onBlur={() => props.onBlur(props.id, props.value)}
    />
  );
}

export function SerialWidget(props: WidgetProps) {
  const hint = locale(props) === 'en' ? 'Generated on submit' : '提交后自动生成';
  return <Input id={props.id} value={props.value ?? ''} placeholder={hint} disabled data-testid="serial-value" />;
}

export function FormulaWidget(props: WidgetProps) {
  const shown = props.schema['x-widget'] === 'money' ? formatMoney(props.value, String(props.schema['x-currency'] ?? 'CNY')) : props.value;
  const hint = locale(props) === 'en' ? 'Calculated automatically' : '自动计算';
  return <Input id={props.id} value={shown === undefined || shown === null ? '' : String(shown)} placeholder={hint} disabled />;
}
