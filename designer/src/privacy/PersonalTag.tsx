/** The small 个人信息 tag beside a personal field (field lists, permission groups, the designer). */
import { LockOutlined } from '@ant-design/icons';
import { Tag, Tooltip } from 'antd';
import { useMessages } from '../i18n/i18n.tsx';
import { personalKindMessages, type PersonalKind } from './personalKinds.ts';

export function PersonalTag({ kind }: { kind: PersonalKind | string | undefined }) {
  const t = useMessages(personalKindMessages);
  if (!kind) return null;
  const label = kind in personalKindMessages.zh ? t(kind as PersonalKind) : kind;
  return (
    <Tooltip title={t('personal')}>
      <Tag icon={<LockOutlined />} color="orange" style={{ marginInlineEnd: 0 }} data-testid="personal-tag">
        {label}
      </Tag>
    </Tooltip>
  );
}
