/** What a process scenario gets and gives (scenarios.ts lists them). */
import type { CustomerProfile } from '../../types.generated.ts';
import type { DemoContext } from '../context.ts';
import type { Random } from '../random.ts';

export interface ScenarioInput {
  /** The generated customers, in plan order. */
  customers: CustomerProfile[];
  random: Random;
  /** Customers a scenario already took (customerOf). */
  used: Set<string>;
}

export interface ProcessScenario {
  processKey: string;
  /** Returns how many instances it started. */
  run(ctx: DemoContext, input: ScenarioInput): Promise<number>;
}

/**
 * A customer of `owner` not used by another scenario yet (so each customer has one story),
 * drawn from the seed; any unused customer when the owner has none left, then any customer
 * at all — but never one in `exclude` (undefined when that leaves none).
 */
export function customerOf(input: ScenarioInput, owner: string, exclude?: Set<string>): CustomerProfile | undefined {
  const allowed = input.customers.filter((customer) => !exclude?.has(customer.name));
  const free = allowed.filter((customer) => !input.used.has(customer.name));
  const theirs = free.filter((customer) => customer.owner === owner);
  const pool = theirs.length ? theirs : free.length ? free : allowed;
  if (!pool.length) return undefined;
  const customer = input.random.pick(pool);
  input.used.add(customer.name);
  exclude?.add(customer.name);
  return customer;
}

/** customerOf for scenarios that may share a customer with others (there is always one). */
export function anyCustomerOf(input: ScenarioInput, owner: string): CustomerProfile {
  return customerOf(input, owner)!;
}
