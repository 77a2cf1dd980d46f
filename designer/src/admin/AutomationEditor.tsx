/**
 * Create or edit an automation (POST /api/automations, PUT /api/automations/:id): trigger,
 * its form or process, an optional FEEL filter (checked as you type), and the actions. The
 * server's 422 details land on the field their pointer names. A scheduled automation (定时触发)
 * also has its schedule (AutomationSchedule.tsx), its filter is built with the shared
 * condition builder over the form's fields, and the stored one shows its next run.
 */
import { PlusOutlined } from '@ant-design/icons';
import { App, Button, Drawer, Form, Input, Select, Space, Switch, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { api, call } from '../api/client.ts';
import { useLoad } from '../api/useLoad.ts';
import { ConditionInput } from '../conditions/ConditionInput.tsx';
import { conditionFieldsOf } from '../conditions/conditionFields.ts';
import { useLocale } from '../i18n/i18n.tsx';
import type { Automation as ApiAutomation } from '../api/types.ts';
import { useMessages } from '../i18n/i18n.tsx';
import { AutomationActionEditor, emptyAction, type ActionDraft, type Choices } from './AutomationActionEditor.tsx';
import { AutomationScheduleInput } from './AutomationSchedule.tsx';
import { DEFAULT_TIME_ZONE, formatRunTime, scheduleDraftOf, type ScheduleDraft } from './automationSchedule.ts';
import { detailsByPointer, errorText, FeelInput, fieldError } from './shared.tsx';


/** An automation as the API answers it, its actions as the editor edits them. */
export type Automation = Omit<ApiAutomation, 'actions'> & { actions: ActionDraft[] };
type Draft = Omit<Automation, 'id' | 'updatedAt' | 'createdAt' | 'nextRunAt' | 'schedule'> & { schedule?: ScheduleDraft | null };

const messages = {
  zh: {
    create: '新建智能助手',
    edit: '编辑智能助手',
    name: '名称',
    trigger: '触发时机',
    'record.created': '新增数据时',
    'record.updated': '修改数据时',
    'process.finished': '流程结束时',
    schedule: '定时触发',
    form: '表单',
    scheduleForm: '对哪个表单的数据',
    scheduleFilter: '筛选条件（对每条数据分别判断；留空表示全部数据）',
    scheduleHelp: '每次到点，对表单中满足条件的每条数据执行一次下面的动作（以这条数据为上下文）。',
    nextRun: '下次运行：{time}',
    noNextRun: '已停用，不会运行',
    definition: '流程',
    filter: '触发条件（FEEL，可留空）',
    filterHelp: '例如 severity = "critical"；留空表示每次都执行',
    enabled: '启用',
    actions: '执行动作（按顺序）',
    addAction: '添加动作',
    save: '保存',
    cancel: '取消',
    saved: '已保存',
    failed: '保存失败：{reason}',
  },
  en: {
    create: 'New automation',
    edit: 'Edit automation',
    name: 'Name',
    trigger: 'Trigger',
    'record.created': 'When a record is created',
    'record.updated': 'When a record is updated',
    'process.finished': 'When a process finishes',
    schedule: 'On a schedule',
    form: 'Form',
    scheduleForm: 'Records of form',
    scheduleFilter: 'Condition (checked for each record; empty means every record)',
    scheduleHelp: 'At each run, the actions below run once for each record of the form that matches, with that record as context.',
    nextRun: 'Next run: {time}',
    noNextRun: 'Disabled: it will not run',
    definition: 'Process',
    filter: 'Condition (FEEL, optional)',
    filterHelp: 'e.g. severity = "critical"; empty runs every time',
    enabled: 'Enabled',
    actions: 'Actions (in order)',
    addAction: 'Add action',
    save: 'Save',
    cancel: 'Cancel',
    saved: 'Saved',
    failed: 'Could not save: {reason}',
  },
};

const blank = (): Draft => ({ name: '', trigger: 'record.created', formKey: null, definitionKey: null, filter: '', schedule: null, actions: [emptyAction('notify')], enabled: true });
const defaultSchedule = (): ScheduleDraft => ({ cron: '0 9 * * *', timeZone: DEFAULT_TIME_ZONE });

export function AutomationEditor(props: { open: boolean; automation: Automation | null; choices: Choices; onClose(saved: boolean): void }) {
  const t = useMessages(messages);
  const { locale } = useLocale();
  const { message } = App.useApp();
  const [draft, setDraft] = useState<Draft>(blank);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    if (!props.open) return;
    setErrors({});
    setDraft(props.automation ? { ...props.automation, filter: props.automation.filter ?? '', schedule: scheduleDraftOf(props.automation.schedule) } : blank());
  }, [props.open, props.automation]);

  const scheduled = draft.trigger === 'schedule';
  // The schedule's filter is built over the chosen form's fields.
  const form = useLoad(
    () => (scheduled && draft.formKey ? call('getForm', { path: { key: draft.formKey } }) : Promise.resolve(undefined)),
    [scheduled, draft.formKey],
  );
  const fields = useMemo(() => (form.data ? conditionFieldsOf(form.data, locale) : []), [form.data, locale]);

  /** Applies a change and drops the server's messages under `pointer`: they described the old value. */
  const change = (next: Draft, pointer: string) => {
    setDraft(next);
    setErrors((current) => Object.fromEntries(Object.entries(current).filter(([p]) => p !== pointer && !p.startsWith(`${pointer}/`))));
  };
  const byProcess = draft.trigger === 'process.finished';
  const save = async () => {
    setSaving(true);
    setErrors({});
    const body = {
      name: draft.name,
      trigger: draft.trigger,
      ...(byProcess ? { definitionKey: draft.definitionKey } : { formKey: draft.formKey }),
      ...(scheduled ? { schedule: draft.schedule ?? defaultSchedule() } : {}),
      filter: draft.filter?.trim() ? draft.filter : null,
      actions: draft.actions,
      enabled: draft.enabled,
    };
    try {
      if (props.automation) await api.put(`/automations/${props.automation.id}`, body);
      else await api.post('/automations', body);
      message.success(t('saved'));
      props.onClose(true);
    } catch (error) {
      setErrors(detailsByPointer(error));
      message.error(t('failed', { reason: errorText(error) }));
    } finally {
      setSaving(false);
    }
  };

  const item = (pointer: string) =>
    fieldError(errors[pointer], `automation-error-${pointer.slice(1)}`);

  return (
    <Drawer
      open={props.open}
      size="large"
      title={props.automation ? t('edit') : t('create')}
      onClose={() => props.onClose(false)}
      destroyOnHidden
      extra={
        <Space>
          <Button onClick={() => props.onClose(false)}>{t('cancel')}</Button>
          <Button type="primary" loading={saving} onClick={() => void save()} data-testid="automation-save">
            {t('save')}
          </Button>
        </Space>
      }
    >
      <Form layout="vertical" component="div" data-testid="automation-editor">
        <Form.Item label={t('name')} {...item('/name')}>
          <Input value={draft.name} onChange={(e) => change({ ...draft, name: e.target.value }, '/name')} data-testid="automation-name" />
        </Form.Item>
        <Space size="large" wrap>
          <Form.Item label={t('trigger')} {...item('/trigger')}>
            <Select
              style={{ width: 200 }}
              value={draft.trigger}
              data-testid="automation-trigger"
              onChange={(trigger: Draft['trigger']) =>
                change({ ...draft, trigger, schedule: trigger === 'schedule' ? (draft.schedule ?? defaultSchedule()) : null }, '/trigger')
              }
              options={(['record.created', 'record.updated', 'process.finished', 'schedule'] as const).map((value) => ({ value, label: t(value) }))}
            />
          </Form.Item>
          {byProcess ? (
            <Form.Item label={t('definition')} {...item('/definitionKey')}>
              <Select style={{ width: 260 }} value={draft.definitionKey ?? undefined} options={props.choices.definitions} showSearch optionFilterProp="label" onChange={(definitionKey: string) => change({ ...draft, definitionKey }, '/definitionKey')} data-testid="automation-definitionKey" />
            </Form.Item>
          ) : (
            <Form.Item label={scheduled ? t('scheduleForm') : t('form')} {...item('/formKey')}>
              <Select style={{ width: 260 }} value={draft.formKey ?? undefined} options={props.choices.forms} showSearch optionFilterProp="label" onChange={(formKey: string) => change({ ...draft, formKey }, '/formKey')} data-testid="automation-formKey" />
            </Form.Item>
          )}
          <Form.Item label={t('enabled')}>
            <Switch checked={draft.enabled} onChange={(enabled) => setDraft({ ...draft, enabled })} data-testid="automation-enabled" />
          </Form.Item>
        </Space>
        {scheduled ? (
          <>
            <Typography.Paragraph type="secondary">{t('scheduleHelp')}</Typography.Paragraph>
            <AutomationScheduleInput value={draft.schedule ?? null} errors={errors} onChange={(schedule) => change({ ...draft, schedule }, '/schedule')} />
            {props.automation?.trigger === 'schedule' ? (
              <Typography.Paragraph data-testid="automation-next-run" style={{ marginTop: 8 }}>
                {props.automation.nextRunAt ? t('nextRun', { time: formatRunTime(props.automation.nextRunAt, locale, scheduleDraftOf(props.automation.schedule)) }) : t('noNextRun')}
              </Typography.Paragraph>
            ) : null}
            <Form.Item label={t('scheduleFilter')} style={{ marginTop: 16 }}>
              <ConditionInput value={draft.filter ?? ''} onChange={(filter) => setDraft({ ...draft, filter })} fields={fields} testId="automation-condition" feelTestId="automation-filter" serverError={errors['/filter']} />
            </Form.Item>
          </>
        ) : (
          <Form.Item label={t('filter')} extra={t('filterHelp')}>
            <FeelInput optional value={draft.filter ?? ''} onChange={(filter) => setDraft({ ...draft, filter })} testId="automation-filter" serverError={errors['/filter']} />
          </Form.Item>
        )}
        <Form.Item label={t('actions')} {...item('/actions')}>
          <Space orientation="vertical" style={{ width: '100%' }}>
            {draft.actions.map((action, index) => (
              <AutomationActionEditor
                key={index}
                index={index}
                action={action}
                errors={errors}
                choices={props.choices}
                onChange={(changed) => change({ ...draft, actions: draft.actions.map((a, i) => (i === index ? changed : a)) }, `/actions/${index}`)}
                onRemove={() => change({ ...draft, actions: draft.actions.filter((_, i) => i !== index) }, '/actions')}
              />
            ))}
            <Button icon={<PlusOutlined />} onClick={() => setDraft({ ...draft, actions: [...draft.actions, emptyAction('notify')] })} data-testid="automation-add-action">
              {t('addAction')}
            </Button>
          </Space>
        </Form.Item>
      </Form>
    </Drawer>
  );
}
