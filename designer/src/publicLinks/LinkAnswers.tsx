/** The answers that came through one link: when, through which channel, and the record each became. */
import { List, Tag, Typography } from 'antd';
import { Link } from 'react-router';
import { call } from '../api/client.ts';
import { useLoad } from '../api/useLoad.ts';
import { useFormat } from '../i18n/format.ts';
import { useMessages } from '../i18n/i18n.tsx';
import { publicLinkMessages } from './i18n.ts';

export function LinkAnswers({ formKey, linkId }: { formKey: string; linkId: string }) {
  const t = useMessages(publicLinkMessages);
  const format = useFormat();
  const loaded = useLoad(() => call('listPublicLinkAnswers', { path: { key: formKey, id: linkId } }), [formKey, linkId]);
  return (
    <List
      size="small"
      loading={loaded.loading}
      dataSource={loaded.data ?? []}
      locale={{ emptyText: t('noAnswers') }}
      data-testid={`public-link-answers-${linkId}`}
      renderItem={(answer) => (
        <List.Item>
          <Typography.Text type="secondary">{format.dateTime(answer.answeredAt)}</Typography.Text>
          <span>
            {Object.entries(answer.channel).map(([name, value]) => (
              <Tag key={name}>{name === 'channel' ? value : `${name}: ${value}`}</Tag>
            ))}
          </span>
          {answer.recordId ? <Link to={`/forms/${formKey}/records/${answer.recordId}`}>{t('openRecord')}</Link> : <Typography.Text type="secondary">—</Typography.Text>}
        </List.Item>
      )}
    />
  );
}
