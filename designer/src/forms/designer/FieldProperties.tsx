/** The right pane: every property of the selected field (also used for sub-form columns, `nested`). */
import { Alert, Form, Input, InputNumber, Select, Switch, Typography } from 'antd';
import { useLocale, useMessages } from '../../i18n/i18n.tsx';
import { DEFAULT_FILE_SIZE, LAYOUT_TYPES, OPTION_TYPES, type DesignField } from '../model/fieldTypes.ts';
import { checkFormula } from '../model/formula.ts';
import { designerMessages } from './messages.ts';
import { LookupEditor } from './LookupEditor.tsx';
import { OptionsEditor } from './OptionsEditor.tsx';
import { SubformColumns } from './SubformColumns.tsx';
import { TextsInput } from './TextsInput.tsx';
import { VisibilityRuleEditor } from './VisibilityRuleEditor.tsx';
import { PERSONAL_KINDS, personalKindMessages, type PersonalKind } from '../../privacy/personalKinds.ts';

/** Fields whose values can be personal information (a text, a person's address, …). */
const PERSONAL_TYPES = ['text', 'textarea', 'address', 'number'];

const TEXTUAL = ['text', 'textarea', 'lookup'];
const NUMERIC = ['number', 'money'];
const LISTS = ['multiselect', 'checkbox', 'attachment', 'image', 'subform'];
const PLACEHOLDER = ['text', 'textarea', 'number', 'money', 'lookup', 'member', 'department', 'select'];

interface Props {
  field: DesignField;
  /** All fields of the same level (visibility rules, formulas refer to them). */
  fields: DesignField[];
  onChange(field: DesignField): void;
  nested?: boolean;
}

const num = (v: number | string | null) => (v === null || v === '' ? undefined : Number(v));

export function FieldProperties({ field, fields, onChange, nested }: Props) {
  const t = useMessages(designerMessages);
  const tp = useMessages(personalKindMessages);
  const { locale } = useLocale();
  const set = (patch: Partial<DesignField>) => {
    const next = { ...field, ...patch };
    for (const k of Object.keys(patch) as (keyof DesignField)[]) if (next[k] === undefined) delete next[k];
    onChange(next);
  };
  const prefix = nested ? 'col-prop' : 'prop';
  if (field.type === 'raw') return <Alert type="info" title={t('rawField')} description={<pre style={{ fontSize: 11 }}>{JSON.stringify(field.raw?.schema, null, 2)}</pre>} />;
  if (LAYOUT_TYPES.includes(field.type)) {
    return (
      <Form layout="vertical" component="div">
        <Form.Item label={t('layoutText')}>
          <TextsInput value={field.label} onChange={(label) => set({ label })} testid={`${prefix}-label`} multiline={field.type === 'description'} />
        </Form.Item>
      </Form>
    );
  }
  const formulaError = field.type === 'formula' ? checkFormula(field.formula ?? '') : null;
  return (
    <Form layout="vertical" component="div" size="small" data-testid={nested ? 'column-properties' : 'field-properties'}>
      <Form.Item label={t('label')}>
        <TextsInput value={field.label} onChange={(label) => set({ label })} testid={`${prefix}-label`} />
      </Form.Item>
      <Form.Item label={t('key')} help={field.published ? t('keyLocked') : undefined}>
        <Input value={field.key} disabled={field.published} data-testid={`${prefix}-key`} onChange={(e) => set({ key: e.target.value.trim() })} />
      </Form.Item>
      {field.type !== 'serial' && field.type !== 'formula' && (
        <Form.Item label={t('required')}>
          <Switch checked={!!field.required} data-testid={`${prefix}-required`} onChange={(required) => set({ required: required || undefined })} />
        </Form.Item>
      )}
      {!nested && (
        <Form.Item label={t('help')}>
          <TextsInput value={field.help} onChange={(help) => set({ help })} testid={`${prefix}-help`} />
        </Form.Item>
      )}
      {PLACEHOLDER.includes(field.type) && !nested && (
        <Form.Item label={t('placeholder')}>
          <TextsInput value={field.placeholder} onChange={(placeholder) => set({ placeholder })} testid={`${prefix}-placeholder`} />
        </Form.Item>
      )}
      {TEXTUAL.includes(field.type) && (
        <>
          <Form.Item label={`${t('minLength')} / ${t('maxLength')}`}>
            <InputNumber min={0} value={field.minLength} data-testid={`${prefix}-minLength`} onChange={(v) => set({ minLength: num(v) })} />
            {' – '}
            <InputNumber min={1} value={field.maxLength} data-testid={`${prefix}-maxLength`} onChange={(v) => set({ maxLength: num(v) })} />
          </Form.Item>
          {field.type === 'text' && (
            <Form.Item label={t('pattern')}>
              <Input value={field.pattern} placeholder="^[A-Z0-9-]+$" data-testid={`${prefix}-pattern`} onChange={(e) => set({ pattern: e.target.value || undefined })} />
            </Form.Item>
          )}
        </>
      )}
      {NUMERIC.includes(field.type) && (
        <Form.Item label={`${t('min')} / ${t('max')}`}>
          <InputNumber value={field.minimum} data-testid={`${prefix}-min`} onChange={(v) => set({ minimum: num(v) })} />
          {' – '}
          <InputNumber value={field.maximum} data-testid={`${prefix}-max`} onChange={(v) => set({ maximum: num(v) })} />
        </Form.Item>
      )}
      {field.type === 'number' && (
        <Form.Item label={t('integer')}>
          <Switch checked={!!field.integer} data-testid={`${prefix}-integer`} onChange={(integer) => set({ integer: integer || undefined })} />
        </Form.Item>
      )}
      {field.type === 'money' && (
        <Form.Item label={t('currency')}>
          <Select value={field.currency ?? 'CNY'} data-testid={`${prefix}-currency`} options={['CNY', 'USD', 'EUR', 'HKD', 'JPY'].map((c) => ({ value: c, label: c }))} onChange={(currency) => set({ currency })} />
        </Form.Item>
      )}
      {(field.type === 'text' || field.type === 'textarea' || NUMERIC.includes(field.type)) && (
        <Form.Item label={t('defaultValue')}>
          {NUMERIC.includes(field.type) ? (
            <InputNumber value={field.defaultValue as number | undefined} data-testid={`${prefix}-default`} onChange={(v) => set({ defaultValue: num(v) })} />
          ) : (
            <Input value={(field.defaultValue as string | undefined) ?? ''} data-testid={`${prefix}-default`} onChange={(e) => set({ defaultValue: e.target.value || undefined })} />
          )}
        </Form.Item>
      )}
      {OPTION_TYPES.includes(field.type) && (
        <>
          <Form.Item label={t('options')}>
            {/* A sub-form column does not know whether its form was published: its options count as published. */}
            <OptionsEditor options={field.options ?? []} locked={nested || !!field.published} onChange={(options) => set({ options, defaultValue: undefined })} />
          </Form.Item>
          {(field.type === 'select' || field.type === 'radio') && (
            <Form.Item label={t('defaultValue')}>
              <Select allowClear value={field.defaultValue as string | undefined} data-testid={`${prefix}-default`} options={(field.options ?? []).map((o) => ({ value: o.value, label: o.label[locale] || o.label['zh-CN'] || o.value }))} onChange={(v) => set({ defaultValue: v ?? undefined })} />
            </Form.Item>
          )}
        </>
      )}
      {LISTS.includes(field.type) && (
        <Form.Item label={`${t('minItems')} / ${t('maxItems')}`}>
          <InputNumber min={0} value={field.minItems} data-testid={`${prefix}-minItems`} onChange={(v) => set({ minItems: num(v) })} />
          {' – '}
          <InputNumber min={1} value={field.maxItems} data-testid={`${prefix}-maxItems`} onChange={(v) => set({ maxItems: num(v) })} />
        </Form.Item>
      )}
      {(field.type === 'attachment' || field.type === 'image') && (
        <Form.Item label={t('maxFileSize')} extra={t('noUpload')}>
          <InputNumber min={1} max={1800} value={Math.round((field.maxFileSize ?? DEFAULT_FILE_SIZE) / 1024)} data-testid={`${prefix}-maxFileSize`} onChange={(v) => set({ maxFileSize: (num(v) ?? 512) * 1024 })} />
        </Form.Item>
      )}
      {field.type === 'serial' && (
        <Form.Item label={`${t('serialPrefix')} / ${t('serialDigits')}`} extra={t('serialHint')}>
          <Input style={{ width: 120 }} value={field.serial?.prefix} data-testid={`${prefix}-serial-prefix`} onChange={(e) => set({ serial: { prefix: e.target.value, digits: field.serial?.digits ?? 6 } })} />{' '}
          <InputNumber min={1} max={12} value={field.serial?.digits} data-testid={`${prefix}-serial-digits`} onChange={(v) => set({ serial: { prefix: field.serial?.prefix ?? '', digits: num(v) ?? 6 } })} />
        </Form.Item>
      )}
      {field.type === 'lookup' && <LookupEditor value={field.lookup ?? { form: '', field: '' }} onChange={(lookup) => set({ lookup })} />}
      {field.type === 'formula' && (
        <>
          <Form.Item label={t('formula')} extra={t('formulaHint')} validateStatus={formulaError ? 'error' : 'success'} help={<span data-testid={`${prefix}-formula-status`}>{formulaError ?? t('formulaOk')}</span>}>
            <Input.TextArea rows={2} value={field.formula} data-testid={`${prefix}-formula`} onChange={(e) => set({ formula: e.target.value })} style={{ fontFamily: 'monospace' }} />
          </Form.Item>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {fields.filter((f) => f.key !== field.key && !LAYOUT_TYPES.includes(f.type)).map((f) => f.key).join(' · ')}
          </Typography.Text>
          <Form.Item label={t('formulaType')}>
            <Select value={field.formulaType ?? 'number'} data-testid={`${prefix}-formulaType`} options={[{ value: 'number', label: t('number') }, { value: 'string', label: t('text') }]} onChange={(formulaType) => set({ formulaType })} />
          </Form.Item>
        </>
      )}
      {field.type === 'subform' && <SubformColumns field={field} onChange={(columns) => set({ columns })} />}
      {!nested && PERSONAL_TYPES.includes(field.type) && (
        <Form.Item label={t('personal')} extra={t('personalHelp')}>
          <Select
            allowClear
            placeholder={t('personalNone')}
            value={field.personal}
            data-testid={`${prefix}-personal`}
            options={PERSONAL_KINDS.map((kind) => ({ value: kind, label: tp(kind) }))}
            onChange={(personal: PersonalKind | undefined) => set({ personal: personal ?? undefined })}
          />
        </Form.Item>
      )}
      {!nested && (
        <Form.Item label={t('visibility')}>
          <VisibilityRuleEditor field={field} fields={fields} onChange={(visibleWhen) => set({ visibleWhen })} />
        </Form.Item>
      )}
    </Form>
  );
}
