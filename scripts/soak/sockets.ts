/**
 * The soak's socket.io clients: one per load client, connected as admin to the client's node,
 * counting every event by type. Each approval task is admin's, so every socket hears about
 * every task, whichever node created it (the other node's through the PostgreSQL adapter).
 */
import { io as connectClient, type Socket } from 'socket.io-client';

export class SocketAudience {
  private readonly sockets: Socket[] = [];
  readonly received: number[] = [];
  readonly byType: Record<string, number> = {};
  disconnects = 0;

  async connect(urls: string[], token: string): Promise<void> {
    await Promise.all(
      urls.map(async (url, index) => {
        const socket = connectClient(url, { transports: ['websocket'], auth: { token }, reconnection: true });
        this.sockets.push(socket);
        this.received[index] = 0;
        socket.onAny((type: string) => {
          this.received[index]! += 1;
          this.byType[type] = (this.byType[type] ?? 0) + 1;
        });
        await new Promise<void>((resolve, reject) => {
          socket.once('connect', resolve);
          socket.once('connect_error', reject);
        });
        socket.on('disconnect', () => (this.disconnects += 1));
      }),
    );
  }

  total(): number {
    return this.received.reduce((sum, count) => sum + count, 0);
  }

  close(): void {
    for (const socket of this.sockets) socket.disconnect();
  }
}
