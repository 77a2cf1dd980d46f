/**
 * `/forms/:key/records/:id`: one record, rendered with the form version it was stored with.
 * What the reader may do comes from the server's answer (`allowedActions`, the same rules
 * PUT and DELETE apply): edit (on the form's latest version, which a saved record moves to),
 * delete after a confirmation, print with the form's templates, and for a flow-form record
 * its process status with links to the instance and its history.
 */
import { useEffect, useState } from 'react';
import { Alert, App, Button, Card, Descriptions, Space, Spin } from 'antd';
import { DeleteOutlined, EditOutlined } from '@ant-design/icons';
import { Link, useNavigate, useParams } from 'react-router';
import { ApiError, type ErrorDetail } from '../../api/client.ts';
import { pickText, useLocale, useMessages, type LocalizedText } from '../../i18n/i18n.tsx';
import { useFormat } from '../../i18n/format.ts';
import { useUsers } from '../../instances/data.ts';
import { formsApi, formTitle, type FormVersion, type RecordDetail } from '../api.ts';
import { formsMessages } from '../i18n.ts';
import { FormRenderer } from '../renderer/FormRenderer.tsx';
import { recordMessages } from './i18n.ts';
import { PrintButton } from './PrintButton.tsx';
import { ProcessStatus } from './ProcessStatus.tsx';
import { StartFromRecord } from './StartFromRecord.tsx';
import { useMyAccess } from '../../access/useMyAccess.ts';
import { PersonalValues } from '../../privacy/PersonalValues.tsx';
import { recordFields } from './fields.ts';
import { visibleSchema, writableForm } from '../../access/formShape.ts';

interface Loaded {
  record: RecordDetail;
  /** The version the record was stored with (for viewing). */
  form: FormVersion;
}

export function RecordViewPage() {
  const { key = '', id = '' } = useParams();
  const t = useMessages(formsMessages);
  const tr = useMessages(recordMessages);
  const format = useFormat();
  const { locale } = useLocale();
  const { message, modal } = App.useApp();
  const navigate = useNavigate();
  const users = useUsers();
  const [state, setState] = useState<Loaded | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [reload, setReload] = useState(0);
  /** Set while editing: the latest form version and the data being edited. */
  const [editing, setEditing] = useState<{ form: FormVersion; data: Record<string, unknown> } | null>(null);
  const [serverErrors, setServerErrors] = useState<ErrorDetail[]>([]);
  const [saving, setSaving] = useState(false);
  const rights = useMyAccess(key);
  /** Personal values the reader chose to see in clear (显示), by field. */
  const [shown, setShown] = useState<Record<string, unknown>>({});

  useEffect(() => {
    formsApi
      .record(key, id)
      .then(async (record) => ({ record, form: await formsApi.get(key, record.formVersion) }))
      .then(setState, (e: Error) => setError(e.message));
    setShown({});
  }, [key, id, reload]);

  const failed = (e: unknown) => {
    const text = e instanceof Error ? e.message : String(e);
    message.error(e instanceof ApiError && (e.status === 409 || e.status === 403) ? tr('conflict', { error: text }) : tr('failed', { error: text }));
    // The instance may have moved on since the page loaded: show what is allowed now.
    if (e instanceof ApiError && (e.status === 409 || e.status === 403)) setReload((n) => n + 1);
  };

  const startEditing = async () => {
    try {
      const latest = await formsApi.get(key);
      setServerErrors([]);
      setEditing({ form: latest, data: state!.record.data });
    } catch (e) {
      failed(e);
    }
  };

  const save = async (data: Record<string, unknown>) => {
    setSaving(true);
    try {
      await formsApi.updateRecord(key, id, data);
      message.success(tr('saved'));
      setEditing(null);
      setReload((n) => n + 1);
    } catch (e) {
      if (e instanceof ApiError && e.details.length && e.status === 422) {
        setServerErrors(e.details);
        message.error(t('fixErrors'));
      } else failed(e);
    } finally {
      setSaving(false);
    }
  };

  const confirmDelete = () =>
    modal.confirm({
      title: tr('deleteTitle'),
      content: tr('deleteHint'),
      okText: tr('delete'),
      cancelText: tr('cancelEdit'),
      okButtonProps: { danger: true, 'data-testid': 'record-delete-confirm' } as never,
      onOk: async () => {
        try {
          await formsApi.deleteRecord(key, id);
          message.success(tr('deleted'));
          navigate(`/forms/${key}/records`);
        } catch (e) {
          failed(e);
        }
      },
    });

  if (error) return <Alert type="error" title={t('loadFailed')} description={error} />;
  if (!state) return <Spin />;
  const { record, form } = state;
  // Per record, from the server: edit, delete, print and unmask as the reader's groups give them here.
  const allowed = new Set<string>(record.allowedActions);
  const titles = Object.fromEntries(recordFields(form, locale).map((field) => [field.name, field.title]));
  // Fields the reader may not see are absent from the data; the form shows only the rest.
  const shownSchema = visibleSchema(form.schema, (field) => rights.sees(field));
  const data = { ...record.data, ...shown };
  const person = (userId: string | null) => (userId ? (users.find((user) => user.id === userId)?.displayName ?? '—') : '—');

  return (
    <Card
      title={`${pickText(formTitle(form) as LocalizedText, locale)} · ${t('record')}`}
      extra={
        <Space wrap>
          {!editing && <StartFromRecord formKey={record.formKey} recordId={record.id} />}
          {!editing && allowed.has('print') && <PrintButton record={record} />}
          {!editing && allowed.has('edit') && (
            <Button icon={<EditOutlined />} onClick={() => void startEditing()} data-testid="record-edit">
              {tr('edit')}
            </Button>
          )}
          {!editing && allowed.has('delete') && (
            <Button danger icon={<DeleteOutlined />} onClick={confirmDelete} data-testid="record-delete">
              {tr('delete')}
            </Button>
          )}
          <Button onClick={() => navigate(`/forms/${key}/records`)} data-testid="record-back">
            {t('back')}
          </Button>
        </Space>
      }
      data-testid="record-view"
    >
      <Descriptions
        size="small"
        column={{ xs: 1, sm: 2, lg: 3 }}
        style={{ marginBottom: 16 }}
        data-testid="record-meta"
        items={[
          { key: 'createdAt', label: t('createdAt'), children: format.dateTime(record.createdAt) },
          { key: 'createdBy', label: tr('createdBy'), children: person(record.createdBy) },
          { key: 'updatedAt', label: tr('updatedAt'), children: format.dateTime(record.updatedAt) },
          { key: 'version', label: t('version'), children: <span data-testid="record-version">{t('recordVersion', { version: record.formVersion })}</span> },
          ...(record.process
            ? [
                {
                  key: 'process',
                  label: tr('process'),
                  span: 2,
                  children: (
                    <Space wrap>
                      <ProcessStatus process={record.process} testid="record-process" />
                      {record.process.status !== 'deleted' && (
                        <Link to={`/instances/${record.process.instanceId}#history`} data-testid="record-process-history">
                          {tr('instanceHistory')}
                        </Link>
                      )}
                    </Space>
                  ),
                },
              ]
            : []),
        ]}
      />
      {!editing && (
        <PersonalValues
          formKey={key}
          recordId={id}
          personal={rights.personal}
          titles={titles}
          data={record.data}
          shown={shown}
          canUnmask={allowed.has('unmask')}
          onShown={(field, value) => setShown((current) => ({ ...current, [field]: value }))}
        />
      )}
      {editing ? (
        <FormRenderer
          {...writableForm(editing.form.schema, editing.form.uiSchema ?? {}, rights, 'edit')}
          formData={editing.data}
          serverErrors={serverErrors}
          onChange={(next) => setEditing({ ...editing, data: next })}
          onSubmit={(values) => void save(values)}
        >
          <Space>
            <Button type="primary" htmlType="submit" loading={saving} data-testid="record-save">
              {tr('save')}
            </Button>
            <Button onClick={() => setEditing(null)} data-testid="record-edit-cancel">
              {tr('cancelEdit')}
            </Button>
          </Space>
        </FormRenderer>
      ) : (
        <FormRenderer schema={shownSchema} uiSchema={form.uiSchema} formData={data} readOnly />
      )}
    </Card>
  );
}

