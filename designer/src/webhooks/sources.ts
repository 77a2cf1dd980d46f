/** What the pickers offer: forms and deployed processes (latest versions). */
import { useMemo } from 'react';
import { call } from '../api/client.ts';
import { useLoad } from '../api/useLoad.ts';

export const EVENTS = [
  'record.created',
  'record.updated',
  'record.deleted',
  'task.created',
  'task.assigned',
  'task.completed',
  'instance.started',
  'instance.finished',
] as const;

export function useSources() {
  const sources = useLoad(async () => {
    const [forms, definitions] = await Promise.all([call('listForms'), call('listDefinitions', { query: { latest: 'true' } })]);
    return { forms, definitions };
  }, []);
  return useMemo(
    () => ({
      forms: (sources.data?.forms ?? []).map((f) => ({ value: f.key, label: `${f.title}（${f.key}）` })),
      definitions: (sources.data?.definitions ?? []).map((d) => ({ value: d.key, label: d.name ? `${d.name}（${d.key}）` : d.key })),
    }),
    [sources.data],
  );
}
