/**
 * The engine's limits against runaway models and expressions: one request must never be able
 * to take the node down (memory) or hold its event loop for long (time). Every limit has a
 * default that no reasonable model comes near and an environment variable to change it
 * (README → Configuration). The limits are process-wide: the FEEL sandbox is one worker per
 * process, and compile/runtime code reads them without an engine at hand.
 */

export interface EngineLimits {
  /** Largest multi-instance: loopCardinality and collection size (LIUZHUAN_MAX_CARDINALITY). */
  maxCardinality: number;
  /** Live tokens (executions) one instance may hold (LIUZHUAN_MAX_TOKENS). */
  maxTokens: number;
  /** Steps one command may run before every token waits (LIUZHUAN_MAX_STEPS). */
  maxSteps: number;
  /** Time one command may spend running the model, lock waits not counted (LIUZHUAN_MAX_COMMAND_MS). */
  maxCommandMs: number;
  /** Time one expression evaluation may take, and the evaluations of one step of a command together (LIUZHUAN_EXPRESSION_TIMEOUT_MS). */
  expressionTimeoutMs: number;
  /**
   * Longest time one expression evaluation or syntax check may hold the event loop
   * (LIUZHUAN_MAX_BLOCKING_MS): the caller waits for the FEEL sandbox synchronously, so every
   * other request waits with it. On Linux the time held by the sandbox worker's own doing
   * (wall-clock time less its run-queue delay, expressions/feelSandbox.ts) or the checking
   * thread's processor time, bounded in wall-clock time by maxBlockingWallMs; wall-clock time
   * elsewhere.
   */
  maxBlockingMs: number;
  /**
   * Longest wall-clock time one evaluation or syntax check may hold the event loop however little
   * processor time the machine gives it (LIUZHUAN_MAX_BLOCKING_WALL_MS): the backstop for a
   * worker descheduled by a loaded machine, which may be a hostile expression as well as an
   * honest one.
   */
  maxBlockingWallMs: number;
  /** Heap of the FEEL sandbox worker (LIUZHUAN_EXPRESSION_MEMORY_MB). */
  expressionMemoryMb: number;
  /** Size of one expression's result as JSON text (LIUZHUAN_EXPRESSION_MAX_RESULT_BYTES). */
  expressionMaxResultBytes: number;
  /** Shortest interval between two firings of a timer cycle (LIUZHUAN_MIN_TIMER_CYCLE_MS). */
  minTimerCycleMs: number;
  /** Flow nodes plus sequence flows one deployed process may have (LIUZHUAN_MAX_MODEL_ELEMENTS). */
  maxModelElements: number;
  /** Records one tick of a scheduled automation runs for (LIUZHUAN_MAX_RECORDS_PER_TICK). */
  maxRecordsPerTick: number;
}

export const DEFAULT_LIMITS: Readonly<EngineLimits> = Object.freeze({
  maxCardinality: 1_000,
  maxTokens: 10_000,
  maxSteps: 20_000,
  maxCommandMs: 3_000,
  expressionTimeoutMs: 1_000,
  // 100 keeps /api/health within 200 ms under hostile models on a quiet machine: a stopped
  // expression holds it for the bound, the worker's queueing behind its own garbage collector's
  // helpers on two cores, and the stop (docs/security.md). It does not count the time a loaded
  // machine keeps the worker waiting for a processor: as a wall-clock bound, 150 refused the
  // FEEL expression "0" at load 20 (its worker descheduled), and the default had to be 500; a
  // descheduled worker now ends at the wall-clock budget instead.
  maxBlockingMs: 100,
  // The former wall-clock default: a hostile expression holds the loop no longer than it could
  // before on a loaded machine (at load 13 on two cores it gets about a seventh of a processor,
  // and 150 ms of processor time took it the whole expression limit of 1 s), and an honest one
  // is refused only when the machine leaves it no processor time for half a second.
  maxBlockingWallMs: 500,
  expressionMemoryMb: 64,
  expressionMaxResultBytes: 1_000_000,
  minTimerCycleMs: 60_000,
  maxModelElements: 5_000,
  maxRecordsPerTick: 10_000,
});

const ENV_NAMES: Record<keyof EngineLimits, string> = {
  maxCardinality: 'LIUZHUAN_MAX_CARDINALITY',
  maxTokens: 'LIUZHUAN_MAX_TOKENS',
  maxSteps: 'LIUZHUAN_MAX_STEPS',
  maxCommandMs: 'LIUZHUAN_MAX_COMMAND_MS',
  expressionTimeoutMs: 'LIUZHUAN_EXPRESSION_TIMEOUT_MS',
  maxBlockingMs: 'LIUZHUAN_MAX_BLOCKING_MS',
  maxBlockingWallMs: 'LIUZHUAN_MAX_BLOCKING_WALL_MS',
  expressionMemoryMb: 'LIUZHUAN_EXPRESSION_MEMORY_MB',
  expressionMaxResultBytes: 'LIUZHUAN_EXPRESSION_MAX_RESULT_BYTES',
  minTimerCycleMs: 'LIUZHUAN_MIN_TIMER_CYCLE_MS',
  maxModelElements: 'LIUZHUAN_MAX_MODEL_ELEMENTS',
  maxRecordsPerTick: 'LIUZHUAN_MAX_RECORDS_PER_TICK',
};

/** The environment variable that sets `limit`, for error messages that tell how to raise it. */
export function limitEnvName(limit: keyof EngineLimits): string {
  return ENV_NAMES[limit];
}

let current: EngineLimits = { ...DEFAULT_LIMITS };

export function engineLimits(): Readonly<EngineLimits> {
  return current;
}

/** Replaces the limits: the defaults, overridden by `overrides` (a server calls this once at start). */
export function configureEngineLimits(overrides: Partial<EngineLimits> = {}): void {
  current = { ...DEFAULT_LIMITS, ...overrides };
}

/** The limits set in `env`; anything but a positive whole number is a start-up error. */
export function readEngineLimits(env: NodeJS.ProcessEnv): Partial<EngineLimits> {
  const limits: Partial<EngineLimits> = {};
  for (const [key, name] of Object.entries(ENV_NAMES) as Array<[keyof EngineLimits, string]>) {
    const text = env[name]?.trim();
    if (!text) continue;
    const value = Number(text);
    if (!/^\d+$/.test(text) || !Number.isSafeInteger(value) || value < 1) {
      throw new Error(`${name} must be a whole number ≥ 1, got "${env[name]}"`);
    }
    limits[key] = value;
  }
  return limits;
}
