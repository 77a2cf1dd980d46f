/**
 * The demo's business data as a pure function of (seed, size, reference date): customers
 * across tiers with two years of contracts and installments, visits, complaints and surveys.
 * Nothing here touches the database, so "same seed, same data" is a property of this file
 * alone; records.ts writes the plan through the engine.
 */
import type { Complaint, Contract, CustomerProfile, PaymentRecord, SatisfactionSurvey, VisitRecord } from '../types.generated.ts';
import { addDays, addMonths, beijingTime } from './dates.ts';
import {
  address, COMPLAINT_TEXTS, companyName, CONTRACT_TITLES, INDUSTRIES, personName, PRODUCTS, SURVEY_COMMENTS, VISIT_PURPOSES, VISIT_SUMMARIES,
} from './names.ts';
import { seededRandom, type Random } from './random.ts';

export interface DemoOptions {
  seed: number;
  customers: number;
  /** The reference date (YYYY-MM-DD): history lies before it, due dates around it. */
  today: string;
}

/** A record to create and the demo user who creates it. */
export interface Planned<T> {
  data: T;
  by: string;
}

export interface DemoPlan {
  customers: Planned<CustomerProfile>[];
  contracts: Planned<Contract>[];
  /** A payment_record per paid installment (entered by finance). */
  payments: Planned<PaymentRecord>[];
  visits: Planned<VisitRecord>[];
  /** Handled complaints of the past: their department ticket is claimed and closed by the handler. */
  complaints: Planned<Complaint>[];
  surveys: Planned<SatisfactionSurvey>[];
}

/** Customer owners (sales, and a service colleague who keeps a few accounts), by weight. */
const OWNERS = [['zhangsan', 4], ['zhaoliu', 2], ['lisi', 1]] as const;
/** Who handles a complaint of each routed department (server/bootstrap.ts demo organisation). */
const HANDLERS = { finance: 'wangwu', service: 'lisi' } as const;
/** Days between visits by tier: A monthly, B quarterly, C twice a year (the revisit schedule). */
export const REVISIT_DAYS = { A: 30, B: 90, C: 180 } as const;
const HISTORY_DAYS = 730;

export function buildDemoPlan(options: DemoOptions, reservedNames: Iterable<string> = []): DemoPlan {
  const random = seededRandom(options.seed);
  const plan: DemoPlan = { customers: [], contracts: [], payments: [], visits: [], complaints: [], surveys: [] };
  const taken = new Set(reservedNames);
  // Customer size follows a Pareto law, so a few customers bring most revenue (real ABC tiers).
  const sizes = Array.from({ length: options.customers }, () => Math.min(40, (1 - random.next()) ** (-1 / 1.2)));
  const ranked = [...sizes].sort((a, b) => b - a);
  const tierOf = (size: number): CustomerProfile['tier'] => {
    const rank = ranked.indexOf(size) / Math.max(1, sizes.length);
    return rank < 0.2 ? 'A' : rank < 0.5 ? 'B' : 'C';
  };
  let contractSeq = 0;
  for (const size of sizes) {
    const industry = random.pick(INDUSTRIES);
    const name = companyName(random, industry, taken);
    const owner = random.weighted(OWNERS);
    const place = address(random);
    const contact = personName(random);
    const tier = tierOf(size);
    plan.customers.push({
      by: owner,
      data: {
        name,
        industry,
        tier,
        contact,
        phone: `${place.areaCode}-5555 ${String(random.int(1000, 9999))}`,
        ...(random.chance(0.7) ? { email: `contact${plan.customers.length + 1}@example.com` } : {}),
        address: place.address,
        annual_revenue: Math.round(size * random.int(200, 600)) * 1000,
        owner,
      },
    });
    // A tenth of the customers went quiet: their last contract is well over a year old.
    const quiet = random.chance(0.1);
    const contracts = Math.min(6, 1 + Math.floor(size / 2) + (random.chance(0.4) ? 1 : 0));
    for (let i = 0; i < contracts; i += 1) {
      const signed = addDays(options.today, -(quiet ? random.int(400, HISTORY_DAYS - 1) : random.int(1, HISTORY_DAYS - 1)));
      const contract = contractOf(random, name, signed, size, (contractSeq += 1), options.today);
      plan.contracts.push({ by: owner, data: contract });
      plan.payments.push(...paymentsOf(random, contract, options.today));
    }
    const lastVisit = planVisits(random, plan, name, owner, tier, quiet, options.today);
    // The next revisit follows the tier's rhythm; one already due is taken as booked within the
    // next weeks, so the daily revisit schedule starts a few each day, not all on the first tick.
    const rhythm = lastVisit ? addDays(lastVisit, REVISIT_DAYS[tier]) : options.today;
    const booked = addDays(options.today, random.int(1, 30));
    Object.assign(plan.customers[plan.customers.length - 1]!.data, {
      ...(lastVisit ? { last_visit_on: lastVisit } : {}),
      next_revisit_on: rhythm > options.today ? rhythm : booked,
    } satisfies Partial<CustomerProfile>);
    if (random.chance(0.25 + Math.min(0.3, size / 40))) plan.complaints.push(complaintOf(random, name, owner, options.today));
  }
  ensureOverdue(plan, options.today);
  for (const { data } of plan.contracts) data.status = data.payments.every((p) => p.paid) ? 'paid' : 'signed';
  // Creation order follows the business dates, so "newest first" lists read naturally.
  plan.contracts.sort((a, b) => a.data.signed_on.localeCompare(b.data.signed_on));
  plan.payments.sort((a, b) => a.data.paid_on.localeCompare(b.data.paid_on));
  plan.visits.sort((a, b) => a.data.visited_on.localeCompare(b.data.visited_on));
  plan.complaints.sort((a, b) => (a.data.received_at ?? '').localeCompare(b.data.received_at ?? ''));
  plan.surveys.sort((a, b) => (a.data.surveyed_on ?? '').localeCompare(b.data.surveyed_on ?? ''));
  return plan;
}

function contractOf(random: Random, customer: string, signed: string, size: number, seq: number, today: string): Contract {
  const amount = Math.round((size * random.int(60, 240)) / 1) * 1000;
  const installments = random.int(2, 4);
  const payments: Contract['payments'] = [];
  let left = amount;
  for (let i = 0; i < installments; i += 1) {
    const due = addMonths(signed, 1 + i * 3);
    const part = i === installments - 1 ? left : Math.round(amount / installments / 1000) * 1000;
    left -= part;
    const age = Date.parse(today) - Date.parse(due);
    // Long past: almost always paid; recently due: often still open (overdue); future: open.
    const paid = age > 20 * 86_400_000 ? random.chance(0.95) : age >= 0 ? random.chance(0.5) : false;
    payments.push({ due_on: due, amount: part, paid });
  }
  const thousands = amount / 1000;
  const quantity = random.pick([1, 2, 4, 5, 10].filter((q) => thousands % q === 0));
  return {
    customer,
    contract_no: `HT-${signed.slice(0, 4)}-${String(seq).padStart(4, '0')}`,
    title: random.pick(CONTRACT_TITLES),
    products: [{ name: random.pick(PRODUCTS), quantity, unit_price: amount / quantity }],
    amount,
    currency: 'CNY',
    signed_on: signed,
    end_on: addDays(addMonths(signed, 12), -1),
    payments,
  };
}

/** The paid installments as finance entered them, a few days around their due date (never after today). */
function paymentsOf(random: Random, contract: Contract, today: string): Planned<PaymentRecord>[] {
  return contract.payments.flatMap((payment, index) => {
    if (!payment.paid) return [];
    const late = addDays(payment.due_on, random.int(-5, 10));
    return [{
      by: 'wangwu',
      data: {
        contract_no: contract.contract_no,
        installment: index + 1,
        customer: contract.customer,
        method: random.weighted([['bank_transfer', 6], ['acceptance_bill', 2], ['cheque', 1]] as const),
        paid_on: late < today ? late : addDays(today, -1),
        amount: payment.amount,
        handler: 'wangwu',
      },
    }];
  });
}

/** The customer's visits (and surveys after some); returns the last visit's date. */
function planVisits(random: Random, plan: DemoPlan, customer: string, owner: string, tier: CustomerProfile['tier'], quiet: boolean, today: string): string | undefined {
  let last: string | undefined;
  const count = quiet ? random.int(0, 1) : random.int(1, tier === 'A' ? 8 : tier === 'B' ? 5 : 3);
  for (let i = 0; i < count; i += 1) {
    const visited = addDays(today, -(quiet ? random.int(200, HISTORY_DAYS - 1) : random.int(1, HISTORY_DAYS - 1)));
    if (!last || visited > last) last = visited;
    plan.visits.push({
      by: owner,
      data: {
        customer,
        visited_on: visited,
        visitor: owner,
        method: random.weighted([['onsite', 5], ['phone', 3], ['video', 2]] as const),
        purpose: random.pick(VISIT_PURPOSES),
        summary: random.pick(VISIT_SUMMARIES),
        next_visit_on: addDays(visited, REVISIT_DAYS[tier]),
      },
    });
    // About half the visits were followed by a satisfaction survey a few days later.
    if (random.chance(0.5)) {
      const score = random.weighted([[random.int(90, 100), 4], [random.int(80, 89), 4], [random.int(60, 79), 2]] as const);
      plan.surveys.push({
        by: owner,
        data: {
          customer,
          surveyed_on: addDays(visited, random.int(1, 3)),
          channel: random.pick(['phone', 'email', 'online'] as const),
          score,
          would_recommend: score >= 75,
          comments: random.pick(SURVEY_COMMENTS),
        },
      });
    }
  }
  return last;
}

function complaintOf(random: Random, customer: string, owner: string, today: string): Planned<Complaint> {
  const category = random.weighted([['quality', 3], ['delivery', 3], ['billing', 2], ['service', 2], ['other', 1]] as const);
  // History only: the complaints of the last month are live processes (scenarios/complaint.ts).
  const received = addDays(today, -random.int(31, HISTORY_DAYS - 1));
  const handler = category === 'billing' ? HANDLERS.finance : HANDLERS.service;
  const hour = random.int(9, 15);
  return {
    by: owner,
    data: {
      customer,
      category,
      severity: random.weighted([['low', 3], ['medium', 4], ['high', 2], ['critical', 1]] as const),
      description: random.pick(COMPLAINT_TEXTS[category]),
      received_at: beijingTime(received, hour, random.int(0, 59)),
      owner,
      first_response: '已联系客户，确认问题并安排处理。',
      first_response_at: beijingTime(received, hour + random.int(1, 3)),
      status: 'closed',
      handler,
      resolution: '已与客户沟通并处理完毕。',
      confirmation: 'satisfied',
      confirmation_channel: 'phone',
      reopen_count: 0,
      closed_at: beijingTime(addDays(received, random.int(2, 10)), 17),
    },
  };
}

/** At least one installment overdue (a promised demo state), whatever the seed drew. */
function ensureOverdue(plan: DemoPlan, today: string) {
  const overdue = (contract: Contract) => contract.payments.some((p) => !p.paid && p.due_on < today);
  if (plan.contracts.some((c) => overdue(c.data))) return;
  const candidate = plan.contracts
    .flatMap((c) => c.data.payments.filter((p) => p.due_on < today))
    .sort((a, b) => b.due_on.localeCompare(a.due_on))[0];
  if (candidate) candidate.paid = false;
}
