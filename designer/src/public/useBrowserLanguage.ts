/**
 * A visitor of a public link has never chosen a language here: follow the browser's
 * (English for `en-*`, else Chinese) until they switch on the page, which is remembered.
 */
import { useEffect } from 'react';
import { useLocale } from '../i18n/i18n.tsx';

const STORAGE_KEY = 'liuzhuan.locale';

export function useBrowserLanguage(): void {
  const { locale, setLocale } = useLocale();
  useEffect(() => {
    if (localStorage.getItem(STORAGE_KEY)) return;
    const wanted = navigator.language?.toLowerCase().startsWith('en') ? 'en' : 'zh-CN';
    if (wanted !== locale) setLocale(wanted);
    // Once, on arrival: a later switch by the visitor is theirs.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
}
