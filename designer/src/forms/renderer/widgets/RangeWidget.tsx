/**
 * `ui:widget: range` (the survey's 0–100 score): antd's slider alone shows no number — on a
 * phone its tooltip only flashes under the finger — so the chosen value is printed large beside
 * it and the ends are marked with min and max. Until something is chosen the readout says so:
 * a handle resting at the left end must not look like a chosen 0.
 */
import { Slider, Typography } from 'antd';
import { ariaDescribedByIds, rangeSpec, type WidgetProps } from '@rjsf/utils';
import type { CSSProperties } from 'react';

const TEXT = {
  'zh-CN': { none: '请拖动选择', chosen: '当前选择' },
  en: { none: 'Drag to choose', chosen: 'Chosen' },
} as const;

const styles = {
  row: { display: 'flex', alignItems: 'center', gap: 16 },
  slider: { flex: 1, minWidth: 0, margin: '10px 8px 24px' },
  readout: { minWidth: 56, textAlign: 'center', fontSize: 24, fontWeight: 600, lineHeight: 1.2 },
  hint: { fontSize: 13, fontWeight: 400 },
} satisfies Record<string, CSSProperties>;

export function RangeWidget(props: WidgetProps) {
  const { id, value, disabled, readonly, schema, registry, onChange, onBlur, onFocus } = props;
  const words = TEXT[registry.formContext?.locale === 'en' ? 'en' : 'zh-CN'];
  const { min = 0, max = 100, step = 1 } = rangeSpec(schema);
  const chosen = typeof value === 'number';
  return (
    <div style={styles.row}>
      <Slider
        id={id}
        style={styles.slider}
        min={min}
        max={max}
        step={step}
        value={chosen ? value : undefined}
        marks={{ [min]: String(min), [max]: String(max) }}
        disabled={disabled || readonly}
        onChange={readonly ? undefined : (next: number) => onChange(next)}
        onFocus={() => onFocus(id, value)}
        onBlur={() => onBlur(id, value)}
        aria-describedby={ariaDescribedByIds(id)}
      />
      <Typography.Text
        style={styles.readout}
        aria-live="polite"
        aria-label={chosen ? `${words.chosen} ${value}` : words.none}
        data-testid={`range-value-${id}`}
        data-value={chosen ? value : ''}
      >
        {chosen ? value : <span style={styles.hint}>{words.none}</span>}
      </Typography.Text>
    </div>
  );
}
