/**
 * What a feature folder (forms/, flows/, inbox/, queue/, admin/) contributes to the shell:
 * its routes and its entries in the side menu. Each folder exports one `Feature` from its
 * `feature.tsx`; `app/features.ts` lists them in menu order.
 */
import type { ReactNode } from 'react';
import type { RouteObject } from 'react-router';
import type { CurrentUser } from '../api/types.ts';
import type { Locale } from '../i18n/i18n.tsx';

export interface MenuEntry {
  /** The path the entry opens; also the key that marks it selected (on it and on every page below it). */
  path: string;
  /** Pages under another entry's path that belong to this one (react-router patterns, e.g. `/forms/:key/records/*`). */
  pages?: string[];
  label: Record<Locale, string>;
  icon?: ReactNode;
  /** Hidden from users for whom this answers false (e.g. admin pages from staff). */
  visible?: (user: CurrentUser) => boolean;
  /** Shown beside the label, e.g. the live count of 待办. */
  badge?: () => ReactNode;
  /** Consecutive entries with the same group are shown under its heading (e.g. 管理). */
  group?: Record<Locale, string>;
}

export interface Feature {
  name: string;
  routes: RouteObject[];
  menu: MenuEntry[];
}

export const isAdmin = (user: CurrentUser) => user.role === 'admin';
