/**
 * Routing: `/login` is public; everything else sits behind the login gate inside the
 * shell. The home page is the staff inbox (or the forms list for admins when no inbox
 * route exists yet).
 */
import { App as AntApp, ConfigProvider, Spin } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import { createBrowserRouter, Navigate, Outlet, RouterProvider, useLocation } from 'react-router';
import { LoginPage } from '../auth/LoginPage.tsx';
import { PublicLinkPage } from '../public/PublicLinkPage.tsx';
import { SessionProvider, useSession } from '../auth/session.tsx';
import { LocaleProvider, useLocale } from '../i18n/i18n.tsx';
import { RealtimeProvider } from '../realtime/socket.tsx';
import { features } from './features.ts';
import { NotFoundPage } from './NotFoundPage.tsx';
import { usePrefersReducedMotion } from './reducedMotion.ts';
import { Shell } from './Shell.tsx';

function RequireLogin() {
  const { user, loading } = useSession();
  const location = useLocation();
  if (loading) return <Spin fullscreen />;
  if (!user) return <Navigate to="/login" replace state={{ from: location.pathname + location.search }} />;
  return (
    <RealtimeProvider enabled>
      <Outlet />
    </RealtimeProvider>
  );
}

function Home() {
  const first = features.flatMap((feature) => feature.menu)[0];
  return <Navigate to={first?.path ?? '/forms'} replace />;
}

const router = createBrowserRouter([
  { path: '/login', element: <LoginPage /> },
  // A public link (外链): no login, no shell.
  { path: '/p/:token', element: <PublicLinkPage /> },
  {
    element: <RequireLogin />,
    children: [
      {
        element: <Shell />,
        children: [{ index: true, element: <Home /> }, ...features.flatMap((feature) => feature.routes), { path: '*', element: <NotFoundPage /> }],
      },
    ],
  },
]);

function Themed() {
  const { locale } = useLocale();
  const reducedMotion = usePrefersReducedMotion();
  return (
    <ConfigProvider locale={locale === 'en' ? enUS : zhCN} theme={{ token: { colorPrimary: '#1f6feb', borderRadius: 6, motion: !reducedMotion } }}>
      <AntApp>
        <SessionProvider>
          <RouterProvider router={router} />
        </SessionProvider>
      </AntApp>
    </ConfigProvider>
  );
}

export function App() {
  return (
    <LocaleProvider>
      <Themed />
    </LocaleProvider>
  );
}
