/** 发起: a card per flow form the user can start (GET /api/flow-forms). */
import { FormOutlined } from '@ant-design/icons';
import { Card, Col, Empty, Result, Row, Spin, Typography } from 'antd';
import { useNavigate } from 'react-router';
import { useLocale, useMessages } from '../i18n/i18n.tsx';
import { useFormat } from '../i18n/format.ts';
import { useLoad } from '../api/useLoad.ts';
import { listFlowForms } from './flowForms.ts';
import { formTitle, processName } from './titles.ts';

const messages = {
  zh: {
    title: '发起流程',
    hint: '选择要填写的表单，提交后进入对应的审批流程。',
    empty: '还没有可发起的流程表单，请联系管理员绑定表单与流程',
    unsupported: '服务器暂不支持流程表单',
    failed: '加载失败：{error}',
    version: '流程版本 v{version}',
  },
  en: {
    title: 'Start a process',
    hint: 'Pick a form; submitting it starts its approval process.',
    empty: 'No flow forms yet; ask an administrator to bind a form to a process',
    unsupported: 'This server does not support flow forms yet',
    failed: 'Could not load: {error}',
    version: 'Process version {version}',
  },
};

export function StartPage() {
  const t = useMessages(messages);
  const { locale } = useLocale();
  const format = useFormat();
  const navigate = useNavigate();
  const forms = useLoad(listFlowForms, []);

  let body;
  if (forms.loading && !forms.data) body = <Spin size="large" style={{ display: 'block', margin: '60px auto' }} />;
  else if (forms.error) body = <Result status="error" title={t('failed', { error: forms.error.message })} />;
  else if (forms.data === null) body = <Empty description={t('unsupported')} data-testid="start-unsupported" />;
  else if (!forms.data?.length) body = <Empty description={t('empty')} data-testid="start-empty" />;
  else {
    body = (
      <Row gutter={[12, 12]}>
        {forms.data.map((form) => (
          <Col key={form.formKey} xs={24} sm={12} lg={8} xl={6}>
            <Card hoverable onClick={() => navigate(`/start/${encodeURIComponent(form.formKey)}`)} data-testid={`start-card-${form.formKey}`}>
              <Card.Meta
                avatar={<FormOutlined style={{ fontSize: 24, color: '#1f6feb' }} />}
                title={<span data-testid={`start-card-title-${form.formKey}`}>{formTitle(form, locale)}</span>}
                description={
                  <>
                    <div>{processName(form, locale)}</div>
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {t('version', { version: format.number(form.version) })}
                    </Typography.Text>
                  </>
                }
              />
            </Card>
          </Col>
        ))}
      </Row>
    );
  }

  return (
    <div data-testid="start-page">
      <Typography.Title level={4} style={{ marginTop: 0 }}>
        {t('title')}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{t('hint')}</Typography.Paragraph>
      {body}
    </div>
  );
}
