/** Facts per customer → tier and RFM scores per customer (pure: abc.ts and rfm.ts together). */
import { abcTiers, type Tier } from './abc.ts';
import type { CustomerFacts } from './facts.ts';
import { rfmScores, type RfmRow } from './rfm.ts';

export interface CustomerTiering {
  tier: Tier;
  revenue: number;
  rfm: Omit<RfmRow, 'customer'>;
}

const NO_FACTS: CustomerFacts = { revenue: 0, frequency: 0, monetary: 0, lastActivityOn: null, recencyDays: null };

/** One result per distinct customer key; customers without facts are C with RFM 1-1-1. */
export function tierCustomers(customers: readonly string[], facts: ReadonlyMap<string, CustomerFacts>): Map<string, CustomerTiering> {
  const keys = [...new Set(customers)];
  const factsOf = (customer: string) => facts.get(customer) ?? NO_FACTS;
  const abc = new Map(abcTiers(keys.map((customer) => ({ customer, revenue: factsOf(customer).revenue }))).map((row) => [row.customer, row]));
  const rfm = new Map(
    rfmScores(keys.map((customer) => ({ customer, ...factsOf(customer) }))).map(({ customer, ...scores }) => [customer, scores]),
  );
  return new Map(keys.map((customer) => [customer, { tier: abc.get(customer)!.tier, revenue: factsOf(customer).revenue, rfm: rfm.get(customer)! }]));
}
