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
 * drawn from the seed; any unused customer when the owner has none left.
 */
export function customerOf(input: ScenarioInput, owner: string): CustomerProfile {
  const free = input.customers.filter((customer) => !input.used.has(customer.name));
  const theirs = free.filter((customer) => customer.owner === owner);
  const customer = input.random.pick(theirs.length ? theirs : free.length ? free : input.customers);
  input.used.add(customer.name);
  return customer;
}
