/**
 * Which rooms a domain event concerns. The engine names people the way BPMN models do
 * (usernames, role names, department codes); sockets sit in rooms by id. Lookups are cached
 * for a few seconds: a burst of tasks for one group costs one query, and an organisation
 * change shows up after at most one TTL.
 */
import type { Db } from '../../engine/db/connection.ts';
import type { DomainEvent } from '../../engine/events.ts';
import { ADMINS_ROOM, departmentRoom, userRoom } from './socketAuth.ts';

const ROLES = new Set(['admin', 'staff']);
const MAX_ENTRIES = 5_000;

/** A small map with expiry; lookups for missing keys go to `load` in one batch. */
class TtlCache<V> {
  private readonly entries = new Map<string, { value: V; expires: number }>();
  /** `missTtlMs`: how long an unknown key stays unknown (a user created a moment later). */
  constructor(
    private readonly ttlMs: number,
    private readonly missTtlMs = ttlMs,
  ) {}

  async getMany(keys: string[], load: (missing: string[]) => Promise<Map<string, V>>, fallback: V): Promise<V[]> {
    const now = Date.now();
    const missing = [...new Set(keys)].filter((key) => !((this.entries.get(key)?.expires ?? 0) > now));
    if (missing.length) {
      const loaded = await load(missing);
      // Unknown names are cached too, so a typo in a model does not cost a query per event.
      if (this.entries.size + missing.length > MAX_ENTRIES) this.entries.clear();
      for (const key of missing) {
        const found = loaded.has(key);
        this.entries.set(key, { value: found ? loaded.get(key)! : fallback, expires: now + (found ? this.ttlMs : this.missTtlMs) });
      }
    }
    return keys.map((key) => this.entries.get(key)?.value ?? fallback);
  }
}

function strings(value: unknown): string[] {
  if (typeof value === 'string' && value) return [value];
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string' && item !== '') : [];
}

export class Recipients {
  private readonly userIds: TtlCache<string | null>;
  private readonly departmentIds: TtlCache<string | null>;
  private readonly roleUserIds: TtlCache<string[]>;
  private readonly instanceStarters: TtlCache<string | null>;

  constructor(
    private readonly db: Db,
    ttlMs = 5_000,
  ) {
    // A username names one user id for good (usernames are not renamed; a disabled user keeps
    // theirs): found ids are kept for ten minutes, so a burst of tasks for many different
    // people does not cost a query per event. Unknown names are retried after the short TTL.
    this.userIds = new TtlCache(Math.max(ttlMs, 600_000), ttlMs);
    this.departmentIds = new TtlCache(ttlMs);
    this.roleUserIds = new TtlCache(ttlMs);
    // Who started an instance never changes; the TTL only bounds memory.
    this.instanceStarters = new TtlCache(60_000);
  }

  /** The rooms `event` goes to: those it names itself plus the people its payload names. */
  async roomsFor(event: DomainEvent): Promise<string[]> {
    const rooms = new Set(event.rooms);
    const usernames: string[] = [];
    const groups: string[] = [];
    switch (event.type) {
      case 'task.assigned':
        usernames.push(...strings(event.payload.assignee), ...strings(event.payload.candidateUsers));
        groups.push(...strings(event.payload.candidateGroups));
        break;
      case 'task.updated': {
        usernames.push(...strings(event.payload.assignee));
        // task.updated carries only what changed: whom the task concerns comes with it when the
        // emitter had the row (a completion), else from the task row.
        const audience = event.payload.audience;
        const task = audience
          ? { assignee: audience.assignee, candidate_users: audience.candidateUsers, candidate_groups: audience.candidateGroups }
          : await this.db('tasks').where({ id: event.payload.taskId }).first('assignee', 'candidate_users', 'candidate_groups');
        if (task) {
          usernames.push(...strings(task.assignee), ...strings(task.candidate_users));
          groups.push(...strings(task.candidate_groups));
        }
        break;
      }
      case 'instance.updated': {
        // The emitter names the starter when it has the instance at hand (engine/events.ts `people`).
        const [starter] = event.people ?? (await this.instanceStarters.getMany([event.payload.instanceId], (ids) => this.loadStarters(ids), null));
        if (starter) usernames.push(starter);
        if (event.payload.status === 'incident') rooms.add(ADMINS_ROOM);
        break;
      }
      case 'ticket.routed':
      case 'ticket.updated':
        // A ticket goes to its department queue.
        rooms.add(departmentRoom(event.payload.departmentId));
        break;
      case 'notification.read':
        // The reader's own room: their other tabs and devices.
        usernames.push(event.payload.username);
        break;
      // notification and cc.created name their user room themselves.
    }

    for (const id of await this.userIds.getMany(usernames, (names) => this.loadUserIds(names), null)) {
      if (id) rooms.add(userRoom(id));
    }
    // A group may name a role admins added (user_roles) as well as a department: look up both.
    const roles = groups;
    const codes = groups.filter((group) => !ROLES.has(group));
    for (const ids of await this.roleUserIds.getMany(roles, (names) => this.loadRoleMembers(names), [])) {
      for (const id of ids) rooms.add(userRoom(id));
    }
    for (const id of await this.departmentIds.getMany(codes, (names) => this.loadDepartmentIds(names), null)) {
      if (id) rooms.add(departmentRoom(id));
    }
    return [...rooms];
  }

  private async loadUserIds(usernames: string[]): Promise<Map<string, string>> {
    const rows: { id: string; username: string }[] = await this.db('users').whereIn('username', usernames).select('id', 'username');
    return new Map(rows.map((row) => [row.username, row.id]));
  }

  private async loadDepartmentIds(codes: string[]): Promise<Map<string, string>> {
    const rows: { id: string; code: string }[] = await this.db('departments').whereIn('code', codes).select('id', 'code');
    return new Map(rows.map((row) => [row.code, row.id]));
  }

  private async loadRoleMembers(roles: string[]): Promise<Map<string, string[]>> {
    const rows: { id: string; role: string }[] = await this.db
      .select('id', 'role')
      .from('users')
      .whereIn('role', roles)
      .andWhere({ active: true })
      .union((q) => q.select('u.id', 'ur.role_code as role').from('user_roles as ur').join('users as u', 'u.id', 'ur.user_id').whereIn('ur.role_code', roles).andWhere('u.active', true));
    const byRole = new Map<string, string[]>(roles.map((role) => [role, []]));
    for (const row of rows) byRole.get(row.role)?.push(row.id);
    return byRole;
  }

  private async loadStarters(instanceIds: string[]): Promise<Map<string, string>> {
    const rows: { id: string; started_by: string | null }[] = await this.db('process_instances')
      .whereIn('id', instanceIds)
      .select('id', 'started_by');
    return new Map(rows.filter((row) => row.started_by).map((row) => [row.id, row.started_by!]));
  }
}
