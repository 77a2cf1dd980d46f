/**
 * Small data helpers the staff pages share: cached look-ups of people's display names and process names (each fetched once per page load).
 */
import { useCallback, useEffect, useState } from 'react';
import { call } from '../api/client.ts';
import type { Locale } from '../i18n/i18n.tsx';
import type { Definition, User } from '../api/types.ts';

let users: Promise<User[]> | null = null;
let definitions: Promise<Definition[]> | null = null;

export function loadUsers(): Promise<User[]> {
  users ??= call('listUsers').catch(() => {
    users = null;
    return [];
  });
  return users;
}

function loadDefinitions(): Promise<Definition[]> {
  definitions ??= call('listDefinitions').catch(() => {
    definitions = null;
    return [];
  });
  return definitions;
}

/** Every user (for pickers); empty until loaded. */
export function useUsers(): User[] {
  const [list, setList] = useState<User[]>([]);
  useEffect(() => {
    void loadUsers().then(setList);
  }, []);
  return list;
}

/** `name('zhangsan')` → "张三"; falls back to the username. */
export function useDisplayName(): (username: string | null | undefined) => string {
  const list = useUsers();
  return useCallback(
    (username) => {
      if (!username) return '—';
      return list.find((user) => user.username === username)?.displayName || username;
    },
    [list],
  );
}

/** `processName('purchase')` → the latest deployed name of that key, else the key. */
export function useProcessName(): (key: string | null | undefined) => string {
  const [list, setList] = useState<Definition[]>([]);
  useEffect(() => {
    void loadDefinitions().then(setList);
  }, []);
  return useCallback(
    (key) => {
      if (!key) return '—';
      const versions = list.filter((definition) => definition.key === key).sort((a, b) => b.version - a.version);
      return versions[0]?.name || key;
    },
    [list],
  );
}

/** Kept for the pages that pass the locale themselves; the format lives in i18n/format.ts. */
export { formatDateTime as formatTime } from '../i18n/format.ts';

/** The message to toast for a failed request. */
export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * The part of an instance's variables a form shows: its own fields only. Process variables
 * such as `recordId` or `approved` would otherwise fail `additionalProperties: false`.
 */
export function formFields(schema: Record<string, unknown>, data: Record<string, unknown>): Record<string, unknown> {
  const properties = schema.properties as Record<string, unknown> | undefined;
  if (!properties) return data;
  return Object.fromEntries(Object.entries(data).filter(([name]) => name in properties));
}
