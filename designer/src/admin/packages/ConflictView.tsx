/**
 * A merge conflict as an admin reads it: where (part · item · field, in words) and, for each
 * side, only what differs — `标题：管理员改的标题` against `标题：新版标题` — instead of the
 * raw JSON of the whole field or element.
 */
import { Typography } from 'antd';
import { useMessages } from '../../i18n/i18n.tsx';
import type { MergeConflict } from './api.ts';
import { packageMessages } from './i18n.ts';

const PART_WORD = {
  form: 'part_forms',
  workflow: 'part_workflows',
  routing: 'part_routing',
  automation: 'part_automations',
  messageTemplate: 'part_messageTemplates',
  printTemplate: 'part_printTemplates',
  dashboard: 'part_dashboards',
  permissions: 'part_permissions',
} as const;

const ASPECT_WORD = { ui: 'aspect_ui', required: 'aspect_required', di: 'aspect_di', extensions: 'aspect_extensions' } as const;

/** Setting names admins know by another word. */
const KEY_WORD = { title: 'key_title', enum: 'key_enum', type: 'key_type', name: 'key_name', condition: 'key_condition' } as const;

const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max)}…` : text);

function plain(value: unknown, max = 160): string {
  if (typeof value === 'string') return clip(value, max);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return clip(JSON.stringify(value) ?? '', max);
}

const isRecord = (value: unknown): value is Record<string, unknown> => !!value && typeof value === 'object' && !Array.isArray(value);

export function ConflictWhere({ conflict }: { conflict: MergeConflict }) {
  const t = useMessages(packageMessages);
  const part = PART_WORD[conflict.part as keyof typeof PART_WORD];
  const [path, aspect] = conflict.path.split('#') as [string, string | undefined];
  const aspectWord = aspect ? ASPECT_WORD[aspect as keyof typeof ASPECT_WORD] : undefined;
  const field = path === '(order)' ? t('aspect_order') : path;
  return (
    <span data-testid={`app-import-conflict-where-${conflict.id}`}>
      {part ? t(part) : conflict.part} · <Typography.Text code>{conflict.key}</Typography.Text>
      {field ? <> · <Typography.Text code>{field}</Typography.Text></> : null}
      {aspectWord ? ` · ${t(aspectWord)}` : aspect ? ` · ${aspect}` : null}
      {conflict.note ? <Typography.Paragraph type="secondary" style={{ margin: 0 }}>{conflict.note}</Typography.Paragraph> : null}
    </span>
  );
}

/** One side of a conflict: what it holds where the two sides differ. */
export function ConflictSide({ value, other }: { value: unknown; other: unknown }) {
  const t = useMessages(packageMessages);
  if (value === null || value === undefined) return <Typography.Text type="secondary">{t('absent')}</Typography.Text>;
  if (isRecord(value) && isRecord(other)) {
    const keys = [...new Set([...Object.keys(value), ...Object.keys(other)])].filter((key) => JSON.stringify(value[key]) !== JSON.stringify(other[key]));
    if (keys.length > 0) {
      return (
        <span>
          {keys.slice(0, 6).map((key) => {
            const word = KEY_WORD[key as keyof typeof KEY_WORD];
            return (
              <div key={key}>
                {word ? t(word) : key}：{key in value ? plain(value[key], 120) : <Typography.Text type="secondary">{t('absent')}</Typography.Text>}
              </div>
            );
          })}
        </span>
      );
    }
  }
  return <span>{plain(value)}</span>;
}
