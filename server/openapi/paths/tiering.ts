/** Customer tiering of a template app (server/routes/tiering.ts). */
import { dateTime, int, obj, operation, pathParam, str, type Paths } from '../builders.ts';

export const tieringPaths: Paths = {
  '/api/apps/{app}/tiering/run': {
    post: operation({
      operationId: 'runTiering',
      tag: 'apps',
      summary: "Recompute the app's customer tiers (ABC by revenue) and RFM scores now",
      summaryZh: '重新计算客户分级',
      description:
        'Writes `tier`, `tier_revenue`, `rfm` (recency, frequency, monetary, score, segment) and `tier_computed_at` ' +
        "to every customer record through the record update command, attributed to the caller; the same run happens daily at 02:00 in the app's time zone.",
      admin: true,
      parameters: [pathParam('app', 'Template app key, e.g. key-account')],
      response: obj(
        {
          app: str(),
          computedAt: dateTime('Written to each record as tier_computed_at'),
          asOf: str('The date the windows end on, in the app\'s time zone', { format: 'date' }),
          customers: int('Customer records written'),
          tiers: obj({ A: int(), B: int(), C: int() }, ['A', 'B', 'C'], 'Customer records per tier'),
        },
        ['app', 'computedAt', 'asOf', 'customers', 'tiers'],
      ),
      errors: [404, 409, 422],
    }),
  },
};
