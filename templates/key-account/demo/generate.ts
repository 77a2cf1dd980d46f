/**
 * One demo run: checks the template app is installed and the demo users exist, refuses when
 * this plan's customers are already there (a second run must not duplicate), then writes the
 * history (records.ts), the live process states (live.ts) and runs tiering so the ABC and
 * RFM tiers on the profile cards are computed from that history, not made up.
 *
 * Two runs at once: a session advisory lock lets one through; the other is refused.
 */
import type { Engine } from '../../../engine/engine.ts';
import { demoCustomers } from '../demo.ts';
import { loadDemoUsers, userOf, type DemoContext } from './context.ts';
import { createLiveStates, type LiveSummary } from './live.ts';
import { buildDemoPlan, type DemoOptions } from './plan.ts';
import { silentProgress, type Progress } from './progress.ts';
import { writeHistory } from './records.ts';

const DEMO_LOCK = 'liuzhuan.demo';
const REQUIRED_FORMS = ['customer_profile', 'contract', 'payment_record', 'visit_record', 'complaint', 'satisfaction_survey'];

/** The run did nothing, for the reason given (not installed, already there, running elsewhere). */
export class DemoRefused extends Error {}

export interface DemoResult {
  customers: number;
  contracts: number;
  payments: number;
  visits: number;
  surveys: number;
  complaints: number;
  live: LiveSummary;
  tiers: Record<'A' | 'B' | 'C', number>;
}

export async function generateDemo(engine: Engine, options: DemoOptions, progress: Progress = silentProgress): Promise<DemoResult> {
  const db = engine.deps.db;
  const missing: string[] = [];
  for (const key of REQUIRED_FORMS) if (!(await db('forms').where({ key }).first('key'))) missing.push(key);
  if (missing.length) {
    throw new DemoRefused(
      `The key-account template app is not installed (missing forms: ${missing.join(', ')}). ` +
        'Start the server once on this database with templates enabled (npm start; LIUZHUAN_LOAD_TEMPLATES unset) first.',
    );
  }
  const users = await loadDemoUsers(engine).catch((error: Error) => {
    throw new DemoRefused(error.message);
  });
  // The hand-written demo customers (demo.ts) keep their names: the plan never draws them.
  const plan = buildDemoPlan(options, demoCustomers.map((customer) => customer.name));

  const lock = await db.transaction();
  try {
    const { rows } = await lock.raw('SELECT pg_try_advisory_xact_lock(hashtext(?)) AS ok', [DEMO_LOCK]);
    if (!rows[0].ok) throw new DemoRefused('Another demo run is writing to this database right now; nothing was created.');
    const names = plan.customers.map((customer) => customer.data.name);
    const present = await db('records').where('form_key', 'customer_profile').whereRaw("data->>'name' = ANY(?)", [names]).first('data');
    if (present) {
      throw new DemoRefused(
        `This database already holds demo data (customer "${present.data.name}" exists); nothing was created. ` +
          'Use a fresh database, or another --seed for a second, different set.',
      );
    }
    const ctx: DemoContext = { engine, users, progress, today: options.today };
    await writeHistory(ctx, plan);
    const live = await createLiveStates(ctx, plan, options.seed);
    progress.phase('tiering (ABC, RFM)', 1);
    const tiering = await engine.runTiering({ app: 'key-account', actor: userOf(ctx, 'admin') });
    progress.step();
    return {
      customers: plan.customers.length,
      contracts: plan.contracts.length,
      payments: plan.payments.length,
      visits: plan.visits.length,
      surveys: plan.surveys.length,
      complaints: plan.complaints.length,
      live,
      tiers: tiering.tiers,
    };
  } finally {
    await lock.commit();
  }
}
