/**
 * A field on the designer canvas as users will see it: the field alone stored as the designer
 * would publish it (toJsonSchema) and drawn by the same renderer and widgets as a filled form
 * (forms/renderer), disabled — a select is a select, a date a date picker — so the canvas
 * never shows a placeholder box. Clicks pass through to the canvas card, which selects it.
 */
import { memo, useMemo } from 'react';
import type { DesignField } from '../model/fieldTypes.ts';
import { toJsonSchema } from '../model/toJsonSchema.ts';
import { FormRenderer } from '../renderer/FormRenderer.tsx';
import './canvas.css';

export const FieldPreview = memo(function FieldPreview({ field }: { field: DesignField }) {
  const stored = useMemo(
    // Alone on its form, a visibility rule would name a missing field and hide it; the canvas shows every field.
    () => toJsonSchema({ key: 'canvas_preview', title: { 'zh-CN': '', en: '' }, fields: [{ ...field, visibleWhen: undefined }] }),
    [field],
  );
  return (
    <div className="lz-canvas-preview" data-testid={`canvas-preview-${field.key}`} style={{ pointerEvents: 'none', marginTop: 6 }} aria-hidden>
      <FormRenderer schema={stored.schema} uiSchema={stored.uiSchema} readOnly />
    </div>
  );
});
