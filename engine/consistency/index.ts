/**
 * The database invariants `npm run check:consistency` verifies (docs/operations.md): after a
 * crash, a restore or a bug, these say whether the stored state is one the engine could have
 * written. Read-only; each check is a query or two, in one REPEATABLE READ snapshot so a
 * server running meanwhile cannot make a check see half a command.
 */
import type { Db } from '../db/connection.ts';
import { flowRecordMismatches } from './flowRecords.ts';
import { tasksWithoutWaitingToken } from './openTasks.ts';
import { orphanWaits } from './orphanWaits.ts';
import type { Violation } from './violations.ts';
import { tokensWaitingOnNothing } from './waitingTokens.ts';

export type { Invariant, Violation } from './violations.ts';

export const CONSISTENCY_CHECKS = {
  'every waiting token waits on a task, subscription, job or called instance': tokensWaitingOnNothing,
  'every open task belongs to a waiting token of a live instance': tasksWithoutWaitingToken,
  'token-owned jobs and subscriptions belong to a live token': orphanWaits,
  'every flow-form record matches its instance': flowRecordMismatches,
} satisfies Record<string, (db: Db) => Promise<Violation[]>>;

export async function checkConsistency(db: Db, onCheck: (name: string, violations: number) => void = () => {}): Promise<Violation[]> {
  return db.transaction(
    async (trx) => {
      const violations: Violation[] = [];
      for (const [name, check] of Object.entries(CONSISTENCY_CHECKS)) {
        const found = await check(trx);
        onCheck(name, found.length);
        violations.push(...found);
      }
      return violations;
    },
    { isolationLevel: 'repeatable read', readOnly: true },
  );
}
