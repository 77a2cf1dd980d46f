/**
 * `/forms/new` and `/forms/:key/design`: palette | canvas | properties, like Jiandaoyun.
 * 发布 stores the designer state as a new form version (POST /api/forms); editing an
 * existing form starts from its latest version, with published field keys locked.
 */
import { useEffect, useMemo, useState } from 'react';
import { Alert, App, Button, Card, Input, Space, Spin, Tooltip, Typography } from 'antd';
import { EyeOutlined, SafetyOutlined, SendOutlined } from '@ant-design/icons';
import { useNavigate, useParams } from 'react-router';
import { ApiError } from '../../api/client.ts';
import { useMessages } from '../../i18n/i18n.tsx';
import { formsApi } from '../api.ts';
import { checkForm, type Problem } from '../model/checks.ts';
import { createField, type DesignField, type DesignForm, type FieldType } from '../model/fieldTypes.ts';
import { fromJsonSchema } from '../model/fromJsonSchema.ts';
import { toJsonSchema } from '../model/toJsonSchema.ts';
import { Canvas } from './Canvas.tsx';
import { FieldProperties } from './FieldProperties.tsx';
import { designerMessages } from './messages.ts';
import { Palette } from './Palette.tsx';
import { PreviewModal } from './PreviewModal.tsx';

function blankForm(): DesignForm {
  return { key: `form_${Date.now().toString(36)}`, title: { 'zh-CN': '', en: '' }, fields: [] };
}

export function FormDesignerPage() {
  const { key } = useParams();
  const t = useMessages(designerMessages);
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [form, setForm] = useState<DesignForm | null>(key ? null : blankForm());
  const [version, setVersion] = useState<number | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [problems, setProblems] = useState<Problem[]>([]);
  const [serverError, setServerError] = useState<ApiError | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [previewing, setPreviewing] = useState(false);
  const [publishing, setPublishing] = useState(false);

  useEffect(() => {
    if (!key) {
      setForm(blankForm());
      setVersion(null);
      return;
    }
    formsApi.get(key).then(
      (stored) => {
        const loaded = fromJsonSchema(stored.key, stored.title, stored.schema, stored.uiSchema);
        loaded.fields = loaded.fields.map((f) => ({ ...f, published: true }));
        setForm(loaded);
        setVersion(stored.version);
      },
      (e: Error) => setLoadError(e.message),
    );
  }, [key]);

  const problemKeys = useMemo(() => new Set(problems.map((p) => p.key).filter((k): k is string => !!k)), [problems]);
  if (loadError) return <Alert type="error" title={t('loadFailed')} description={loadError} />;
  if (!form) return <Spin style={{ display: 'block', marginTop: 80 }} />;

  const update = (next: DesignForm) => setForm(next);
  const setFields = (fields: DesignField[]) => update({ ...form, fields });
  const insert = (type: FieldType, at?: number) => {
    const field = createField(type, form.fields.map((f) => f.key));
    const index = at ?? (selected ? form.fields.findIndex((f) => f.key === selected) + 1 : form.fields.length);
    const fields = [...form.fields];
    fields.splice(index <= 0 && at === undefined ? fields.length : index, 0, field);
    setFields(fields);
    setSelected(field.key);
  };
  const move = (from: number, to: number) => {
    if (to < 0 || to >= form.fields.length || from === to) return;
    const fields = [...form.fields];
    const [field] = fields.splice(from, 1);
    fields.splice(to, 0, field);
    setFields(fields);
  };
  const remove = (index: number) => {
    const gone = form.fields[index].key;
    setFields(form.fields.filter((_, i) => i !== index).map((f) => (f.visibleWhen?.field === gone ? { ...f, visibleWhen: undefined } : f)));
    setSelected(null);
  };
  const change = (oldKey: string, next: DesignField) => {
    // A renamed key carries its visibility references along.
    const fields = form.fields.map((f) => {
      if (f.key === oldKey) return next;
      if (oldKey !== next.key && f.visibleWhen?.field === oldKey) return { ...f, visibleWhen: { ...f.visibleWhen, field: next.key } };
      return f;
    });
    setFields(fields);
    if (selected === oldKey) setSelected(next.key);
  };

  async function publish() {
    if (!form) return;
    setServerError(null);
    const found = checkForm(form);
    setProblems(found);
    if (found.length) return;
    setPublishing(true);
    try {
      const saved = await formsApi.publish(toJsonSchema(form));
      setVersion(saved.version);
      setForm({ ...form, fields: form.fields.map((f) => ({ ...f, published: true })) });
      message.success(t('published', { version: saved.version }));
      if (!key) navigate(`/forms/${saved.key}/design`, { replace: true });
    } catch (e) {
      if (e instanceof ApiError) setServerError(e);
      message.error(t('publishFailed'));
    } finally {
      setPublishing(false);
    }
  }

  const current = form.fields.find((f) => f.key === selected);
  return (
    <div data-testid="form-designer">
      <Card size="small" style={{ marginBottom: 12 }}>
        <Space wrap align="start" style={{ width: '100%', justifyContent: 'space-between' }}>
          <Space wrap>
            <Input style={{ width: 220 }} placeholder={t('formTitleZh')} value={form.title['zh-CN']} data-testid="form-title-zh" onChange={(e) => update({ ...form, title: { ...form.title, 'zh-CN': e.target.value } })} />
            <Input style={{ width: 200 }} placeholder={t('formTitleEn')} value={form.title.en} data-testid="form-title-en" onChange={(e) => update({ ...form, title: { ...form.title, en: e.target.value } })} />
            <Tooltip title={t('formKeyHelp')}>
              <Input style={{ width: 280 }} prefix={<Typography.Text type="secondary">{t('formKey')}</Typography.Text>} value={form.key} disabled={!!key} data-testid="form-key" onChange={(e) => update({ ...form, key: e.target.value.trim() })} />
            </Tooltip>
            {version !== null && <Typography.Text type="secondary" data-testid="form-version">v{version}</Typography.Text>}
          </Space>
          <Space>
            {key && (
              <Button icon={<SafetyOutlined />} onClick={() => navigate(`/forms/${key}/access`)} data-testid="form-designer-access">
                {t('access')}
              </Button>
            )}
            <Button icon={<EyeOutlined />} onClick={() => setPreviewing(true)} data-testid="form-preview">
              {t('preview')}
            </Button>
            <Button type="primary" icon={<SendOutlined />} loading={publishing} onClick={() => void publish()} data-testid="form-publish">
              {t('publish')}
            </Button>
          </Space>
        </Space>
        {problems.length > 0 && (
          <Alert
            type="warning"
            showIcon
            style={{ marginTop: 12 }}
            data-testid="designer-problems"
            title={t('fixFirst')}
            description={<ul style={{ margin: 0, paddingLeft: 18 }}>{problems.map((p, i) => <li key={i}>{t(p.code, p.params)}</li>)}</ul>}
          />
        )}
        {serverError && (
          <Alert
            type="error"
            showIcon
            closable
            onClose={() => setServerError(null)}
            style={{ marginTop: 12 }}
            data-testid="publish-error"
            title={`${t('publishFailed')}: ${serverError.message}`}
            description={serverError.details.length ? <ul style={{ margin: 0, paddingLeft: 18 }}>{serverError.details.map((d, i) => <li key={i}><code>{d.pointer || '/'}</code> {d.message}</li>)}</ul> : undefined}
          />
        )}
      </Card>
      <div style={{ display: 'flex', gap: 12, alignItems: 'flex-start' }}>
        <Card size="small" style={{ width: 230, flex: 'none', position: 'sticky', top: 12 }}>
          <Palette onAdd={(type) => insert(type)} />
        </Card>
        <Card size="small" style={{ flex: 1, minWidth: 0, background: '#f5f7fa' }}>
          <Canvas fields={form.fields} selected={selected} problems={problemKeys} onSelect={setSelected} onMove={move} onRemove={remove} onInsert={insert} />
        </Card>
        <Card size="small" title={t('properties')} style={{ width: 380, flex: 'none' }} data-testid="properties-pane">
          {current ? (
            <FieldProperties key={form.fields.indexOf(current)} field={current} fields={form.fields} onChange={(next) => change(current.key, next)} />
          ) : (
            <Typography.Text type="secondary">{t('selectField')}</Typography.Text>
          )}
        </Card>
      </div>
      <PreviewModal form={form} open={previewing} onClose={() => setPreviewing(false)} />
    </div>
  );
}
