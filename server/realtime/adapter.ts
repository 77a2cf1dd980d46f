/**
 * The socket.io adapter that lets several nodes act as one: a broadcast on one node is sent
 * through PostgreSQL NOTIFY to every other node, which delivers it to its own sockets. It
 * uses the database the nodes already share, so growing past one machine needs nothing new.
 *
 * The adapter gets its own small `pg.Pool`: it keeps one connection LISTENing for as long as
 * the node runs, which must not starve (or be starved by) the engine's knex pool.
 */
import { createAdapter } from '@socket.io/postgres-adapter';
import pg from 'pg';
import type { Server } from 'socket.io';
import { log } from '../log.ts';

/** Table for payloads over NOTIFY's 8000-byte limit; created by migration `socket_io`. */
export const ATTACHMENTS_TABLE = 'socket_io_attachments';

export interface ClusterLink {
  /** Call after `io.close()` (which closes the adapter): frees the LISTEN connection, ends the pool. */
  close(): Promise<void>;
}

export function usePostgresAdapter(io: Server, databaseUrl: string): ClusterLink {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 3, idleTimeoutMillis: 10_000 });
  // A database restart must not crash the node: the adapter reconnects its listener itself.
  pool.on('error', (error) => log.warn({ err: error }, 'socket.io adapter: idle database connection failed'));

  // The adapter takes its LISTEN connection with pool.connect() in the background and only
  // releases it on close if it had finished setting it up; a node closed while that was in
  // flight would keep the connection, and pool.end() would wait forever. So the adapter
  // sees a pool whose connect() we track, and which after close never answers (an answer,
  // even an error, would make the adapter schedule another attempt).
  let closed = false;
  const held = new Set<pg.PoolClient>();
  const never = () => new Promise<never>(() => {});
  const adapterPool = {
    async connect(): Promise<pg.PoolClient> {
      if (closed) return never();
      const client = await pool.connect();
      if (closed) {
        client.release();
        return never();
      }
      // Held until the adapter releases it (pg-pool gives each checkout its own release).
      held.add(client);
      const release = client.release.bind(client);
      client.release = (destroy?: boolean | Error) => {
        held.delete(client);
        release(destroy);
      };
      // The adapter listens for neither: a lost connection would otherwise crash the node
      // ('error' without a listener) and stay checked out of the pool for good.
      client.on('error', (error) => log.warn({ err: error }, 'socket.io adapter: LISTEN connection failed'));
      client.once('end', () => {
        if (held.has(client)) client.release(true);
      });
      return client;
    },
    query: pool.query.bind(pool),
  };

  io.adapter(
    createAdapter(adapterPool as unknown as pg.Pool, {
      tableName: ATTACHMENTS_TABLE,
      errorHandler: (error) => log.warn({ err: error }, 'socket.io adapter error'),
    }),
  );

  sendBroadcastsOnlyWhenNotAlone(io);

  let ended: Promise<void> | undefined;
  return {
    close: () =>
      (ended ??= (async () => {
        closed = true;
        for (const client of held) {
          // Its 'end' handler would schedule a reconnection; the adapter is closed.
          client.removeAllListeners('end');
          client.release(true);
        }
        await pool.end().catch((error) => log.warn({ err: error }, 'socket.io adapter: closing the pool failed'));
      })()),
  };
}

/**
 * Whether a broadcast to `rooms` could reach anyone: a socket of this node in one of them, or
 * another node, which may hold such sockets. When it could not, socket.io would still encode
 * the packet and look the rooms up for nothing, so the relay does not send it. (Exact while
 * connection-state recovery is off, as it is in server/realtime/index.ts: with it, socket.io
 * would keep every packet for clients that come back.)
 */
export function mayReach(io: Server, rooms: readonly string[]): boolean {
  const adapter = io.of('/').adapter as unknown as HeartbeatAdapter & { rooms: Map<string, Set<string>> };
  if (adapter.nodesMap?.size !== 0) return true;
  return rooms.some((room) => adapter.rooms.has(room));
}

/** socket.io-adapter's `MessageType.BROADCAST` (a transitive dependency, not imported directly). */
const BROADCAST = 3;

interface HeartbeatAdapter {
  /** The other nodes this one has heard from within the heartbeat timeout (socket.io-adapter). */
  nodesMap?: Map<string, number>;
  publishAndReturnOffset(message: { type: number }): Promise<string>;
}

/**
 * A broadcast is published (one NOTIFY, its own round trip and transaction) before the node
 * delivers it to its own sockets, even when no other node listens: a single node paid about
 * two NOTIFYs per command, more transactions than the commands themselves, and every event
 * waited for one. So a broadcast is published only while another node is known. Nodes know
 * each other from their heartbeats (every 5 s, and at once when one starts); a node silent
 * for the heartbeat timeout (10 s) counts as gone. The price: while a second node stalls that
 * long, events raised on the first reach only the first's own sockets.
 */
function sendBroadcastsOnlyWhenNotAlone(io: Server): void {
  const adapter = io.of('/').adapter as unknown as HeartbeatAdapter;
  const publish = adapter.publishAndReturnOffset.bind(adapter);
  adapter.publishAndReturnOffset = (message) =>
    message.type === BROADCAST && adapter.nodesMap?.size === 0 ? Promise.resolve('') : publish(message);
}
