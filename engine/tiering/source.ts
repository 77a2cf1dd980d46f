/**
 * Where an app's tiering reads its facts: which form holds the customers and which forms hold
 * their contracts, visits and payments, by field name. Records name their customer by the
 * customer form's key field (the key-account app's `x-lookup` on `customer_profile.name`).
 */
export interface TieringSource {
  /** The template app (URL segment of POST /api/apps/:app/tiering/run). */
  app: string;
  /** Local dates (signed_on, visited_on) are read in this zone: "today" is its date. */
  timeZone: string;
  customers: { form: string; key: string };
  /** Signed contracts: revenue (ABC, RFM monetary), purchases (RFM frequency) and activity (recency). */
  contracts: {
    form: string;
    customer: string;
    amount: string;
    date: string;
    status?: string;
    /**
     * Statuses that make a contract a sale while its process still runs: the key-account
     * contract_approval process keeps the instance running after signature, to track the
     * payments, and writes `signed` (then `paid`) to the record when it is signed.
     */
    saleWhileRunning?: string[];
  };
  /** Visits: activity only (recency). */
  visits: { form: string; customer: string; date: string };
  /**
   * Payments: activity only (recency), read when the form exists. Not revenue: a payment is
   * money of a contract already counted at signature, counting it again would count it twice.
   */
  payments: { form: string; customer: string; date: string };
  /** ABC ranks revenue of contracts signed in the last `abcWindowDays` days. */
  abcWindowDays: number;
  /** RFM frequency and monetary count the last `rfmWindowDays` days. */
  rfmWindowDays: number;
}

/**
 * Contract statuses that are not (or no longer) a sale. A contract form without a status
 * field counts every record that has a signing date; one that runs an approval process
 * counts only once its process has completed, or while it runs with a `saleWhileRunning` status.
 */
export const NOT_A_SALE = ['draft', 'pending', 'submitted', 'rejected', 'withdrawn', 'cancelled', 'void'];

export const KEY_ACCOUNT_TIERING: TieringSource = {
  app: 'key-account',
  timeZone: 'Asia/Shanghai',
  customers: { form: 'customer_profile', key: 'name' },
  contracts: { form: 'contract', customer: 'customer', amount: 'amount', date: 'signed_on', status: 'status', saleWhileRunning: ['signed', 'paid'] },
  visits: { form: 'visit_record', customer: 'customer', date: 'visited_on' },
  payments: { form: 'payment_record', customer: 'customer', date: 'paid_on' },
  abcWindowDays: 730,
  rfmWindowDays: 365,
};

const SOURCES = new Map([[KEY_ACCOUNT_TIERING.app, KEY_ACCOUNT_TIERING]]);

export function tieringSourceOf(app: string): TieringSource | undefined {
  return SOURCES.get(app);
}

/** `at`'s calendar date (YYYY-MM-DD) in `timeZone`. */
export function localDate(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}
