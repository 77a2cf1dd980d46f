/**
 * 自动分派: a form's ordered routing rules (GET/PUT /api/routing/:formKey). The first enabled
 * rule whose condition is true picks the department; otherwise the default queue. Conditions
 * are built from the form's fields with the shared condition builder (options by label). The
 * server's 422 details (`/rules/2/condition`: e.g. a value the select cannot hold) are shown
 * on the row they name.
 */
import { PlusOutlined, SaveOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Empty, Select, Space, Spin, Tag, Typography } from 'antd';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useSearchParams } from 'react-router';
import { api, call } from '../api/client.ts';
import type { Routing } from '../api/types.ts';
import { conditionFieldsOf } from '../conditions/conditionFields.ts';
import { useLocale, useMessages } from '../i18n/i18n.tsx';
import { RoutingRuleRow, type RuleDraft } from './RoutingRuleRow.tsx';
import { detailsByPointer, errorText, useDepartmentName, useOrganisation } from './shared.tsx';
import { useLoad } from '../api/useLoad.ts';


const messages = {
  zh: {
    title: '自动分派',
    intro: '新提交的数据按顺序逐条判断条件，第一条成立的规则决定分派到哪个部门的队列；都不成立时进入默认队列。',
    form: '表单',
    pickForm: '选择一个表单',
    routed: '已配置',
    rules: '规则（按顺序）',
    noRules: '还没有规则：所有数据都进入默认队列',
    add: '添加规则',
    defaultQueue: '默认队列',
    defaultHelp: '没有规则成立时分派到这里（必填）',
    save: '保存',
    saved: '已保存分派规则',
    failed: '保存失败：{reason}',
    loadFailed: '加载失败',
    unsaved: '有未保存的修改',
    notConfigured: '该表单还没有配置自动分派；保存后开始生效。',
  },
  en: {
    title: 'Auto-routing',
    intro: 'Each new record is checked against the rules in order; the first true condition picks the department queue, otherwise the default queue.',
    form: 'Form',
    pickForm: 'Pick a form',
    routed: 'routed',
    rules: 'Rules (in order)',
    noRules: 'No rules yet: every record goes to the default queue',
    add: 'Add rule',
    defaultQueue: 'Default queue',
    defaultHelp: 'Where records go when no rule matches (required)',
    save: 'Save',
    saved: 'Routing saved',
    failed: 'Could not save: {reason}',
    loadFailed: 'Could not load',
    unsaved: 'Unsaved changes',
    notConfigured: 'This form does not route its records yet; saving turns routing on.',
  },
};

let nextKey = 0;
const draftOf = (rule: Partial<RuleDraft>): RuleDraft => ({
  key: `rule-${(nextKey += 1)}`,
  name: '',
  condition: '',
  departmentId: undefined,
  enabled: true,
  ...rule,
});

export function RoutingPage() {
  const t = useMessages(messages);
  const { message } = App.useApp();
  const departmentName = useDepartmentName();
  const [params, setParams] = useSearchParams();
  const formKey = params.get('form') ?? undefined;
  const org = useOrganisation();
  const forms = useLoad(() => call('listForms'), []);
  const routedForms = useLoad(async () => {
    const apps = await call('listApps').catch(() => []);
    return new Set(apps.flatMap((app) => app.forms.filter((form) => form.routing).map((form) => form.key)));
  }, []);
  const routing = useLoad(() => (formKey ? api.get<Routing>(`/routing/${encodeURIComponent(formKey)}`) : Promise.resolve(undefined)), [formKey]);
  const form = useLoad(() => (formKey ? call('getForm', { path: { key: formKey } }) : Promise.resolve(undefined)), [formKey]);
  const { locale } = useLocale();
  const fields = useMemo(() => (form.data ? conditionFieldsOf(form.data, locale) : []), [form.data, locale]);

  const [rules, setRules] = useState<RuleDraft[]>([]);
  const [defaultDepartmentId, setDefaultDepartmentId] = useState<string | undefined>();
  const [errors, setErrors] = useState<{ byRule: Record<string, Record<string, string>>; other: Record<string, string> }>({ byRule: {}, other: {} });
  const [dirty, setDirty] = useState(false);
  const [saving, setSaving] = useState(false);
  // Whether the form routes its records (a default queue is saved): the loaded answer, then each save's.
  const [configured, setConfigured] = useState(false);
  const dragFrom = useRef<number | null>(null);

  useEffect(() => {
    const view = routing.data;
    setRules((view?.rules ?? []).map((rule) => draftOf(rule)));
    setDefaultDepartmentId(view?.defaultDepartmentId ?? undefined);
    setConfigured(Boolean(view?.defaultDepartmentId));
    setErrors({ byRule: {}, other: {} });
    setDirty(false);
  }, [routing.data]);

  const departmentOptions = useMemo(
    () => (org.data?.departments ?? []).map((d) => ({ value: d.id, label: `${departmentName(d)}（${d.code}）` })),
    [org.data, departmentName],
  );

  const edit = (next: RuleDraft[]) => {
    setRules(next);
    setDirty(true);
  };
  const move = (from: number, to: number) => {
    if (to < 0 || to >= rules.length || from === to) return;
    const next = [...rules];
    const [moved] = next.splice(from, 1);
    next.splice(to, 0, moved!);
    edit(next);
  };

  const save = async () => {
    if (!formKey) return;
    setSaving(true);
    const sent = rules;
    try {
      const body = {
        defaultDepartmentId: defaultDepartmentId ?? null,
        rules: sent.map(({ id, name, condition, departmentId, enabled }) => ({ id, name, condition, departmentId: departmentId ?? null, enabled })),
      };
      const saved = await api.put<Routing>(`/routing/${encodeURIComponent(formKey)}`, body);
      message.success(t('saved'));
      setRules(saved.rules.map((rule) => draftOf(rule)));
      setDefaultDepartmentId(saved.defaultDepartmentId ?? undefined);
      setConfigured(Boolean(saved.defaultDepartmentId));
      setErrors({ byRule: {}, other: {} });
      setDirty(false);
      void routedForms.reload();
    } catch (error) {
      // `/rules/<i>/<field>` belongs to the row that was at position i when we sent the list.
      const byRule: Record<string, Record<string, string>> = {};
      const other: Record<string, string> = {};
      for (const [pointer, text] of Object.entries(detailsByPointer(error))) {
        const match = /^\/rules\/(\d+)(?:\/(\w+))?/.exec(pointer);
        const rule = match ? sent[Number(match[1])] : undefined;
        if (rule) {
          const field = match![2] === 'condition' || match![2] === 'departmentId' ? match![2] : 'other';
          byRule[rule.key] = { ...byRule[rule.key], [field]: text };
        } else other[pointer] = text;
      }
      setErrors({ byRule, other });
      message.error(t('failed', { reason: errorText(error) }));
    } finally {
      setSaving(false);
    }
  };

  const loadError = forms.error ?? routing.error ?? org.error;
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }} data-testid="admin-routing">
      <div>
        <Typography.Title level={3}>{t('title')}</Typography.Title>
        <Typography.Text type="secondary">{t('intro')}</Typography.Text>
      </div>
      {loadError ? <Alert type="error" showIcon title={t('loadFailed')} description={errorText(loadError)} /> : null}
      <Space>
        <Typography.Text strong>{t('form')}</Typography.Text>
        <Select
          style={{ width: 320 }}
          placeholder={t('pickForm')}
          loading={forms.loading}
          value={formKey}
          showSearch
          optionFilterProp="title"
          data-testid="routing-form-select"
          onChange={(key: string) => setParams({ form: key })}
          options={(forms.data ?? []).map((form) => ({
            value: form.key,
            title: `${form.title} ${form.key}`,
            label: (
              <Space>
                {form.title}
                <Typography.Text type="secondary">{form.key}</Typography.Text>
                {routedForms.data?.has(form.key) ? <Tag color="blue">{t('routed')}</Tag> : null}
              </Space>
            ),
          }))}
        />
      </Space>
      {!formKey ? (
        <Empty description={t('pickForm')} />
      ) : (
        <Spin spinning={routing.loading || org.loading}>
          <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
            {routing.data && !configured && !dirty ? <Alert type="info" showIcon title={t('notConfigured')} data-testid="routing-not-configured" /> : null}
            <Card title={t('rules')} extra={<Button icon={<PlusOutlined />} onClick={() => edit([...rules, draftOf({})])} data-testid="routing-add-rule">{t('add')}</Button>}>
              {rules.length === 0 ? <Empty description={t('noRules')} image={Empty.PRESENTED_IMAGE_SIMPLE} /> : null}
              <Space orientation="vertical" style={{ width: '100%' }}>
                {rules.map((rule, index) => (
                  <RoutingRuleRow
                    key={rule.key}
                    index={index}
                    count={rules.length}
                    rule={rule}
                    errors={errors.byRule[rule.key] ?? {}}
                    fields={fields}
                    departmentOptions={departmentOptions}
                    onChange={(changed) => {
                      edit(rules.map((r) => (r.key === rule.key ? changed : r)));
                      setErrors((current) => ({ ...current, byRule: { ...current.byRule, [rule.key]: {} } }));
                    }}
                    onMove={(to) => move(index, to)}
                    onRemove={() => edit(rules.filter((r) => r.key !== rule.key))}
                    onDragStart={() => (dragFrom.current = index)}
                    onDrop={() => {
                      if (dragFrom.current !== null) move(dragFrom.current, index);
                      dragFrom.current = null;
                    }}
                  />
                ))}
              </Space>
            </Card>
            <Card title={t('defaultQueue')}>
              <Space orientation="vertical">
                <Select
                  style={{ width: 320 }}
                  value={defaultDepartmentId}
                  options={departmentOptions}
                  showSearch={{ optionFilterProp: 'label' }}
                  status={errors.other['/defaultDepartmentId'] ? 'error' : undefined}
                  data-testid="routing-default-department"
                  onChange={(id: string) => {
                    setDefaultDepartmentId(id);
                    setErrors((current) => ({ ...current, other: {} }));
                    setDirty(true);
                  }}
                />
                <Typography.Text type={errors.other['/defaultDepartmentId'] ? 'danger' : 'secondary'} data-testid="routing-default-department-help">
                  {errors.other['/defaultDepartmentId'] ?? t('defaultHelp')}
                </Typography.Text>
              </Space>
            </Card>
            <Space>
              <Button type="primary" icon={<SaveOutlined />} loading={saving} onClick={() => void save()} data-testid="routing-save">
                {t('save')}
              </Button>
              {dirty ? <Typography.Text type="warning">{t('unsaved')}</Typography.Text> : null}
            </Space>
          </Space>
        </Spin>
      )}
    </Space>
  );
}
