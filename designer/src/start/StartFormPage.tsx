/**
 * `/start/:formKey`: fill the flow form and 提交. The server stores the record and starts
 * the process in one transaction (201 → go to the instance); a 422 stores nothing and its
 * details are shown beside the fields.
 */
import { App, Button, Card, Flex, Input, Result, Spin, Typography } from 'antd';
import { useRef, useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { api, ApiError, type ErrorDetail } from '../api/client.ts';
import { FormRenderer } from '../forms/renderer/FormRenderer.tsx';
import { pickText, useLocale, useMessages, type LocalizedText } from '../i18n/i18n.tsx';
import { useLoad } from '../api/useLoad.ts';
import { refreshCounts } from '../inbox/counts.ts';
import { loadStartForm } from './flowForms.ts';
import { processName } from './titles.ts';

const messages = {
  zh: {
    submit: '提交',
    back: '返回',
    submitted: '已提交，流程已发起',
    invalid: '表单有错误，请按提示修改',
    notFound: '找不到此表单',
    comment: '附言（可选）',
    failed: '提交失败：{error}',
  },
  en: {
    submit: 'Submit',
    back: 'Back',
    submitted: 'Submitted; the process has started',
    invalid: 'The form has errors; please correct them',
    notFound: 'This form does not exist',
    comment: 'Note (optional)',
    failed: 'Could not submit: {error}',
  },
};

interface Submitted {
  record: { id: string };
  instance: { id: string; status: string };
}

export function StartFormPage() {
  const t = useMessages(messages);
  const { locale } = useLocale();
  const { formKey = '' } = useParams();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const formRef = useRef<{ submit(): void }>(null);
  const [data, setData] = useState<Record<string, unknown>>({});
  const [comment, setComment] = useState('');
  const [serverErrors, setServerErrors] = useState<ErrorDetail[]>([]);
  const [busy, setBusy] = useState(false);
  const form = useLoad(() => loadStartForm(formKey), [formKey]);

  const submit = async (values: Record<string, unknown>) => {
    setBusy(true);
    setServerErrors([]);
    try {
      const result = await api.post<Submitted>(`/forms/${encodeURIComponent(formKey)}/submit`, { data: values, comment: comment || undefined });
      message.success(t('submitted'));
      void refreshCounts();
      navigate(`/instances/${result.instance.id}`);
    } catch (err) {
      if (err instanceof ApiError && err.status === 422) {
        setServerErrors(err.details);
        message.error(err.details.length ? t('invalid') : err.message);
      } else {
        message.error(t('failed', { error: err instanceof Error ? err.message : String(err) }));
      }
    } finally {
      setBusy(false);
    }
  };

  if (!form.data) {
    if (form.loading) return <Spin size="large" style={{ display: 'block', margin: '80px auto' }} />;
    return <Result status="404" title={t('notFound')} subTitle={form.error?.message} extra={<Button onClick={() => navigate('/start')}>{t('back')}</Button>} />;
  }
  const start = form.data;

  return (
    <Card
      data-testid="start-form-page"
      title={
        <Flex vertical>
          <span data-testid="start-form-title">{pickText((start.uiSchema['ui:title'] as LocalizedText) || start.title, locale, formKey)}</span>
          {start.definitionName && start.definitionKey ? (
            <Typography.Text type="secondary" style={{ fontSize: 12, fontWeight: 'normal' }}>
              {processName({ definitionName: start.definitionName, definitionKey: start.definitionKey }, locale)}
            </Typography.Text>
          ) : null}
        </Flex>
      }
      style={{ maxWidth: 860 }}
    >
      <FormRenderer
        ref={formRef}
        schema={start.schema}
        uiSchema={start.uiSchema}
        formData={data}
        permissions={start.fieldPermissions}
        serverErrors={serverErrors}
        onChange={(next: Record<string, unknown>) => setData(next)}
        onSubmit={(values: Record<string, unknown>) => void submit(values)}
      />
      <Input.TextArea
        value={comment}
        onChange={(event) => setComment(event.target.value)}
        placeholder={t('comment')}
        autoSize={{ minRows: 1, maxRows: 4 }}
        maxLength={2000}
        style={{ marginTop: 12 }}
        data-testid="start-comment"
      />
      <Flex gap={8} style={{ marginTop: 16 }} wrap>
        <Button type="primary" loading={busy} onClick={() => formRef.current?.submit()} data-testid="start-submit">
          {t('submit')}
        </Button>
        <Button onClick={() => navigate('/start')}>{t('back')}</Button>
      </Flex>
    </Card>
  );
}
