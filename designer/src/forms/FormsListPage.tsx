/** `/forms` (admins: design actions) and `/data` (everyone): the latest version of every form. */
import { formatDateTime } from '../i18n/format.ts';
import { useEffect, useState } from 'react';
import { Alert, Button, Card, Space, Table, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { Link, useNavigate } from 'react-router';
import { useUser } from '../auth/session.tsx';
import { pickText, useLocale, useMessages, type LocalizedText } from '../i18n/i18n.tsx';
import { formsApi, formTitle, type FormVersion } from './api.ts';
import { formsMessages } from './i18n.ts';

export function FormsListPage({ design }: { design: boolean }) {
  const t = useMessages(formsMessages);
  const { locale } = useLocale();
  const user = useUser();
  const navigate = useNavigate();
  const [forms, setForms] = useState<FormVersion[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const canDesign = design && user.role === 'admin';

  useEffect(() => {
    formsApi.list().then(setForms, (e: Error) => setError(e.message));
  }, []);

  return (
    <Card
      title={design ? t('forms') : t('data')}
      extra={
        canDesign && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => navigate('/forms/new')} data-testid="forms-new">
            {t('newForm')}
          </Button>
        )
      }
    >
      {error && <Alert type="error" title={t('loadFailed')} description={error} style={{ marginBottom: 12 }} />}
      <Table<FormVersion>
        rowKey="key"
        loading={forms === null && !error}
        dataSource={forms ?? []}
        pagination={false}
        locale={{ emptyText: t('noForms') }}
        onRow={(form) => ({ 'data-testid': `form-row-${form.key}` }) as React.HTMLAttributes<HTMLElement>}
        columns={[
          { title: t('title'), render: (_, form) => <Link to={`/forms/${form.key}/records`}>{pickText(formTitle(form) as LocalizedText, locale)}</Link> },
          { title: t('key'), dataIndex: 'key', render: (key: string) => <Typography.Text code>{key}</Typography.Text> },
          { title: t('version'), dataIndex: 'version', render: (v: number) => `v${v}` },
          { title: t('updated'), dataIndex: 'createdAt', render: (at: string) => formatDateTime(at, locale) },
          {
            title: t('actions'),
            render: (_, form) => (
              <Space>
                {canDesign && (
                  <Button size="small" onClick={() => navigate(`/forms/${form.key}/design`)} data-testid={`form-design-${form.key}`}>
                    {t('design')}
                  </Button>
                )}
                {canDesign && (
                  <Button size="small" onClick={() => navigate(`/forms/${form.key}/access`)} data-testid={`form-access-${form.key}`}>
                    {t('access')}
                  </Button>
                )}
                <Button size="small" onClick={() => navigate(`/forms/${form.key}/records`)} data-testid={`form-data-${form.key}`}>
                  {t('openData')}
                </Button>
              </Space>
            ),
          },
        ]}
      />
    </Card>
  );
}
