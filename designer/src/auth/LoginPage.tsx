import { Alert, Button, Card, Form, Input, Segmented, Typography } from 'antd';
import { useState } from 'react';
import { useLocation, useNavigate } from 'react-router';
import { ApiError } from '../api/client.ts';
import { useLocale, useMessages } from '../i18n/i18n.tsx';
import { useSession } from './session.tsx';

const messages = {
  zh: { title: '流转 · 登录', username: '用户名', password: '密码', submit: '登录', failed: '登录失败', required: '请填写' },
  en: { title: 'Liuzhuan · Sign in', username: 'Username', password: 'Password', submit: 'Sign in', failed: 'Sign-in failed', required: 'Required' },
};

export function LoginPage() {
  const t = useMessages(messages);
  const { locale, setLocale } = useLocale();
  const { login } = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(values: { username: string; password: string }) {
    setBusy(true);
    setError(null);
    try {
      await login(values.username, values.password);
      const from = (location.state as { from?: string } | null)?.from;
      navigate(from && from !== '/login' ? from : '/', { replace: true });
    } catch (failure) {
      setError(failure instanceof ApiError ? failure.message : t('failed'));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="login-page">
      <Card style={{ width: 360 }}>
        <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center' }}>
          <Typography.Title level={3} style={{ margin: 0 }}>
            {t('title')}
          </Typography.Title>
          <Segmented size="small" value={locale} options={[{ label: '中', value: 'zh-CN' }, { label: 'EN', value: 'en' }]} onChange={(value) => setLocale(value as 'zh-CN' | 'en')} />
        </div>
        {error && <Alert style={{ marginTop: 16 }} type="error" title={error} showIcon data-testid="login-error" />}
        <Form layout="vertical" style={{ marginTop: 16 }} onFinish={submit}>
          <Form.Item label={t('username')} name="username" rules={[{ required: true, message: t('required') }]}>
            <Input autoFocus autoComplete="username" data-testid="login-username" />
          </Form.Item>
          <Form.Item label={t('password')} name="password" rules={[{ required: true, message: t('required') }]}>
            <Input.Password autoComplete="current-password" data-testid="login-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={busy} data-testid="login-submit">
            {t('submit')}
          </Button>
        </Form>
      </Card>
    </div>
  );
}
