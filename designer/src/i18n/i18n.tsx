/**
 * zh-CN first, English on a switch. Each feature keeps its own message table next to its
 * code (`const messages = {zh: {...}, en: {...}}`) and reads it with `useMessages`; texts
 * stored by the server may be plain strings or `{ "zh-CN": …, "en": … }` (see `pickText`).
 */
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';

export type Locale = 'zh-CN' | 'en';
const STORAGE_KEY = 'liuzhuan.locale';

function initialLocale(): Locale {
  const stored = typeof localStorage === 'undefined' ? null : localStorage.getItem(STORAGE_KEY);
  return stored === 'en' || stored === 'zh-CN' ? stored : 'zh-CN';
}

let active: Locale = initialLocale();
/** For code outside React (the API client's Accept-Language). */
export function currentLocale(): Locale {
  return active;
}

interface LocaleContextValue {
  locale: Locale;
  setLocale(locale: Locale): void;
}

const LocaleContext = createContext<LocaleContextValue>({ locale: active, setLocale: () => {} });

export function LocaleProvider({ children }: { children: ReactNode }) {
  const [locale, setState] = useState<Locale>(active);
  const setLocale = useCallback((next: Locale) => {
    active = next;
    localStorage.setItem(STORAGE_KEY, next);
    document.documentElement.lang = next;
    setState(next);
  }, []);
  const value = useMemo(() => ({ locale, setLocale }), [locale, setLocale]);
  return <LocaleContext.Provider value={value}>{children}</LocaleContext.Provider>;
}

export function useLocale(): LocaleContextValue {
  return useContext(LocaleContext);
}

export type MessageTable<K extends string> = { zh: Record<K, string>; en: Record<K, string> };

/**
 * `const t = useMessages(messages); t('save')`, with `{name}` placeholders filled from
 * `values`. A missing key shows the key itself, so a gap is visible rather than blank.
 */
export function useMessages<K extends string>(table: MessageTable<K>) {
  const { locale } = useLocale();
  return useCallback(
    (key: K, values?: Record<string, string | number>) => {
      const text = (locale === 'en' ? table.en : table.zh)[key] ?? key;
      return values ? text.replace(/\{(\w+)\}/g, (_, name: string) => String(values[name] ?? `{${name}}`)) : text;
    },
    [locale, table],
  );
}

/** A stored text: `"客户"` or `{"zh-CN": "客户", "en": "Customer"}`; falls back to any language. */
export type LocalizedText = string | Partial<Record<Locale, string>> | null | undefined;

export function pickText(text: LocalizedText, locale: Locale, fallback = ''): string {
  if (text === null || text === undefined) return fallback;
  if (typeof text === 'string') return text;
  return text[locale] ?? text['zh-CN'] ?? text.en ?? Object.values(text).find((value) => typeof value === 'string') ?? fallback;
}
