/** Real socket.io clients for tests: connect as a user, record every event, poll for one. */
import { afterAll } from 'vitest';
import { io as connectClient, type Socket } from 'socket.io-client';

export interface Received {
  type: string;
  payload: Record<string, any>;
}

export interface ConnectedSocket {
  socket: Socket;
  received: Received[];
}

/** Opens sockets for this file and disconnects them all after it. */
export function useSockets(url: () => string) {
  const sockets: Socket[] = [];
  afterAll(() => {
    for (const socket of sockets) socket.disconnect();
  });
  return {
    /**
     * Connects with a bearer token or a session cookie (sending `origin` as a browser page
     * would); rejects when the server refuses.
     */
    async connect(auth: { token?: string; cookie?: string; origin?: string }): Promise<ConnectedSocket> {
      const socket = connectClient(url(), {
        path: '/socket.io',
        transports: ['websocket'],
        reconnection: false,
        auth: auth.token ? { token: auth.token } : {},
        extraHeaders: { ...(auth.cookie ? { cookie: auth.cookie } : {}), ...(auth.origin ? { origin: auth.origin } : {}) },
      });
      sockets.push(socket);
      const received: Received[] = [];
      socket.onAny((type: string, payload: Record<string, any>) => received.push({ type, payload }));
      await new Promise<void>((resolve, reject) => {
        socket.once('connect', resolve);
        socket.once('connect_error', reject);
      });
      return { socket, received };
    },
  };
}

/** Polls `probe` until it yields a value (events arrive asynchronously). */
export async function waitFor<T>(
  what: string,
  probe: () => T | undefined | Promise<T | undefined>,
  timeoutMs = 5_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const found = await probe();
    if (found !== undefined) return found;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`timed out waiting for ${what}`);
}
