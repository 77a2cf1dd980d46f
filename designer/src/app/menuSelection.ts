/**
 * Which side-menu entry a page belongs to. An entry owns its own path and everything below it
 * (`/flows/…` is 流程), the longest such path winning; an entry may also claim pages under
 * another entry's path with `pages` patterns (a form's records, `/forms/:key/records/*`, are
 * 数据 although they sit under 表单's `/forms`). A claim wins over a prefix.
 */
import { matchPath } from 'react-router';
import type { MenuEntry } from './feature.ts';

export function selectedMenuPath(entries: readonly Pick<MenuEntry, 'path' | 'pages'>[], pathname: string): string | undefined {
  const claimed = entries.find((entry) => entry.pages?.some((pattern) => matchPath(pattern, pathname)));
  if (claimed) return claimed.path;
  return entries
    .map((entry) => entry.path)
    .filter((path) => pathname === path || pathname.startsWith(`${path}/`))
    .sort((a, b) => b.length - a.length)[0];
}
