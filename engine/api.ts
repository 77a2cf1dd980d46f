/**
 * The engine's public types, errors and input parsers: what `server/` may use besides the
 * engine object itself (engine/engine.ts). Re-exports only; nothing here touches the database.
 */
export type { Engine, EngineOptions, InstanceView } from './engine.ts';
export type { DomainEvent } from './events.ts';
export { ConflictError, ForbiddenError, LiuzhuanError, NotFoundError, ValidationError } from './errors.ts';
export type { AuthUser } from './identity/types.ts';
export { UUID_PATTERN } from './identity/org.ts';
export { SESSION_TTL_MS } from './identity/sessions.ts';
export type { TaskDecision } from './commands/completeTask.ts';
export type { TaskRow } from './store/tasks.ts';
export type { RoutingRule } from './store/routing.ts';
export type { RuleErrorReporter } from './routing/route.ts';
export type { InstanceStatus } from './runtime/instanceRun.ts';
export { INSTANCE_STATUSES } from './store/instanceList.ts';
export { parsePaging, type Paging } from './inbox/paging.ts';
/** The `data` member of a record or submission body; 422 when there is none. */
export { dataOf } from './forms/records.ts';
export { MAX_IMPORT_BYTES } from './imports/limits.ts';
export type { ImportJobView } from './imports/types.ts';
export { executorHealth, jobsDegraded } from './jobs/health.ts';
export type { JobExecutor } from './jobs/executor.ts';
export type { PublicLinkPage, PublicLinkView } from './publicLinks/api.ts';
export { hookRequestsPerMinute, WEBHOOK_EVENTS } from './webhooks/settings.ts';
export type { DeliveryView, HookView, SubscriptionView } from './webhooks/store.ts';
export { PACKAGE_LIMITS, packageFileName, type AppPackage } from './packages/format.ts';
export type { PackagePreview } from './packages/api.ts';
