/** Forms, their records, flow forms (表单 → 流程) and printing. */
import { anyObject, arrayOf, nullable, obj, operation, page, pathParam, queryParam, ref, str, uuid, type Json, type Paths } from '../builders.ts';

const formKey = pathParam('key', 'Form key');
const recordId = pathParam('id', 'Record id', { type: 'string', format: 'uuid' });
const templateKey = pathParam('key', 'Template key (letters, digits, _ . -)', { type: 'string', pattern: '^[a-z0-9][a-z0-9_.-]{0,99}$' });
const dataBody = obj({ data: anyObject("Record data, validated against the form's latest JSON Schema") }, ['data']);

/** Flow-form records belong to their process (engine/forms/flowRecordGuard.ts). */
const FLOW_RECORD_RULE =
  "A record of a flow form (with `instanceId`) changes only through its process: 409 `record_owned_by_process` for everyone but admins, and for admins too while the instance runs; an admin's change after the instance ended is written to the instance's action log (`record_update` / `record_delete`, with the changed fields).";

/** A record as the record pages read it (engine/forms/recordFacts.ts). */
const recordFacts = {
  process: nullable(
    obj(
      {
        instanceId: uuid(),
        definitionKey: nullable(str()),
        status: {
          enum: ['active', 'completed', 'terminated', 'incident', 'withdrawn', 'deleted'],
          description: '`withdrawn`: the starter took it back (撤回); `deleted`: the instance no longer exists',
        },
        currentNodes: arrayOf(obj({ id: str(), name: nullable(str()) }, ['id', 'name']), 'Nodes with an open task while the instance runs'),
      },
      ['instanceId', 'definitionKey', 'status', 'currentNodes'],
      'The process instance a flow-form record belongs to; null for a plain record',
    ),
  ),
  allowedActions: arrayOf(
    { enum: ['edit', 'delete', 'print', 'unmask'] },
    "What the caller may do now: the same rules PUT, DELETE, print and unmask apply (the form's permission groups; a flow record is edited or deleted only by an admin after its instance ended)",
  ),
};
const recordEntry: Json = { allOf: [ref('Record'), obj(recordFacts, ['process', 'allowedActions'])] };
const recordDetail: Json = {
  allOf: [
    ref('Record'),
    obj(
      { ...recordFacts, printTemplates: arrayOf(obj({ key: str(), title: str() }, ['key', 'title']), "The form's print templates, for `…/print?template=`") },
      ['process', 'allowedActions', 'printTemplates'],
    ),
  ],
};

export const formPaths: Paths = {
  '/api/forms': {
    get: operation({
      operationId: 'listForms',
      tag: 'forms',
      summary: 'Latest version of every form',
      summaryZh: '表单列表',
      response: arrayOf(ref('Form')),
    }),
    post: operation({
      operationId: 'saveForm',
      tag: 'forms',
      summary: 'Save a form (a new version when the key exists)',
      summaryZh: '保存表单',
      admin: true,
      body: obj(
        {
          key: str(undefined, { pattern: '^[a-z][a-z0-9_-]{1,63}$' }),
          title: str(undefined, { minLength: 1, maxLength: 200 }),
          schema: anyObject('JSON Schema (2020-12) of the data; must compile'),
          uiSchema: anyObject('rjsf uiSchema'),
        },
        ['key', 'title', 'schema'],
      ),
      status: 201,
      response: obj({ key: str(), version: { type: 'integer' } }, ['key', 'version']),
    }),
  },
  '/api/forms/{key}': {
    get: operation({
      operationId: 'getForm',
      tag: 'forms',
      summary: 'One form, latest or a given version',
      summaryZh: '表单详情',
      parameters: [formKey, queryParam('version', 'Version number (default: latest)', { type: 'integer', minimum: 1 })],
      response: ref('Form'),
      errors: [404, 422],
    }),
  },
  '/api/forms/{key}/records': {
    get: operation({
      operationId: 'listRecords',
      tag: 'records',
      summary: 'Filter, sort and page the records of a form',
      summaryZh: '数据列表',
      description:
        "Unknown or malformed parameters answer 422 naming the parameter. A filter on a select, radio or checkbox field matches the stored value or any of its labels (zh-CN or en: `filter[category]=账单` finds `billing`); on a checkbox field it means \"holds one of\". Dates and numbers compare and sort as dates and numbers. At most 20 filters, 500 characters a value, 100 values in `in`, 3 sort keys. Records of a flow form (with `instanceId`) are listed only to admins and those involved in their instance; each row carries its process status.",
      parameters: [
        formKey,
        {
          name: 'filter',
          in: 'query',
          required: false,
          style: 'deepObject',
          explode: true,
          description:
            '`filter[field][op]=value`, op one of eq, ne, gt, gte, lt, lte, contains, in (comma-separated); nested fields as `a.b`',
          schema: { type: 'object', additionalProperties: { type: 'object', additionalProperties: { type: 'string' } } },
        },
        queryParam('sort', 'Comma-separated createdAt, updatedAt or a field name (`amount` or `data.amount`); "-" prefix for descending (default -createdAt)'),
        queryParam('page', 'Page number, from 1', { type: 'integer', minimum: 1, default: 1 }),
        queryParam('pageSize', 'Rows per page (1–200)', { type: 'integer', minimum: 1, maximum: 200, default: 20 }),
      ],
      response: page(recordEntry),
      errors: [404, 422],
    }),
    post: operation({
      operationId: 'createRecord',
      tag: 'records',
      summary: 'Create a record (routed to a department queue when the form has routing rules)',
      summaryZh: '新建数据',
      parameters: [formKey],
      body: dataBody,
      status: 201,
      response: ref('Record'),
      errors: [404],
    }),
  },
  '/api/forms/{key}/records/{id}': {
    get: operation({
      operationId: 'getRecord',
      tag: 'records',
      summary: 'One record',
      summaryZh: '数据详情',
      description:
        "A record of a flow form (with `instanceId`) is readable by those who may read its instance; others get 404. The answer says what the caller may do (`allowedActions`), where the record's process stands and which print templates the form has.",
      parameters: [formKey, recordId],
      response: recordDetail,
      errors: [404],
    }),
    put: operation({
      operationId: 'replaceRecord',
      tag: 'records',
      summary: 'Replace the data of a record (its creator or an admin)',
      summaryZh: '修改数据',
      description: FLOW_RECORD_RULE,
      parameters: [formKey, recordId],
      body: dataBody,
      response: ref('Record'),
      errors: [403, 404, 409, 422],
    }),
    delete: operation({
      operationId: 'deleteRecord',
      tag: 'records',
      summary: 'Delete a record (its creator or an admin)',
      summaryZh: '删除数据',
      description: FLOW_RECORD_RULE,
      parameters: [formKey, recordId],
      errors: [403, 404, 409],
    }),
  },
  '/api/forms/{key}/records/{id}/print': {
    get: operation({
      operationId: 'printRecord',
      tag: 'printing',
      summary: 'Printable A4 HTML page of a record',
      summaryZh: '打印数据',
      description: 'Whoever may read the record (a flow-form record: those involved in its instance); others get 404.',
      parameters: [formKey, recordId, queryParam('template', 'Print template key (default: the built-in layout)')],
      contentType: 'text/html',
      response: { type: 'string' },
      errors: [404],
    }),
  },
  '/api/forms/{key}/submit': {
    post: operation({
      operationId: 'submitFlowForm',
      tag: 'flow forms',
      summary: 'Submit a flow form: create the record and start its process in one transaction',
      summaryZh: '提交流程表单',
      parameters: [formKey],
      body: obj(
        {
          data: anyObject("Validated against the form and the start node's field permissions"),
          comment: str(undefined, { maxLength: 2000 }),
        },
        ['data'],
      ),
      status: 201,
      response: obj(
        {
          record: ref('Record'),
          instance: obj({ id: { type: 'string', format: 'uuid' }, status: str(), definitionId: str(), definitionKey: str() }, [
            'id',
            'status',
          ]),
        },
        ['record', 'instance'],
      ),
      errors: [404, 409],
    }),
  },
  '/api/forms/{key}/records/{id}/starts': {
    get: operation({
      operationId: 'listRecordStarts',
      tag: 'flow forms',
      summary: "Processes that start from this record (their settings' startsFrom names its form), e.g. 发起回访 on a customer profile",
      summaryZh: '可从此记录发起的流程',
      parameters: [formKey, recordId],
      response: arrayOf(
        obj(
          {
            definitionKey: str(),
            name: nullable(str()),
            version: { type: 'integer' },
            // The instance already running for this record (a start would answer 409 already_running).
            runningInstanceId: nullable(uuid()),
          },
          ['definitionKey', 'name', 'version', 'runningInstanceId'],
        ),
      ),
      errors: [404],
    }),
  },
  '/api/forms/{key}/records/{id}/starts/{definitionKey}': {
    post: operation({
      operationId: 'startFromRecord',
      tag: 'flow forms',
      summary:
        "Start a process from this record: business key = the record id, variables from the process's startVariables over the record; 409 `not_started_from_form` when the process does not start from this form; 409 `already_running` (details[0].params.instanceId) while an instance of it runs for this record, unless its settings say startsFromOnce=false",
      summaryZh: '从记录发起流程',
      parameters: [formKey, recordId, pathParam('definitionKey', 'Process definition key')],
      status: 201,
      response: obj({ id: uuid(), status: str(), definitionKey: str(), businessKey: str() }, ['id', 'status', 'definitionKey', 'businessKey']),
      errors: [404, 409, 422],
    }),
  },
  '/api/flow-forms': {
    get: operation({
      operationId: 'listFlowForms',
      tag: 'flow forms',
      summary: 'Forms a process can be started with',
      summaryZh: '流程表单列表',
      response: arrayOf(ref('FlowForm')),
    }),
  },
  '/api/flow-forms/{formKey}': {
    get: operation({
      operationId: 'getFlowStartForm',
      tag: 'flow forms',
      summary: 'The start form as the start node shows it',
      summaryZh: '发起表单',
      parameters: [pathParam('formKey', 'Form key')],
      response: {
        allOf: [
          ref('FlowForm'),
          obj(
            {
              form: obj({ version: { type: 'integer' }, schema: anyObject(), uiSchema: anyObject() }, ['version', 'schema', 'uiSchema']),
              fieldPermissions: ref('FieldPermissions'),
            },
            ['form', 'fieldPermissions'],
          ),
        ],
      },
      errors: [404],
    }),
  },
  '/api/templates/print': {
    get: operation({
      operationId: 'listPrintTemplates',
      tag: 'printing',
      summary: 'Print templates',
      summaryZh: '打印模板列表',
      admin: true,
      parameters: [queryParam('formKey', 'Only the templates of this form')],
      response: arrayOf(ref('PrintTemplate')),
    }),
  },
  '/api/templates/print/{key}': {
    get: operation({
      operationId: 'getPrintTemplate',
      tag: 'printing',
      summary: 'One print template',
      summaryZh: '打印模板',
      admin: true,
      parameters: [templateKey],
      response: ref('PrintTemplate'),
      errors: [404],
    }),
    put: operation({
      operationId: 'savePrintTemplate',
      tag: 'printing',
      summary: 'Create or replace a print template (Handlebars HTML)',
      summaryZh: '保存打印模板',
      admin: true,
      parameters: [templateKey],
      body: obj(
        {
          formKey: str(undefined, { minLength: 1 }),
          title: str(undefined, { minLength: 1 }),
          body: str('Handlebars; triple-stash refused', { minLength: 1 }),
        },
        ['formKey', 'title', 'body'],
      ),
      response: ref('PrintTemplate'),
      errors: [404],
    }),
  },
};
