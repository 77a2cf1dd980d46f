/** A form's links: the address to copy, state, answers used of the most allowed, end date, withdraw. */
import { App, Button, Popconfirm, Space, Table, Tag, Typography } from 'antd';
import { CopyOutlined } from '@ant-design/icons';
import { useFormat } from '../i18n/format.ts';
import { useMessages } from '../i18n/i18n.tsx';
import { linkUrl, publicLinksApi, type PublicLink } from './api.ts';
import { publicLinkMessages } from './i18n.ts';
import { STATE_COLOURS, useCopyLink } from './linkDisplay.ts';
import { LinkAnswers } from './LinkAnswers.tsx';

export function PublicLinksTable({ formKey, links, loading, onChanged }: { formKey: string; links: PublicLink[]; loading: boolean; onChanged(link: PublicLink): void }) {
  const t = useMessages(publicLinkMessages);
  const format = useFormat();
  const { message } = App.useApp();
  const copy = useCopyLink();


  async function revoke(link: PublicLink) {
    try {
      onChanged(await publicLinksApi.revoke(formKey, link.id));
      message.success(t('revoked_done'));
    } catch (error) {
      message.error((error as Error).message);
    }
  }

  return (
    <Table<PublicLink>
      rowKey="id"
      size="small"
      loading={loading}
      dataSource={links}
      pagination={false}
      expandable={{
        // Who answered through the link, from which channel: shown when the admin opens the row.
        rowExpandable: (link) => link.useCount > 0,
        expandedRowRender: (link) => <LinkAnswers formKey={formKey} linkId={link.id} />,
      }}
      locale={{ emptyText: t('none') }}
      data-testid="public-link-list"
      columns={[
        {
          key: 'url',
          title: t('url'),
          render: (_, link) => (
            <Space direction="vertical" size={0}>
              {link.title && <Typography.Text strong>{link.title}</Typography.Text>}
              <Typography.Text copyable={false} code style={{ fontSize: 12, wordBreak: 'break-all' }} data-testid="public-link-url">
                {linkUrl(link)}
              </Typography.Text>
              {Object.keys(link.channel).length > 0 && (
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {t('channel')}: {Object.values(link.channel).join(', ')}
                </Typography.Text>
              )}
            </Space>
          ),
        },
        {
          key: 'state',
          title: t('state'),
          width: 80,
          render: (_, link) => <Tag color={STATE_COLOURS[link.state]}>{t(link.state)}</Tag>,
        },
        {
          key: 'uses',
          title: t('uses'),
          width: 90,
          render: (_, link) => `${format.number(link.useCount)} / ${link.maxUses === null ? t('unlimited') : format.number(link.maxUses)}`,
        },
        {
          key: 'expiresAt',
          title: t('expiresAt'),
          width: 120,
          render: (_, link) => (link.expiresAt ? format.dateTime(link.expiresAt) : t('never')),
        },
        {
          key: 'actions',
          title: '',
          render: (_, link) => (
            <Space>
              <Button size="small" icon={<CopyOutlined />} onClick={() => void copy(link)} data-testid="public-link-copy">
                {t('copy')}
              </Button>
              {link.state !== 'revoked' && (
                <Popconfirm title={t('revokeConfirm')} onConfirm={() => void revoke(link)}>
                  <Button size="small" danger data-testid="public-link-revoke">
                    {t('revoke')}
                  </Button>
                </Popconfirm>
              )}
            </Space>
          ),
        },
      ]}
    />
  );
}
