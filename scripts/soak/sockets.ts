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
  /** Per socket, the tasks it heard assigned (to tell the other node's from its own). */
  readonly heardTasks: Array<Set<string>> = [];
  /** Per socket, the node it is connected to. */
  readonly nodes: string[] = [];
  /** Connections the server or the network dropped (not our own close at the end). */
  disconnects = 0;

  async connect(targets: Array<{ name: string; url: string }>, token: string): Promise<void> {
    await Promise.all(
      targets.map(async ({ name, url }, index) => {
        const socket = connectClient(url, { transports: ['websocket'], auth: { token }, reconnection: true });
        this.sockets.push(socket);
        this.received[index] = 0;
        this.heardTasks[index] = new Set();
        this.nodes[index] = name;
        socket.onAny((type: string, payload: { taskId?: string } | undefined) => {
          this.received[index]! += 1;
          this.byType[type] = (this.byType[type] ?? 0) + 1;
          if (type === 'task.assigned' && payload?.taskId) this.heardTasks[index]!.add(payload.taskId);
        });
        await new Promise<void>((resolve, reject) => {
          socket.once('connect', resolve);
          socket.once('connect_error', reject);
        });
        socket.on('disconnect', (reason) => {
          if (reason !== 'io client disconnect') this.disconnects += 1;
        });
      }),
    );
  }

  total(): number {
    return this.received.reduce((sum, count) => sum + count, 0);
  }

  /** Per socket: tasks started through another node than its own that it heard assigned. */
  crossNode(taskNode: Map<string, string>): number[] {
    return this.heardTasks.map((heard, index) => [...heard].filter((taskId) => (taskNode.get(taskId) ?? this.nodes[index]) !== this.nodes[index]).length);
  }

  close(): void {
    for (const socket of this.sockets) socket.disconnect();
  }
}
