/**
 * Dashboards and analytics (仪表盘, server/routes/dashboards.ts, charts.ts, heatmap.ts). The
 * chart query and dashboard schemas are the very ones the engine validates with
 * (engine/analytics/query.ts, dashboards.ts).
 */
import { chartQuerySchema, chartSourceSchema } from '../../../engine/analytics/query.ts';
import { dashboardSchema } from '../../../engine/analytics/dashboards.ts';
import { anyObject, arrayOf, bool, dateTime, int, nullable, obj, operation, page, pagingParams, pathParam, queryParam, str, uuid, type Json, type Paths } from '../builders.ts';

const dashboardId = pathParam('id', 'Dashboard id (uuid) or key (e.g. key-account-kpi)');
const definitionKey = pathParam('key', 'Process definition key');
const text: Json = { anyOf: [str(), { type: 'object', additionalProperties: { type: 'string' } }], description: 'A text, or one per language (zh-CN, en)' };
const chartQuery = { ...chartQuerySchema, description: 'A chart query: source, dimensions (维度), measures (指标), filters (筛选), sort (排序), limit (≤ 1000 groups)' } as Json;
const filters = (chartQuerySchema.properties.filters as Json);

const column: Json = obj(
  {
    key: str('d0, d1… for dimensions, m0, m1… for measures'),
    label: str(),
    type: { enum: ['text', 'number', 'date', 'boolean'] },
    options: arrayOf(obj({ value: { type: ['string', 'number', 'boolean'] }, label: { type: 'object', additionalProperties: { type: 'string' } } }, ['value', 'label']), 'Stored value → label per language (choice fields, departments)'),
  },
  ['key', 'label', 'type'],
);
const chartAnswer: Json = obj(
  {
    columns: arrayOf(column),
    rows: arrayOf({ type: 'object', additionalProperties: { type: ['string', 'number', 'boolean', 'null'] } }),
    truncated: bool('More groups than `limit`: the answer holds the first `limit`'),
  },
  ['columns', 'rows', 'truncated'],
);

const sharing: Json = obj(
  { users: arrayOf(str(), 'Usernames'), roles: arrayOf(str(), 'Role codes'), departments: arrayOf(str(), 'Department ids'), everyone: bool() },
  ['users', 'roles', 'departments', 'everyone'],
);
const summaryProps: Record<string, Json> = {
  id: uuid(),
  key: nullable(str()),
  app: nullable(str()),
  title: text,
  description: text,
  sharing,
  version: int('Send it back on PUT: a different stored version answers 409 dashboard_changed'),
  createdBy: nullable(str('Username')),
  createdAt: dateTime(),
  updatedAt: dateTime(),
};
const SUMMARY_REQUIRED = ['id', 'key', 'app', 'title', 'sharing', 'version', 'createdBy', 'createdAt', 'updatedAt'];
const widgetsSchema = (dashboardSchema.properties.widgets as Json);
const filtersSchema = (dashboardSchema.properties.filters as Json);
const dashboard: Json = obj({ ...summaryProps, filters: filtersSchema, widgets: widgetsSchema }, [...SUMMARY_REQUIRED, 'filters', 'widgets']);
const dashboardSummary: Json = obj({ ...summaryProps, widgetCount: int() }, [...SUMMARY_REQUIRED, 'widgetCount']);
const dashboardBody = dashboardSchema as Json;

const heatmapRange = [
  queryParam('version', 'One version of the definition; all versions when absent', { type: 'integer', minimum: 1 }),
  queryParam('from', 'Instances started at or after (YYYY-MM-DD or date-time)'),
  queryParam('to', 'Instances started before'),
];

export const analyticsPaths: Paths = {
  '/api/charts/query': {
    post: operation({
      operationId: 'queryChart',
      tag: 'analytics',
      summary: 'Answer a chart query',
      summaryZh: '图表查询',
      description:
        'Sources: records of a form (`subForm`: its rows; `latestPer`: each group\'s latest record; system fields `_createdAt`, `_updatedAt`, `_createdBy`, ' +
        '`_department` (routed department code), `_status` (its instance\'s status); a sub-form row reads its record\'s fields as `_parent.<field>`), process instances ' +
        '(status, startedAt, endedAt, durationSeconds, startedBy, businessKey, definitionKey) and tasks (elementId, name, assignee, department, status, createdAt, completedAt, ' +
        'dueAt, durationSeconds, slaBreached, definitionKey, instanceStatus). Aggregations count, distinct, sum, avg, min, max, median, p90, ratio (percentage of rows meeting ' +
        '`where`); durations between two date fields. Time buckets (day, week from Monday, month, quarter, year) and dates are in Asia/Shanghai; date filter values may be ' +
        'relative (`today`, `today-30d`, units d/w/m/y). Runs with the caller\'s data permissions, read-only, at most 5 s (503 chart_timeout). 422 `invalid_chart_query` names ' +
        'the part (`/measures/1/field`): unknown field, aggregation that does not fit the type, personal field.',
      body: chartQuery,
      response: chartAnswer,
      errors: [404],
    }),
  },
  '/api/charts/rows': {
    post: operation({
      operationId: 'chartRows',
      tag: 'analytics',
      summary: 'The rows behind a number (drill-down, detail table)',
      summaryZh: '图表明细',
      description: 'Same source and filters as a chart query; records as the record list shapes them for the caller (hidden fields left out, personal ones masked), newest first.',
      body: obj({ source: chartSourceSchema as Json, filters, page: int('From 1', { minimum: 1 }), pageSize: int('1–200', { minimum: 1, maximum: 200 }) }, ['source']),
      response: page(anyObject('A record (id, data, instanceId, createdAt, updatedAt, createdBy; sub-form sources add row and rowNumber), an instance or a task'), { page: int(), pageSize: int() }),
      errors: [404],
    }),
  },
  '/api/dashboards': {
    get: operation({
      operationId: 'listDashboards',
      tag: 'analytics',
      summary: 'Dashboards the caller may open',
      summaryZh: '仪表盘列表',
      description: 'Admins see all; others those they created or that are shared with them (user, role, department, everyone).',
      response: obj({ items: arrayOf(dashboardSummary) }, ['items']),
    }),
    post: operation({
      operationId: 'createDashboard',
      tag: 'analytics',
      summary: 'Create a dashboard',
      summaryZh: '新建仪表盘',
      description: 'At most 40 widgets; each widget\'s query is checked against its source (422 with `/widgets/N/query/...` pointers). A taken `key` answers 409.',
      admin: true,
      body: dashboardBody,
      status: 201,
      response: dashboard,
      errors: [409],
    }),
  },
  '/api/dashboards/{id}': {
    get: operation({
      operationId: 'getDashboard',
      tag: 'analytics',
      summary: 'One dashboard',
      summaryZh: '仪表盘',
      description: '404 when it does not exist or is not shared with the caller.',
      parameters: [dashboardId],
      response: dashboard,
      errors: [404],
    }),
    put: operation({
      operationId: 'updateDashboard',
      tag: 'analytics',
      summary: 'Replace a dashboard',
      summaryZh: '保存仪表盘',
      description: 'With `version`: only when nobody saved since (409 dashboard_changed otherwise).',
      admin: true,
      parameters: [pathParam('id', 'Dashboard id', { type: 'string', format: 'uuid' })],
      body: dashboardBody,
      response: dashboard,
      errors: [404, 409],
    }),
    delete: operation({
      operationId: 'deleteDashboard',
      tag: 'analytics',
      summary: 'Delete a dashboard',
      summaryZh: '删除仪表盘',
      admin: true,
      parameters: [pathParam('id', 'Dashboard id', { type: 'string', format: 'uuid' })],
      errors: [404],
    }),
  },
  '/api/definitions/{key}/heatmap': {
    get: operation({
      operationId: 'definitionHeatmap',
      tag: 'analytics',
      summary: 'Heat map of a process: per node, visits, time spent, open tokens, SLA breaches',
      summaryZh: '流程热力图',
      description: 'Over the instances the caller may read. avgMs and p90Ms are over completed visits; slaBreached counts the node\'s tasks done after their due time or open past it.',
      parameters: [definitionKey, ...heatmapRange],
      response: obj(
        {
          nodes: arrayOf(obj(
            { elementId: str(), entered: int(), completed: int(), open: int(), avgMs: nullable(int()), p90Ms: nullable(int()), slaBreached: int() },
            ['elementId', 'entered', 'completed', 'open', 'avgMs', 'p90Ms', 'slaBreached'],
          )),
        },
        ['nodes'],
      ),
      errors: [422],
    }),
  },
  '/api/definitions/{key}/heatmap/{elementId}/instances': {
    get: operation({
      operationId: 'heatmapInstances',
      tag: 'analytics',
      summary: 'The instances behind a node of the heat map',
      summaryZh: '节点实例',
      parameters: [definitionKey, pathParam('elementId', 'BPMN element id'), ...heatmapRange, ...pagingParams],
      response: page(obj(
        {
          id: uuid(), definitionKey: str(), businessKey: nullable(str()), status: str(), startedBy: nullable(str()),
          startedAt: dateTime(), endedAt: nullable(dateTime()), waitingHere: bool('A token waits in this node now'),
        },
        ['id', 'definitionKey', 'businessKey', 'status', 'startedBy', 'startedAt', 'endedAt', 'waitingHere'],
      ), { page: int(), pageSize: int() }),
      errors: [422],
    }),
  },
};
