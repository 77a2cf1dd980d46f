/** Record import from .xlsx/.csv and the .xlsx export (server/routes/imports.ts, engine/imports/). */
import { arrayOf, bool, dateTime, int, nullable, obj, operation, pathParam, queryParam, str, uuid, type Json, type Paths } from '../builders.ts';

const formKey = pathParam('key', 'Form key');
const importId = pathParam('id', 'Import id', { type: 'string', format: 'uuid' });
const status = { enum: ['uploaded', 'running', 'cancelling', 'done', 'failed', 'cancelled', 'interrupted'] };
const cell: Json = { type: ['string', 'number', 'boolean', 'null'] };
const mapping: Json = arrayOf(nullable(str()), 'Per column of the file (in order), the field it goes to; null: not imported');
const localized: Json = obj({ 'zh-CN': str(), en: str() }, ['zh-CN', 'en']);
const rowError: Json = obj(
  {
    field: nullable(str()),
    column: nullable(int('Column index (0-based) in the row\'s sheet (the main one unless `sheet` says otherwise)')),
    message: str(),
    sheet: str('A sub-form sheet\'s error: the sheet'),
    row: int('A sub-form sheet\'s error: the line in that sheet'),
  },
  ['field', 'column', 'message'],
);
const sheetJoin: Json = obj(
  {
    subform: nullable(str('The sub-form field its lines go to; null: not imported')),
    keyColumn: nullable(int('Its column holding the key of the main-sheet row each line belongs to')),
    mapping: arrayOf(nullable(str()), 'Per column of the sheet, the sub-form\'s field it goes to'),
  },
  ['subform', 'keyColumn', 'mapping'],
);
const sheetSettings: Json = {
  keyColumn: nullable(int('The main sheet\'s column the sub-form sheets join by (default: the one guessed)')),
  sheets: arrayOf(sheetJoin, 'Per extra sheet of the .xlsx (in file order), its sub-form and columns (default: guessed from the sheet name and headers)'),
};

const importJob: Json = obj(
  {
    id: uuid(),
    formKey: str(),
    fileName: str(),
    fileType: { enum: ['xlsx', 'csv'] },
    status: { ...status, description: 'interrupted: the run stopped without finishing (its node stopped); skip-bad-rows batches committed before stay' },
    headers: arrayOf(str(), "The file's header row"),
    mapping,
    fields: arrayOf(obj({ name: str(), title: localized, required: bool() }, ['name', 'title', 'required']), 'Fields rows can be imported into (formulas, serial numbers and files are not; sub-forms come from extra sheets)'),
    preview: arrayOf(
      obj(
        {
          rowNumber: int('Line in the file; the header is 1'),
          cells: arrayOf(cell),
          data: { type: 'object', additionalProperties: true },
          errors: arrayOf(rowError),
          subRows: int('Lines of the sub-form sheets joined to the row (from the first 200 of each sheet)'),
        },
        ['rowNumber', 'cells', 'data', 'errors'],
      ),
      'The first rows under the mapping, each with the data it becomes or its errors',
    ),
    keyColumn: nullable(int('The main sheet\'s column the sub-form sheets join by')),
    sheets: arrayOf(
      obj({ name: str(), headers: arrayOf(str()), totalRows: int(), subform: nullable(str()), keyColumn: nullable(int()), mapping: arrayOf(nullable(str())) }, ['name', 'headers', 'totalRows', 'subform', 'keyColumn', 'mapping']),
      'The .xlsx\'s extra sheets (sub-form lines, at most 50,000 in all), in file order',
    ),
    subforms: arrayOf(
      obj({ name: str(), title: localized, fields: arrayOf(obj({ name: str(), title: localized, required: bool() }, ['name', 'title', 'required'])) }, ['name', 'title', 'fields']),
      "The form's sub-forms and the fields of their rows",
    ),
    notice: nullable(str('What the file cannot bring in (a CSV holds no sub-form rows)')),
    mode: nullable({ enum: ['all_or_nothing', 'skip_bad_rows'] }),
    runAutomations: bool(),
    totalRows: int(),
    rowsDone: int(),
    imported: int(),
    refused: int(),
    rowsPerSecond: nullable(int()),
    etaSeconds: nullable(int()),
    error: nullable(str()),
    createdAt: dateTime(),
    startedAt: nullable(dateTime()),
    finishedAt: nullable(dateTime()),
  },
  ['id', 'formKey', 'fileName', 'fileType', 'status', 'headers', 'mapping', 'fields', 'preview', 'keyColumn', 'sheets', 'subforms', 'notice', 'mode', 'runAutomations', 'totalRows', 'rowsDone', 'imported', 'refused', 'rowsPerSecond', 'etaSeconds', 'error', 'createdAt', 'startedAt', 'finishedAt'],
);

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** `operation()` writes JSON bodies; the upload is multipart. */
function multipartUpload(spec: Parameters<typeof operation>[0]): Json {
  const op = operation({ ...spec, body: undefined });
  const responses = op.responses as Json;
  responses['422'] ??= { $ref: '#/components/responses/ValidationFailed' };
  return {
    ...op,
    requestBody: {
      required: true,
      content: { 'multipart/form-data': { schema: obj({ file: { type: 'string', format: 'binary', description: 'One .xlsx or .csv (UTF-8) file; the first row names the columns. In an .xlsx the first worksheet holds the records, further worksheets the rows of sub-forms' } }, ['file']) } },
    },
  };
}

export const importPaths: Paths = {
  '/api/forms/{key}/imports': {
    post: multipartUpload({
      operationId: 'uploadImport',
      tag: 'records',
      summary: 'Upload an .xlsx or .csv file to import records from: answers its columns, an automatic mapping (by field label in zh-CN or en, or key) and a preview with errors',
      summaryZh: '上传导入文件',
      description: 'Needs the `import` action on the form. At most 50 MB (413) and 200,000 data rows (422); the file is streamed to disk, never held in memory.',
      parameters: [formKey],
      status: 201,
      response: importJob,
      errors: [403, 404, 413, 422],
    }),
  },
  '/api/forms/{key}/imports/{id}': {
    get: operation({ operationId: 'getImport', tag: 'records', summary: "An import's mapping, preview and progress (its uploader or an admin)", summaryZh: '导入状态', parameters: [formKey, importId], response: importJob, errors: [404] }),
  },
  '/api/forms/{key}/imports/{id}/preview': {
    post: operation({
      operationId: 'previewImport',
      tag: 'records',
      summary: 'The preview under another mapping (nothing is saved)',
      summaryZh: '预览导入',
      parameters: [formKey, importId],
      body: obj({ mapping, ...sheetSettings, timezoneOffset: int('The uploader\'s getTimezoneOffset(), for date-times without a zone') }, ['mapping']),
      response: importJob,
      errors: [404],
    }),
  },
  '/api/forms/{key}/imports/{id}/start': {
    post: operation({
      operationId: 'startImport',
      tag: 'records',
      summary: 'Start the import in the background; progress comes as `import.progress` socket events and from GET',
      summaryZh: '开始导入',
      description:
        'all_or_nothing: one transaction, nothing stays if any row is refused or the import is cancelled; skip_bad_rows: good rows in batches of 500, refused rows in the report. runAutomations (default false): whether the form\'s automations and routing run for the imported records. ' +
        'Sub-form sheets (.xlsx only): each extra sheet\'s lines join the main row whose keyColumn cell equals theirs; the record is checked whole, so a bad line refuses its record, and a line matching no row is refused on its own (both in the report, naming sheet and line). ' +
        'Every start is an audit row (`record.import`: file, rows, mode), committed with the start.',
      parameters: [formKey, importId],
      body: obj(
        {
          mapping,
          ...sheetSettings,
          mode: { enum: ['all_or_nothing', 'skip_bad_rows'] },
          runAutomations: bool(),
          timezoneOffset: int("The uploader's getTimezoneOffset(), for date-times without a zone"),
        },
        ['mapping', 'mode'],
      ),
      status: 202,
      response: importJob,
      errors: [403, 404, 409],
    }),
  },
  '/api/forms/{key}/imports/{id}/cancel': {
    post: operation({ operationId: 'cancelImport', tag: 'records', summary: 'Cancel an import: it stops at its next step (within a second)', summaryZh: '取消导入', parameters: [formKey, importId], response: importJob, errors: [404] }),
  },
  '/api/forms/{key}/imports/{id}/report': {
    get: operation({
      operationId: 'importReport',
      tag: 'records',
      summary: 'The refused rows as .xlsx: row number, errors (naming the column), then the row as it was',
      summaryZh: '导入报告',
      parameters: [formKey, importId],
      contentType: XLSX,
      response: { type: 'string', format: 'binary' },
      errors: [404],
    }),
  },
  '/api/forms/{key}/records/export.xlsx': {
    get: operation({
      operationId: 'exportRecordsXlsx',
      tag: 'records',
      summary: 'The records the caller may view and export, as .xlsx streamed (at most 100,000 rows, `X-Export-Truncated: true` when more matched)',
      summaryZh: '导出 Excel',
      description:
        'Filters, sort, permissions, masking and audit as the CSV export. Headers are the field labels in the caller\'s language, options their labels, date fields Excel dates; fields no group lets the caller view are no column. ' +
        'Each visible sub-form is a further sheet: the parent record\'s id, then the sub-form\'s fields by label, a line per sub-form row (the import joins them back by that id).',
      parameters: [
        formKey,
        {
          name: 'filter',
          in: 'query',
          style: 'deepObject',
          explode: true,
          description: '`filter[field][op]=value` as the record list',
          schema: { type: 'object', additionalProperties: { type: 'object', additionalProperties: { type: 'string' } } },
        },
        queryParam('sort', 'As the record list'),
        queryParam('unmask', 'true: personal fields in the clear where the caller holds unmask (audited)', { type: 'string', enum: ['true', 'false'] }),
      ],
      contentType: XLSX,
      response: { type: 'string', format: 'binary' },
      errors: [403, 404, 422],
    }),
  },
};
