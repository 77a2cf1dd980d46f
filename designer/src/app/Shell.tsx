/**
 * The frame around every logged-in page: side menu built from the features, header with
 * the live-connection dot, the notification bell, language switch and the user's menu. Collapses to a drawer-like
 * narrow menu on a phone.
 */
import { LogoutOutlined } from '@ant-design/icons';
import { Badge, Button, Dropdown, Grid, Layout, Menu, Segmented, Space, Tooltip, Typography } from 'antd';
import type { ReactNode } from 'react';
import { Outlet, useLocation, useNavigate } from 'react-router';
import { useSession, useUser } from '../auth/session.tsx';
import { useLocale, useMessages } from '../i18n/i18n.tsx';
import { NotificationBell } from '../notifications/NotificationBell.tsx';
import { useRealtimeStatus } from '../realtime/socket.tsx';
import { features } from './features.ts';
import { selectedMenuPath } from './menuSelection.ts';

const messages = {
  zh: { product: '流转', live: '实时连接正常', offline: '实时连接已断开', logout: '退出登录' },
  en: { product: 'Liuzhuan', live: 'Live updates on', offline: 'Live updates off', logout: 'Sign out' },
};

export function Shell() {
  const t = useMessages(messages);
  const user = useUser();
  const { logout } = useSession();
  const { locale, setLocale } = useLocale();
  const { connected } = useRealtimeStatus();
  const navigate = useNavigate();
  const location = useLocation();
  const screens = Grid.useBreakpoint();
  const narrow = !screens.md;

  const entries = features.flatMap((feature) => feature.menu).filter((entry) => !entry.visible || entry.visible(user));
  const selected = selectedMenuPath(entries, location.pathname);

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Sider breakpoint="md" collapsedWidth={narrow ? 0 : 64} width={200} theme="light" data-testid="side-menu">
        <div className="brand">{t('product')}</div>
        <Menu
          mode="inline"
          selectedKeys={selected ? [selected] : []}
          onClick={({ key }) => navigate(key)}
          items={groupMenuItems(
            entries.map((entry) => ({
              key: entry.path,
              icon: entry.icon,
              label: (
                <span data-testid={`menu-${entry.path}`}>
                  {entry.label[locale]} {entry.badge?.()}
                </span>
              ),
            })),
            entries.map((entry) => entry.group?.[locale]),
          )}
        />
      </Layout.Sider>
      <Layout>
        <Layout.Header className="shell-header">
          <Space size="middle">
            <Tooltip title={connected ? t('live') : t('offline')}>
              <Badge status={connected ? 'success' : 'default'} data-testid={connected ? 'realtime-on' : 'realtime-off'} />
            </Tooltip>
            <NotificationBell />
            <Segmented size="small" value={locale} options={[{ label: '中', value: 'zh-CN' }, { label: 'EN', value: 'en' }]} onChange={(value) => setLocale(value as 'zh-CN' | 'en')} data-testid="locale-switch" />
            <Dropdown menu={{ items: [{ key: 'logout', icon: <LogoutOutlined />, label: t('logout'), onClick: () => void logout().then(() => navigate('/login')) }] }}>
              <Button type="text" data-testid="user-menu">
                <Typography.Text strong>{user.displayName || user.username}</Typography.Text>
              </Button>
            </Dropdown>
          </Space>
        </Layout.Header>
        <Layout.Content className="shell-content">
          <Outlet />
        </Layout.Content>
      </Layout>
    </Layout>
  );
}

type MenuItem = { key: string; icon?: ReactNode; label: ReactNode };
type MenuGroup = { type: 'group'; key: string; label: string; children: MenuItem[] };

/** Puts consecutive items that share a group heading under one antd menu group. */
function groupMenuItems(items: MenuItem[], groups: (string | undefined)[]): (MenuItem | MenuGroup)[] {
  const out: (MenuItem | MenuGroup)[] = [];
  items.forEach((item, index) => {
    const group = groups[index];
    const last = out[out.length - 1];
    if (!group) out.push(item);
    else if (last && 'type' in last && last.label === group) last.children.push(item);
    else out.push({ type: 'group', key: `group:${group}`, label: group, children: [item] });
  });
  return out;
}
