/**
 * A dedicated connection LISTENing on the jobs channel (a pooled connection would lose its
 * LISTEN when handed back). It reconnects with back-off after any error and reports a wake-up
 * on every (re)connect, since notifications sent while it was away are lost.
 */
import pg from 'pg';

export interface JobListener {
  start(): void;
  stop(): Promise<void>;
}

export function createJobListener(options: {
  connection: string | pg.ClientConfig;
  channel: string;
  onNotify: () => void;
  /** The connection dropped: notifications are missed until the next (re)connect's onNotify. */
  onLost?: () => void;
  onError: (error: unknown) => void;
}): JobListener {
  let client: pg.Client | null = null;
  let stopped = true;
  let retryMs = 500;
  let retryTimer: NodeJS.Timeout | undefined;

  // A throwing callback inside a pg event handler would take the process down.
  const notify = () => {
    try {
      options.onNotify();
    } catch (error) {
      options.onError(error);
    }
  };

  const scheduleReconnect = () => {
    if (stopped || retryTimer) return;
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      void connect();
    }, retryMs);
    retryTimer.unref();
    retryMs = Math.min(retryMs * 2, 30_000);
  };

  const drop = (failed: pg.Client) => {
    if (client !== failed) return;
    client = null;
    options.onLost?.();
    failed.removeAllListeners('notification');
    failed.end().catch(() => {});
    scheduleReconnect();
  };

  async function connect(): Promise<void> {
    if (stopped) return;
    let next: pg.Client;
    try {
      next = new pg.Client(typeof options.connection === 'string' ? { connectionString: options.connection } : options.connection);
    } catch (error) {
      // A bad setting fails here, before any socket: report it and keep retrying with back-off.
      options.onError(error);
      scheduleReconnect();
      return;
    }
    client = next;
    next.on('error', (error) => {
      if (!stopped) options.onError(error);
      drop(next);
    });
    next.on('end', () => drop(next));
    next.on('notification', (message) => {
      if (message.channel === options.channel) notify();
    });
    try {
      await next.connect();
      await next.query(`LISTEN ${pg.escapeIdentifier(options.channel)}`);
      if (stopped) {
        await next.end().catch(() => {});
        return;
      }
      retryMs = 500;
      notify();
    } catch (error) {
      if (!stopped) options.onError(error);
      drop(next);
    }
  }

  return {
    start() {
      if (!stopped) return;
      stopped = false;
      void connect();
    },
    async stop() {
      stopped = true;
      clearTimeout(retryTimer);
      retryTimer = undefined;
      const current = client;
      client = null;
      if (current) {
        current.removeAllListeners('notification');
        // A graceful end waits for the server to close the socket, which was seen to hang in
        // a node shutting down; after a short wait, cut the socket (the backend then exits).
        let waited: NodeJS.Timeout | undefined;
        const ended = await Promise.race([
          current.end().then(() => true, () => true),
          new Promise<boolean>((resolve) => (waited = setTimeout(() => resolve(false), 500))),
        ]);
        clearTimeout(waited);
        if (!ended) (current as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream?.destroy();
      }
    },
  };
}
