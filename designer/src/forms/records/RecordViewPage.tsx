/** `/forms/:key/records/:id`: one record, read-only, rendered with the form version it was stored with. */
import { useEffect, useState } from 'react';
import { Alert, Button, Card, Spin, Typography } from 'antd';
import { useNavigate, useParams } from 'react-router';
import { pickText, useLocale, useMessages, type LocalizedText } from '../../i18n/i18n.tsx';
import { formsApi, formTitle, type FormRecord, type FormVersion } from '../api.ts';
import { formsMessages } from '../i18n.ts';
import { FormRenderer } from '../renderer/FormRenderer.tsx';

export function RecordViewPage() {
  const { key = '', id = '' } = useParams();
  const t = useMessages(formsMessages);
  const { locale } = useLocale();
  const navigate = useNavigate();
  const [state, setState] = useState<{ record: FormRecord; form: FormVersion } | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    formsApi
      .record(key, id)
      .then(async (record) => ({ record, form: await formsApi.get(key, record.formVersion) }))
      .then(setState, (e: Error) => setError(e.message));
  }, [key, id]);

  if (error) return <Alert type="error" title={t('loadFailed')} description={error} />;
  if (!state) return <Spin />;
  return (
    <Card
      title={`${pickText(formTitle(state.form) as LocalizedText, locale)} · ${t('record')}`}
      extra={<Button onClick={() => navigate(`/forms/${key}/records`)} data-testid="record-back">{t('back')}</Button>}
      data-testid="record-view"
    >
      <Typography.Paragraph type="secondary" data-testid="record-version">
        {t('recordVersion', { version: state.record.formVersion })} · {new Date(state.record.createdAt).toLocaleString(locale)}
      </Typography.Paragraph>
      <FormRenderer schema={state.form.schema} uiSchema={state.form.uiSchema} formData={state.record.data} readOnly />
    </Card>
  );
}
