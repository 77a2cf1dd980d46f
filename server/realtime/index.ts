/**
 * Realtime: a socket.io server on the node's HTTP server (path `/socket.io`). Sockets
 * authenticate like HTTP requests, sit in their own rooms only, and receive the domain
 * events that concern them; the Postgres adapter spreads them across nodes.
 */
import type { Server as HttpServer } from 'node:http';
import { Server } from 'socket.io';
import type { AppContext } from '../context.ts';
import { usePostgresAdapter } from './adapter.ts';
import { Recipients } from './recipients.ts';
import { startRelay } from './relay.ts';
import { authenticateSocket, roomsOfUser } from './socketAuth.ts';
import type { AuthUser } from '../../engine/identity/types.ts';

export interface Realtime {
  io: Server;
  /** Disconnects every socket, stops the relay and the adapter, and ends its pool. */
  close(): Promise<void>;
}

export interface RealtimeOptions {
  /** The database the nodes share; the adapter LISTENs there. */
  databaseUrl: string;
  /** Origins besides the node's own whose pages may connect with the session cookie. */
  allowedOrigins?: readonly string[];
  /** Whether X-Forwarded-Proto/Host name the node's own origin (a proxy is in front). */
  trustProxy?: boolean;
}

export function attachRealtime(http: HttpServer, ctx: AppContext, options: RealtimeOptions): Realtime {
  // No CORS (the default): the designer is served by the node itself; a cookie-authenticated
  // handshake from another origin is refused in authenticateSocket.
  const io = new Server(http, { path: '/socket.io', serveClient: false });
  const cluster = usePostgresAdapter(io, options.databaseUrl);
  io.use(authenticateSocket(ctx, { allowedOrigins: options.allowedOrigins ?? [], trustProxy: options.trustProxy ?? false }));
  io.on('connection', (socket) => {
    const user = socket.data.user as AuthUser;
    // Joined here, synchronously on connect, and never on request: no client can listen in
    // on someone else's room.
    void socket.join(roomsOfUser(user));
  });
  const relay = startRelay(io, ctx.events, new Recipients(ctx.db));

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      await relay.stop();
      // io.close() disconnects the sockets, closes the adapter (releasing its LISTEN client)
      // and closes the HTTP server too; the caller's own http.close() still waits for it.
      await io.close();
      await cluster.close();
    })());
  return { io, close };
}
