/** `/forms/:key/records/new`: a plain record (no flow) on the form's latest version; 422 details beside the fields. */
import { useEffect, useRef, useState } from 'react';
import { Alert, App, Button, Card, Space, Spin } from 'antd';
import { useNavigate, useParams } from 'react-router';
import { ApiError, type ErrorDetail } from '../../api/client.ts';
import { pickText, useLocale, useMessages, type LocalizedText } from '../../i18n/i18n.tsx';
import { formsApi, formTitle, type FormVersion } from '../api.ts';
import { formsMessages } from '../i18n.ts';
import { FormRenderer, type FormRendererHandle } from '../renderer/FormRenderer.tsx';
import { writableForm } from '../../access/formShape.ts';
import { useMyAccess } from '../../access/useMyAccess.ts';

export function RecordCreatePage() {
  const { key = '' } = useParams();
  const t = useMessages(formsMessages);
  const { locale } = useLocale();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const renderer = useRef<FormRendererHandle>(null);
  const [form, setForm] = useState<FormVersion | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [data, setData] = useState<Record<string, unknown>>({});
  const [serverErrors, setServerErrors] = useState<ErrorDetail[]>([]);
  const [saving, setSaving] = useState(false);
  const rights = useMyAccess(key);

  useEffect(() => {
    formsApi.get(key).then(setForm, (e: Error) => setError(e.message));
  }, [key]);

  async function save(values: Record<string, unknown>) {
    setSaving(true);
    try {
      await formsApi.createRecord(key, values);
      setServerErrors([]);
      message.success(t('saved'));
      navigate(`/forms/${key}/records`);
    } catch (e) {
      if (e instanceof ApiError && e.details.length) {
        setServerErrors(e.details);
        message.error(t('fixErrors'));
      } else message.error((e as Error).message);
    } finally {
      setSaving(false);
    }
  }

  if (error) return <Alert type="error" title={t('loadFailed')} description={error} />;
  if (!form) return <Spin />;
  return (
    <Card title={`${pickText(formTitle(form) as LocalizedText, locale)} · ${t('newRecord')}`} data-testid="record-create">
      <FormRenderer
        ref={renderer}
        {...writableForm(form.schema, form.uiSchema ?? {}, rights, 'create')}
        formData={data}
        serverErrors={serverErrors}
        onChange={(next) => {
          // A server message goes away once its field is edited.
          const changed = (name: string) => JSON.stringify(next[name]) !== JSON.stringify(data[name]);
          if (serverErrors.some((d) => changed(d.pointer.split('/')[1] ?? ''))) {
            setServerErrors(serverErrors.filter((d) => !changed(d.pointer.split('/')[1] ?? '')));
          }
          setData(next);
        }}
        onSubmit={(values) => void save(values)}
      >
        <Space>
          <Button type="primary" htmlType="submit" loading={saving} data-testid="record-submit">
            {t('submit')}
          </Button>
          <Button onClick={() => navigate(`/forms/${key}/records`)} data-testid="record-cancel">
            {t('cancel')}
          </Button>
        </Space>
      </FormRenderer>
    </Card>
  );
}
