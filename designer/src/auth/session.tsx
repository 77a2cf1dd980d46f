/**
 * Who is logged in. The session lives in the httpOnly cookie the server sets at login, so
 * the page only asks `/api/auth/me` at start and after login; a 401 anywhere logs out.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { api, call } from '../api/client.ts';
import type { CurrentUser } from '../api/types.ts';

interface SessionValue {
  user: CurrentUser | null;
  loading: boolean;
  login(username: string, password: string): Promise<CurrentUser>;
  logout(): Promise<void>;
}

const SessionContext = createContext<SessionValue | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<CurrentUser | null>(null);
  const [loading, setLoading] = useState(true);

  useEffect(() => {
    api
      .get<CurrentUser>('/auth/me')
      .then(setUser)
      .catch(() => setUser(null))
      .finally(() => setLoading(false));
    const onUnauthorized = () => setUser(null);
    window.addEventListener('liuzhuan:unauthorized', onUnauthorized);
    return () => window.removeEventListener('liuzhuan:unauthorized', onUnauthorized);
  }, []);

  const login = useCallback(async (username: string, password: string) => {
    const result = await call('login', { body: { username, password } });
    const me = await api.get<CurrentUser>('/auth/me').catch(() => result.user);
    setUser(me);
    return me;
  }, []);

  const logout = useCallback(async () => {
    await api.post('/auth/logout').catch(() => undefined);
    setUser(null);
  }, []);

  const value = useMemo(() => ({ user, loading, login, logout }), [user, loading, login, logout]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside SessionProvider');
  return value;
}

/** The logged-in user; only for pages rendered behind the login gate. */
export function useUser(): CurrentUser {
  const { user } = useSession();
  if (!user) throw new Error('useUser on a page that does not require login');
  return user;
}
