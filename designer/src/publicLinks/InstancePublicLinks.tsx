/**
 * On an instance page: the public links the process made for its customer (the survey, the
 * complaint confirmation), so the owner can copy one and send it by chat or text. Shown only
 * when there is one; live with the page's refresh.
 */
import { Button, Card, List, Space, Tag, Typography } from 'antd';
import { CopyOutlined } from '@ant-design/icons';
import { call } from '../api/client.ts';
import { useLoad } from '../api/useLoad.ts';
import { useFormat } from '../i18n/format.ts';
import { useMessages } from '../i18n/i18n.tsx';
import { linkUrl, type PublicLink } from './api.ts';
import { publicLinkMessages } from './i18n.ts';
import { STATE_COLOURS, useCopyLink } from './linkDisplay.ts';

export function InstancePublicLinks({ instanceId, refreshKey }: { instanceId: string; refreshKey: number }) {
  const t = useMessages(publicLinkMessages);
  const format = useFormat();
  const copy = useCopyLink();
  const loaded = useLoad(() => call('listInstancePublicLinks', { path: { id: instanceId } }), [instanceId, refreshKey]);
  const links = loaded.data ?? [];
  if (links.length === 0) return null;


  return (
    <Card size="small" title={t('instanceLinks')} data-testid="instance-public-links">
      <List
        size="small"
        dataSource={links}
        renderItem={(link) => (
          <List.Item
            actions={
              link.state === 'open'
                ? [
                    <Button key="copy" size="small" icon={<CopyOutlined />} onClick={() => void copy(link)}>
                      {t('copy')}
                    </Button>,
                  ]
                : []
            }
          >
            <Space direction="vertical" size={0} style={{ minWidth: 0 }}>
              <Space wrap>
                <Tag color={STATE_COLOURS[link.state]}>{t(link.state)}</Tag>
                {link.expiresAt && (
                  <Typography.Text type="secondary">
                    {t('expiresAt')} {format.dateTime(link.expiresAt)}
                  </Typography.Text>
                )}
              </Space>
              <Typography.Text code style={{ fontSize: 12, wordBreak: 'break-all' }}>
                {linkUrl(link)}
              </Typography.Text>
            </Space>
          </List.Item>
        )}
      />
    </Card>
  );
}
