/**
 * The chart query (docs: issue 15, "Contract between D and E"): a JSON document naming a
 * source, dimensions, measures, filters, sort and limit. This file holds its types and the
 * structural check (ajv); what the names mean for a given form or process is checked in
 * resolve.ts. Everything a user controls is bounded here (counts, lengths).
 */
import { Ajv, type ErrorObject } from 'ajv';
import { ValidationError, type ErrorDetail } from '../errors.ts';

export const BUCKETS = ['day', 'week', 'month', 'quarter', 'year'] as const;
export type Bucket = (typeof BUCKETS)[number];
export const AGGREGATIONS = ['count', 'distinct', 'sum', 'avg', 'min', 'max', 'median', 'p90', 'ratio'] as const;
export type Aggregation = (typeof AGGREGATIONS)[number];
export const FILTER_OPS = ['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'in', 'contains', 'between', 'empty', 'notEmpty'] as const;
export type ChartFilterOp = (typeof FILTER_OPS)[number];
export const DURATION_UNITS = ['second', 'minute', 'hour', 'day'] as const;
export type DurationUnit = (typeof DURATION_UNITS)[number];

export const MAX_DIMENSIONS = 3;
export const MAX_MEASURES = 8;
export const MAX_FILTERS = 20;
export const MAX_SORT = 4;
export const MAX_GROUPS = 1000;
export const DEFAULT_LIMIT = 100;
export const MAX_IN_VALUES = 100;
export const MAX_VALUE_LENGTH = 500;

export type RecordSource = {
  kind: 'records';
  formKey: string;
  /** Rows of this array field (a sub-form) instead of whole records. */
  subForm?: string;
  /** Only each `field` value's latest record by `by` (each customer's latest contract). */
  latestPer?: { field: string; by: string };
};
export type ProcessSource = { kind: 'instances' | 'tasks'; definitionKey?: string };
export type ChartSource = RecordSource | ProcessSource;

export type FilterValue = string | number | boolean | null | (string | number | boolean)[];

export interface ChartFilter {
  field: string;
  op: ChartFilterOp;
  value?: FilterValue;
  bucket?: Bucket;
}

export interface ChartDimension {
  field: string;
  bucket?: Bucket;
  /** The column's heading; the field name when absent. */
  label?: string;
}

export interface ChartMeasure {
  agg: Aggregation;
  field?: string;
  duration?: { from: string; to: string; unit?: DurationUnit };
  /** Counts (or aggregates) only rows matching these too; for `ratio`, the numerator's condition. */
  where?: ChartFilter[];
  label?: string;
}

export interface ChartSort {
  by: 'measure' | 'dimension';
  index: number;
  desc?: boolean;
}

export interface ChartQuery {
  source: ChartSource;
  dimensions?: ChartDimension[];
  measures?: ChartMeasure[];
  filters?: ChartFilter[];
  sort?: ChartSort[];
  limit?: number;
}

const FIELD = { type: 'string', minLength: 1, maxLength: 200 };
const SCALAR = { type: ['string', 'number', 'boolean', 'null'], maxLength: MAX_VALUE_LENGTH };
const filterSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['field', 'op'],
  properties: {
    field: FIELD,
    op: { enum: FILTER_OPS },
    /** With a date field and `eq`: compares the bucket's start (a bar's drill-down). */
    bucket: { enum: BUCKETS },
    value: { anyOf: [SCALAR, { type: 'array', maxItems: MAX_IN_VALUES, items: SCALAR }] },
  },
};

export const chartSourceSchema = {
  type: 'object',
  required: ['kind'],
  properties: { kind: { enum: ['records', 'instances', 'tasks'] } },
  oneOf: [
    {
      type: 'object',
      additionalProperties: false,
      required: ['kind', 'formKey'],
      properties: {
        kind: { const: 'records' },
        formKey: { type: 'string', minLength: 1, maxLength: 200 },
        subForm: FIELD,
        latestPer: {
          type: 'object', additionalProperties: false, required: ['field', 'by'], properties: { field: FIELD, by: FIELD },
        },
      },
    },
    {
      type: 'object',
      additionalProperties: false,
      required: ['kind'],
      properties: { kind: { enum: ['instances', 'tasks'] }, definitionKey: { type: 'string', minLength: 1, maxLength: 200 } },
    },
  ],
};

export const chartQuerySchema = {
  type: 'object',
  additionalProperties: false,
  required: ['source'],
  properties: {
    source: chartSourceSchema,
    dimensions: {
      type: 'array',
      maxItems: MAX_DIMENSIONS,
      items: { type: 'object', additionalProperties: false, required: ['field'], properties: { field: FIELD, bucket: { enum: BUCKETS }, label: { type: 'string', maxLength: 200 } } },
    },
    measures: {
      type: 'array',
      maxItems: MAX_MEASURES,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['agg'],
        properties: {
          agg: { enum: AGGREGATIONS },
          field: FIELD,
          duration: {
            type: 'object',
            additionalProperties: false,
            required: ['from', 'to'],
            properties: { from: FIELD, to: FIELD, unit: { enum: DURATION_UNITS } },
          },
          where: { type: 'array', maxItems: MAX_FILTERS, items: filterSchema },
          label: { type: 'string', maxLength: 200 },
        },
      },
    },
    filters: { type: 'array', maxItems: MAX_FILTERS, items: filterSchema },
    sort: {
      type: 'array',
      maxItems: MAX_SORT,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['by', 'index'],
        properties: { by: { enum: ['measure', 'dimension'] }, index: { type: 'integer', minimum: 0, maximum: 10 }, desc: { type: 'boolean' } },
      },
    },
    limit: { type: 'integer', minimum: 1, maximum: MAX_GROUPS },
  },
};

const ajv = new Ajv({ allErrors: true, strict: false });
const checkQuery = ajv.compile<ChartQuery>(chartQuerySchema);

/** ajv's errors as details with a JSON pointer under `prefix` (e.g. `/widgets/2/query`). */
export function ajvDetails(errors: ErrorObject[] | null | undefined, prefix = ''): ErrorDetail[] {
  const details = (errors ?? [])
    // oneOf's own error repeats what its branches said.
    .filter((error) => error.keyword !== 'oneOf' && error.keyword !== 'if')
    .map((error) => {
      const extra = error.keyword === 'additionalProperties' ? `/${(error.params as { additionalProperty: string }).additionalProperty}` : '';
      return { pointer: `${prefix}${error.instancePath}${extra}` || '/', message: error.message ?? 'invalid' };
    });
  return details.slice(0, 20);
}

export function invalidQuery(pointer: string, message: string): ValidationError {
  return new ValidationError(`Invalid chart query at ${pointer}: ${message}`, [{ pointer, message }], 'invalid_chart_query');
}

/** The structural check: shape, types, bounds. Throws 422 with every problem found. */
export function checkChartQuery(body: unknown, prefix = ''): ChartQuery {
  if (!checkQuery(body)) {
    const details = ajvDetails(checkQuery.errors, prefix);
    throw new ValidationError(`Invalid chart query: ${details.map((d) => `${d.pointer} ${d.message}`).join('; ')}`, details, 'invalid_chart_query');
  }
  return body;
}
