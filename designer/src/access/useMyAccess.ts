/**
 * The caller's rights on a form (GET /api/forms/:key/my-access), for showing only the buttons
 * and columns that will work. The server enforces every one of them; this only keeps the page
 * from offering what it would refuse. Until it answers, nothing optional is offered.
 */
import { useCallback } from 'react';
import { useLoad } from '../api/useLoad.ts';
import { accessApi, type MyAccess, type RecordAction } from './api.ts';

export interface FormRights {
  /** False until the server answered. */
  ready: boolean;
  may(action: RecordAction): boolean;
  /** Whether the field is among those the caller sees (hidden ones are also absent from the data). */
  sees(field: string): boolean;
  /** Whether the field may be written (on a new record or an edit; the server refuses the others). */
  mayWrite(field: string): boolean;
  /** Whether the field may be filtered and sorted on (the server refuses the others). */
  mayQuery(field: string): boolean;
  /** The personal fields (masked values) and their kind. */
  personal: Record<string, string>;
  access: MyAccess | undefined;
  reload(): Promise<void>;
}

/** What everyone could do before permission groups. */
const LEGACY: RecordAction[] = ['view', 'add', 'export', 'print'];

export function useMyAccess(formKey: string): FormRights {
  const loaded = useLoad(() => accessApi.myAccess(formKey), [formKey]);
  const access = loaded.data;
  // A server that cannot answer (an older one) keeps today's buttons; the server still decides.
  const unknown = access === undefined && loaded.error !== null;
  const may = useCallback((action: RecordAction) => (unknown ? LEGACY.includes(action) : !!access?.actions.includes(action)), [access, unknown]);
  const sees = useCallback(
    (field: string) => {
      const visible = access?.fields.visible;
      // Before the answer, show the form's fields: the data itself lacks what the server hides.
      return visible === undefined || visible === '*' || visible.includes(field);
    },
    [access],
  );
  const mayQuery = useCallback(
    (field: string) => {
      const queryable = access?.fields.queryable ?? access?.fields.visible;
      return queryable === undefined || queryable === '*' || queryable.includes(field);
    },
    [access],
  );
  const mayWrite = useCallback(
    (field: string) => {
      const editable = access?.fields.editable;
      return editable === undefined || editable === '*' || editable.includes(field);
    },
    [access],
  );
  return { mayQuery, mayWrite, ready: access !== undefined || unknown, may, sees, personal: access?.personal ?? {}, access, reload: loaded.reload };
}
