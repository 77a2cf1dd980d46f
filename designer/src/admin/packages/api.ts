/** The app package endpoints (server/routes/appPackages.ts); uploads are multipart. */
import { api } from '../../api/client.ts';

export type PartStatus = 'new' | 'changed' | 'unchanged';

export interface PartChange {
  key: string;
  status: PartStatus;
  installedVersion?: number | null;
  fieldsAdded?: string[];
  fieldsRemoved?: string[];
  fieldsChanged?: string[];
}

export interface MergeConflict {
  id: string;
  part: string;
  key: string;
  path: string;
  base: unknown;
  ours: unknown;
  theirs: unknown;
  note?: string;
}

export interface MigrationOffer {
  processKey: string;
  from: { id: string; version: number };
  to: { id: string; version: number };
  movable: { instanceId: string; businessKey: string | null; waitingAt: string[] }[];
  notMovable: { instanceId: string; businessKey: string | null; reasons: string[] }[];
}

export interface PackagePreview {
  app: { key: string; version: string; name: { 'zh-CN': string; en: string } };
  mode: 'install' | 'upgrade' | 'reinstall' | 'downgrade';
  installedVersion: string | null;
  diff: Record<'forms' | 'workflows' | 'routing' | 'automations' | 'messageTemplates' | 'printTemplates' | 'dashboards' | 'roles' | 'permissions', PartChange[]> & {
    records: Record<string, number>;
  };
  merge: { changes: { part: string; key: string; path: string; kind: string }[]; conflicts: MergeConflict[] } | null;
  recordsIgnored: boolean;
  outcome: { applied: Record<string, number>; warnings: string[] };
  instanceMigrations?: MigrationOffer[];
}

async function upload(path: string, file: File, resolutions?: Record<string, 'ours' | 'theirs'>): Promise<PackagePreview> {
  const body = new FormData();
  body.append('file', file, file.name);
  if (resolutions) body.append('resolutions', JSON.stringify(resolutions));
  return api.upload<PackagePreview>(`/apps/packages/${path}`, body);
}

export const packagesApi = {
  preview: (file: File) => upload('preview', file),
  importPackage: (file: File, resolutions: Record<string, 'ours' | 'theirs'>) => upload('import', file, resolutions),
  exportUrl: (appKey: string, records: boolean) => `/api/apps/${encodeURIComponent(appKey)}/package${records ? '?records=true' : ''}`,
};
