/**
 * The server's list of `ui:widget` names (engine/forms/uiWidgets.ts) must be names rjsf can
 * draw for the field's type: a name the server accepts but rjsf cannot find would crash the
 * page again (issue #10, finding 13).
 */
import { getDefaultRegistry } from '@rjsf/core';
import { hasWidget, type RJSFSchema } from '@rjsf/utils';
import { describe, expect, it } from 'vitest';
import { assertKnownWidgets, widgetsFor } from '../../engine/forms/uiWidgets.ts';

/** Ours are registered by the designer (designer/src/forms/renderer/widgets/index.ts). */
const OURS = ['money', 'serial', 'formula', 'user-picker', 'department-picker', 'lookup', 'files', 'signature'];

describe('ui:widget names', () => {
  it('accepts for each type only what rjsf can draw (ours aside)', () => {
    const registry = getDefaultRegistry().widgets;
    for (const type of ['string', 'number', 'integer', 'boolean', 'array'] as const) {
      const schema = (type === 'array' ? { type, items: { type: 'string', enum: ['a'] } } : { type }) as RJSFSchema;
      for (const name of widgetsFor(type).filter((w) => !OURS.includes(w))) {
        expect(hasWidget(schema, name, registry), `${name} on ${type}`).toBe(true);
      }
    }
  });

  it('refuses the names that crashed pages, with the pointer of each', () => {
    const schema = {
      type: 'object',
      properties: { files: { type: 'array' }, score: { type: 'integer' }, ref: { type: 'string' } },
    };
    let details: { pointer: string }[] = [];
    try {
      assertKnownWidgets(schema, { files: { 'ui:widget': 'attachment' }, score: { 'ui:widget': 'slider' }, ref: { 'ui:widget': 'record-picker' } });
    } catch (error) {
      details = (error as { details: { pointer: string }[] }).details;
    }
    expect(details.map((d) => d.pointer)).toEqual(['/uiSchema/files/ui:widget', '/uiSchema/score/ui:widget', '/uiSchema/ref/ui:widget']);
  });
});
