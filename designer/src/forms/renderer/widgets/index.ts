import type { RegistryWidgetsType } from '@rjsf/utils';
import { FilesWidget } from './FilesWidget.tsx';
import { RangeWidget } from './RangeWidget.tsx';
import { DepartmentWidget, LookupWidget, UserPickerWidget } from './pickers.tsx';
import { SignatureWidget } from './SignatureWidget.tsx';
import { FormulaWidget, MoneyWidget, SerialWidget } from './simple.tsx';

/** Widgets named by `prepareForm` (renderer/localize.ts) from the schema's `x-` annotations. */
export const formWidgets: RegistryWidgetsType = {
  money: MoneyWidget,
  serial: SerialWidget,
  formula: FormulaWidget,
  'user-picker': UserPickerWidget,
  'department-picker': DepartmentWidget,
  lookup: LookupWidget,
  files: FilesWidget,
  signature: SignatureWidget,
  // Overrides rjsf-antd's slider, which shows no number (RangeWidget.tsx).
  range: RangeWidget,
};
