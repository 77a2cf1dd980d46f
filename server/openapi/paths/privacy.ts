/** Personal data and the audit log (server/routes/privacy.ts, server/routes/audit.ts; engine/privacy, engine/audit). */
import { anyObject, arrayOf, bool, dateTime, int, nullable, obj, operation, page, pathParam, queryParam, str, uuid, type Json, type Paths } from '../builders.ts';

const formKey = pathParam('key', 'Form key');
const recordId = pathParam('id', 'Record id', { type: 'string', format: 'uuid' });

const identifiers: Json = obj(
  {
    phone: str('Phone number; separators and a +86 prefix are ignored', { maxLength: 200 }),
    email: str('E-mail address (case-insensitive)', { maxLength: 200 }),
    idNumber: str('ID card number', { maxLength: 200 }),
    name: str('Name (at least 2 characters)', { maxLength: 200 }),
  },
  [],
  'At least one; each as exact as possible',
);

const counts: Json = obj(
  { records: int(), instances: int(), taskActions: int(), notifications: int() },
  ['records', 'instances', 'taskActions', 'notifications'],
);

const recordHit: Json = obj(
  { formKey: str(), id: uuid(), instanceId: nullable(uuid()), createdAt: dateTime(), fields: arrayOf(str(), 'Fields whose value names the person') },
  ['formKey', 'id', 'instanceId', 'createdAt', 'fields'],
);

const subjectSummary = (extra: Record<string, Json> = {}): Json =>
  obj(
    {
      subject: str('The identifiers, masked'),
      counts,
      records: arrayOf(recordHit),
      instances: arrayOf(obj({ id: uuid(), definitionKey: str() }, ['id', 'definitionKey'])),
      taskActions: arrayOf(obj({ seq: int(), instanceId: uuid(), action: str() }, ['seq', 'instanceId', 'action'])),
      notifications: arrayOf(obj({ id: uuid(), username: str() }, ['id', 'username'])),
      ...extra,
    },
    ['subject', 'counts', 'records', 'instances', 'taskActions', 'notifications', ...Object.keys(extra)],
  );

const retention: Json = nullable(
  obj(
    {
      after: str('ISO-8601 duration: P3Y, P6M, P90D', { pattern: '^P' }),
      basis: { enum: ['createdAt', 'updatedAt'], description: 'Counted from creation (default) or the last change' },
      action: { enum: ['erase', 'anonymise'], description: '`erase` deletes the record; `anonymise` removes its personal fields' },
    },
    ['after', 'action'],
  ),
);

const auditItem: Json = obj(
  {
    id: int(),
    at: dateTime(),
    actorId: nullable(uuid()),
    actor: str('Username, or `system` for jobs and scripts'),
    action: str('e.g. record.unmask, record.export, permission.change, privacy.erase, retention.run, audit.export'),
    formKey: nullable(str()),
    recordId: nullable(uuid()),
    subject: nullable(str()),
    details: anyObject(),
    ip: nullable(str()),
  },
  ['id', 'at', 'actorId', 'actor', 'action', 'formKey', 'recordId', 'subject', 'details', 'ip'],
);

const auditFilters: Json[] = [
  queryParam('actor', 'Username (exact)'),
  queryParam('action', 'Action (exact), or a prefix ending in "." such as `record.`'),
  queryParam('formKey', 'Form key'),
  queryParam('recordId', 'Record id', { type: 'string', format: 'uuid' }),
  queryParam('from', 'From this instant (ISO date or date-time)'),
  queryParam('to', 'Up to this instant; a bare date includes that whole day'),
  queryParam('q', 'Free text in actor, action, subject, form key and details (at most 200 characters)'),
];

export const privacyPaths: Paths = {
  '/api/forms/{key}/records/{id}/unmask': {
    post: operation({
      operationId: 'unmaskRecord',
      tag: 'privacy',
      summary: "A record's personal fields in the clear (显示)",
      summaryZh: '显示个人信息',
      description:
        'Needs view on the record and the `unmask` action (a permission group, or a system admin). `fields` (default: every personal field the caller may see) must name visible personal fields (422 otherwise). ' +
        'One audit row (`record.unmask`) lists the fields, written before the answer. Answered with Cache-Control: no-store.',
      parameters: [formKey, recordId],
      body: obj({ fields: arrayOf(str(), 'At most 50 field names') }),
      bodyRequired: false,
      response: obj({ data: anyObject('Field → clear value (null when empty)') }, ['data']),
      errors: [403, 404],
    }),
  },
  '/api/privacy/search': {
    post: operation({
      operationId: 'searchDataSubject',
      tag: 'privacy',
      summary: 'What names a person: records, instances, task history, notifications (ids and counts)',
      summaryZh: '个人信息查询',
      description: 'Personal fields are decrypted and compared (phone by digits, e-mail case-insensitively); other text is searched for the identifiers. More than 5,000 matches: 422 `too_many_matches`. Audited (`privacy.search`).',
      admin: true,
      body: obj({ identifiers }, ['identifiers']),
      response: subjectSummary(),
    }),
  },
  '/api/privacy/export': {
    post: operation({
      operationId: 'exportDataSubject',
      tag: 'privacy',
      summary: 'The PIPL access report: everything that names a person, in the clear (JSON download)',
      summaryZh: '导出个人信息',
      description: 'Records with their full data, instance variables, task actions and notifications. Audited (`privacy.export`, with the ids).',
      admin: true,
      body: obj({ identifiers }, ['identifiers']),
      response: obj(
        {
          generatedAt: dateTime(),
          subject: str(),
          counts,
          records: arrayOf(anyObject('formKey, id, instanceId, createdAt, fields, data')),
          instances: arrayOf(anyObject('id, definitionKey, businessKey, variables')),
          taskActions: arrayOf(anyObject('seq, instanceId, taskId, action, actor, comment, details, createdAt')),
          notifications: arrayOf(anyObject('id, username, title, body, createdAt')),
        },
        ['generatedAt', 'subject', 'counts', 'records', 'instances', 'taskActions', 'notifications'],
      ),
    }),
  },
  '/api/privacy/erase': {
    post: operation({
      operationId: 'eraseDataSubject',
      tag: 'privacy',
      summary: 'Erase a person: anonymise (or delete) their records, scrub history and notifications',
      summaryZh: '删除个人信息',
      description:
        'One transaction. Records: their personal field values removed and other text naming them replaced by *** (`records: "delete"` deletes the records instead); ' +
        'instance variables, state and business key, task comments and details, notification titles and bodies: identifiers replaced by ***. ' +
        'Answers the counts and ids per table; audited (`privacy.erase`). Cannot be undone: `confirm: true` is required (422 `confirm_required`).',
      admin: true,
      body: obj({ identifiers, confirm: bool('Must be true'), records: { enum: ['anonymise', 'delete'], default: 'anonymise' } }, ['identifiers', 'confirm']),
      response: subjectSummary({ erasedAt: dateTime(), mode: { enum: ['anonymise', 'delete'] } }),
    }),
  },
  '/api/forms/{key}/retention': {
    get: operation({
      operationId: 'getFormRetention',
      tag: 'privacy',
      summary: "A form's retention rule (保留期限)",
      summaryZh: '保留期限',
      admin: true,
      parameters: [formKey],
      response: obj({ retention }, ['retention']),
      errors: [404],
    }),
    put: operation({
      operationId: 'setFormRetention',
      tag: 'privacy',
      summary: "Set (or with null, remove) a form's retention rule",
      summaryZh: '设置保留期限',
      description: 'Run daily at 03:00 (Asia/Shanghai) by the `privacy:retention` job, in bounded batches; each run that changes records writes a `retention.run` audit row. The change itself is audited (`retention.change`).',
      admin: true,
      parameters: [formKey],
      body: obj({ retention }, ['retention']),
      response: obj({ retention }, ['retention']),
      errors: [404],
    }),
  },
  '/api/audit': {
    get: operation({
      operationId: 'searchAuditLog',
      tag: 'audit',
      summary: 'The audit log, newest first',
      summaryZh: '审计日志',
      admin: true,
      parameters: [
        ...auditFilters,
        queryParam('page', 'Page number, from 1', { type: 'integer', minimum: 1, default: 1 }),
        queryParam('pageSize', 'Rows per page (1–200)', { type: 'integer', minimum: 1, maximum: 200, default: 50 }),
      ],
      response: page(auditItem),
    }),
  },
  '/api/audit/export': {
    get: operation({
      operationId: 'exportAuditLog',
      tag: 'audit',
      summary: 'The audit log as CSV (UTF-8 with BOM), streamed; at most 100,000 rows',
      summaryZh: '导出审计日志',
      description: 'The same filters as GET /api/audit. The export itself is audited (`audit.export`).',
      admin: true,
      parameters: auditFilters,
      contentType: 'text/csv',
      response: str('CSV: id, at, actor, action, form_key, record_id, subject, details, ip'),
    }),
  },
};
