import { Button, Result } from 'antd';
import { useNavigate } from 'react-router';
import { useMessages } from '../i18n/i18n.tsx';

const messages = {
  zh: { title: '页面不存在', back: '返回首页' },
  en: { title: 'This page does not exist', back: 'Back home' },
};

export function NotFoundPage() {
  const t = useMessages(messages);
  const navigate = useNavigate();
  return <Result status="404" title={t('title')} extra={<Button onClick={() => navigate('/')}>{t('back')}</Button>} />;
}
