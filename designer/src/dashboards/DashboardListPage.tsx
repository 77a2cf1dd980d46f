/**
 * 仪表盘: the dashboards the user may see (shared with them, their role or department, or
 * everyone); admins create, design and delete them here.
 */
import { DashboardOutlined, DeleteOutlined, EditOutlined, HeatMapOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Col, Empty, Popconfirm, Row, Space, Spin, Typography } from 'antd';
import { Link, useNavigate } from 'react-router';
import { useLoad } from '../api/useLoad.ts';
import { useUser } from '../auth/session.tsx';
import { pickText, useLocale, useMessages } from '../i18n/i18n.tsx';
import { dashboardsApi } from './api.ts';
import { messages } from './messages.ts';

export function DashboardListPage() {
  const t = useMessages(messages);
  const { locale } = useLocale();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const user = useUser();
  const isAdmin = user.role === 'admin';
  const list = useLoad(() => dashboardsApi.list(), []);

  const remove = async (id: string) => {
    try {
      await dashboardsApi.remove(id);
      message.success(t('deleted'));
      await list.reload();
    } catch (error) {
      message.error(t('saveFailed', { error: (error as Error).message }));
    }
  };

  return (
    <div data-testid="dashboard-list">
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 16 }}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('dashboards')}
        </Typography.Title>
        {isAdmin && (
          <Space>
            <Button icon={<HeatMapOutlined />} onClick={() => navigate('/dashboards/heatmap')} data-testid="dashboard-heatmap">
              {t('heatmap')}
            </Button>
            <Button type="primary" icon={<PlusOutlined />} onClick={() => navigate('/dashboards/new')} data-testid="dashboard-new">
              {t('newDashboard')}
            </Button>
          </Space>
        )}
      </Space>
      {list.error && <Alert type="error" showIcon title={t('loadFailed', { error: list.error.message })} />}
      {list.loading && !list.data && <Spin />}
      {list.data && list.data.length === 0 && <Empty description={t('emptyList')} />}
      <Row gutter={[16, 16]}>
        {(list.data ?? []).map((dashboard) => (
          <Col key={dashboard.id} xs={24} sm={12} lg={8}>
            <Card
              hoverable
              data-testid={`dashboard-card-${dashboard.key ?? dashboard.id}`}
              onClick={() => navigate(`/dashboards/${dashboard.id}`)}
              actions={
                isAdmin
                  ? [
                      <Link key="edit" to={`/dashboards/${dashboard.id}/design`} onClick={(event) => event.stopPropagation()}>
                        <EditOutlined /> {t('edit')}
                      </Link>,
                      <span key="delete" onClick={(event) => event.stopPropagation()}>
                        <Popconfirm title={t('deleteConfirm', { title: pickText(dashboard.title, locale) })} onConfirm={() => remove(dashboard.id)}>
                          <DeleteOutlined /> {t('delete')}
                        </Popconfirm>
                      </span>,
                    ]
                  : undefined
              }
            >
              <Card.Meta
                avatar={<DashboardOutlined style={{ fontSize: 28, color: '#1f6feb' }} />}
                title={pickText(dashboard.title, locale, t('untitled'))}
                description={dashboard.widgetCount !== undefined ? t('widgets', { count: dashboard.widgetCount }) : undefined}
              />
            </Card>
          </Col>
        ))}
      </Row>
    </div>
  );
}
