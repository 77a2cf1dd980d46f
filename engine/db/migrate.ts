/**
 * Runs the schema migrations. The migrations are imported statically (not discovered on
 * disk) so they work the same under tsx, vitest and a bundled build.
 */
import type { Knex } from 'knex';
import type { Db } from './connection.ts';
import * as initial from './migrations/001_initial.ts';
import * as socketIo from './migrations/002_socket_io.ts';
import * as routing from './migrations/010_routing.ts';
import * as automations from './migrations/011_automations.ts';
import * as approval from './migrations/020_approval.ts';
import * as automationJobs from './migrations/022_automation_jobs.ts';
import * as flowForms from './migrations/023_flow_forms.ts';
import * as formSerials from './migrations/024_form_serials.ts';
import * as ticketTaskLink from './migrations/031_ticket_task_link.ts';
import * as recordSorting from './migrations/034_record_sorting.ts';
import * as scheduledAutomations from './migrations/035_scheduled_automations.ts';
import * as publicLinks from './migrations/036_public_links.ts';
import * as dataPermissions from './migrations/037_data_permissions.ts';
import * as personalDataAudit from './migrations/038_personal_data_audit.ts';
import * as dashboards from './migrations/040_dashboards.ts';
import * as chartIndexes from './migrations/041_chart_indexes.ts';
import * as chartDateReadings from './migrations/042_chart_date_readings.ts';
import * as inboxIndexes from './migrations/043_inbox_indexes.ts';
import * as importJobs from './migrations/044_import_jobs.ts';
import * as webhooks from './migrations/045_webhooks.ts';
import * as webhookTriggers from './migrations/046_webhook_triggers.ts';
import * as appPackages from './migrations/047_app_packages.ts';
import * as importSubformSheets from './migrations/049_import_subform_sheets.ts';
import * as identityNotify from './migrations/050_identity_notify.ts';
import * as taskOffers from './migrations/051_task_offers.ts';
import * as instanceWriteCost from './migrations/052_instance_write_cost.ts';
import * as tasksAssigneeFirst from './migrations/054_tasks_assignee_first.ts';

interface Migration {
  up(db: Knex): Promise<void>;
  down(db: Knex): Promise<void>;
}

const migrations: Record<string, Migration> = {
  '001_initial': initial,
  '002_socket_io': socketIo,
  '010_routing': routing,
  '011_automations': automations,
  '020_approval': approval,
  '022_automation_jobs': automationJobs,
  '023_flow_forms': flowForms,
  '024_form_serials': formSerials,
  '031_ticket_task_link': ticketTaskLink,
  '034_record_sorting': recordSorting,
  '035_scheduled_automations': scheduledAutomations,
  '036_public_links': publicLinks,
  '037_data_permissions': dataPermissions,
  '038_personal_data_audit': personalDataAudit,
  '040_dashboards': dashboards,
  '041_chart_indexes': chartIndexes,
  '042_chart_date_readings': chartDateReadings,
  '043_inbox_indexes': inboxIndexes,
  '044_import_jobs': importJobs,
  '045_webhooks': webhooks,
  '046_webhook_triggers': webhookTriggers,
  '047_app_packages': appPackages,
  '049_import_subform_sheets': importSubformSheets,
  '050_identity_notify': identityNotify,
  '051_task_offers': taskOffers,
  '052_instance_write_cost': instanceWriteCost,
  '054_tasks_assignee_first': tasksAssigneeFirst,
};

const source: Knex.MigrationSource<string> = {
  async getMigrations() {
    return Object.keys(migrations).sort();
  },
  getMigrationName(name) {
    return name;
  },
  async getMigration(name) {
    return migrations[name]!;
  },
};

export async function migrateToLatest(db: Db): Promise<string[]> {
  const [, applied] = (await db.migrate.latest({ migrationSource: source })) as [number, string[]];
  return applied;
}

/** The migrations this build knows, in order: `/api/ready` compares them with the applied ones. */
export function knownMigrations(): string[] {
  return Object.keys(migrations).sort();
}
