/** An engine over this file's own database, with a clock the test moves by hand. */
import { beforeAll } from 'vitest';
import { createEngine, type Engine } from '../../engine/engine.ts';
import { EventBus, type DomainEvent } from '../../engine/events.ts';
import type { AuthUser } from '../../engine/identity/types.ts';
import { useTestDatabase } from './database.ts';

export interface EngineHarness {
  engine: Engine;
  events: DomainEvent[];
  clock: { now: Date; advance(ms: number): void };
  /** Deploys XML and returns the first definition. */
  deploy(xml: string): Promise<{ id: string; key: string; version: number }>;
  openTasks(instanceId: string): Promise<Array<{ id: string; elementId: string; assignee: string | null }>>;
  /** Completes the single open task at `elementId`. */
  complete(instanceId: string, elementId: string, variables?: Record<string, unknown>): Promise<void>;
  status(instanceId: string): Promise<string>;
  active(instanceId: string): Promise<string[]>;
  visited(instanceId: string): Promise<string[]>;
}

export const ADMIN: AuthUser = {
  id: '00000000-0000-0000-0000-000000000001',
  username: 'admin',
  displayName: 'Admin',
  role: 'admin',
  locale: 'en',
  departmentIds: [],
  roles: ['admin'],
  groups: ['admin'],
};

export function useEngine(): EngineHarness {
  const database = useTestDatabase();
  const harness = { events: [] as DomainEvent[] } as EngineHarness;
  const clock = {
    now: new Date('2026-11-23T08:00:00Z'),
    advance(ms: number) {
      clock.now = new Date(clock.now.getTime() + ms);
    },
  };
  harness.clock = clock;
  beforeAll(() => {
    const events = new EventBus();
    events.subscribe((event) => harness.events.push(event));
    harness.engine = createEngine({ db: database.db, events, clock: () => clock.now });
  });
  harness.deploy = async (xml) => (await harness.engine.deploy(xml)).definitions[0]!;
  harness.openTasks = async (instanceId) => harness.engine.queryTasks({ instanceId });
  harness.complete = async (instanceId, elementId, variables = {}) => {
    const tasks = (await harness.openTasks(instanceId)).filter((task) => task.elementId === elementId);
    if (tasks.length !== 1) throw new Error(`expected one open task at ${elementId}, found ${tasks.length}`);
    await harness.engine.completeTask({ taskId: tasks[0]!.id, variables, actor: ADMIN });
  };
  harness.status = async (instanceId) => (await harness.engine.getInstance(instanceId)).status;
  harness.active = async (instanceId) => (await harness.engine.getInstance(instanceId)).activeElementIds.sort();
  harness.visited = async (instanceId) => (await harness.engine.history(instanceId)).map((row) => row.elementId);
  return harness;
}

/** Wraps process XML in a BPMN definitions element with the namespaces models use. */
export function bpmn(body: string, extraDefinitions = ''): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
  xmlns:camunda="http://camunda.org/schema/1.0/bpmn"
  xmlns:liuzhuan="http://liuzhuan.dev/schema/bpmn/1.0"
  targetNamespace="http://liuzhuan.dev/test">
  ${extraDefinitions}
  ${body}
</definitions>`;
}

/** `flow('a', 'b')` → a sequence flow a→b with id `a-b`, optionally with a condition. */
export function flow(source: string, target: string, condition?: string): string {
  const id = `${source}-${target}`;
  if (!condition) return `<sequenceFlow id="${id}" sourceRef="${source}" targetRef="${target}"/>`;
  return `<sequenceFlow id="${id}" sourceRef="${source}" targetRef="${target}"><conditionExpression xsi:type="tFormalExpression"><![CDATA[${condition}]]></conditionExpression></sequenceFlow>`;
}

/**
 * Diagram interchange for the three-node line `start → review → end` (flows `start-review`,
 * `review-end`) of process `processId`, so the flow designer has something to draw.
 */
export function lineDiagram(processId: string): string {
  const shape = (id: string, x: number, y: number, w: number, h: number) =>
    `<bpmndi:BPMNShape id="${id}_di" bpmnElement="${id}"><dc:Bounds x="${x}" y="${y}" width="${w}" height="${h}"/></bpmndi:BPMNShape>`;
  const edge = (id: string, x1: number, x2: number) =>
    `<bpmndi:BPMNEdge id="${id}_di" bpmnElement="${id}"><di:waypoint x="${x1}" y="118"/><di:waypoint x="${x2}" y="118"/></bpmndi:BPMNEdge>`;
  return `<bpmndi:BPMNDiagram id="diagram" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI"
    xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" xmlns:di="http://www.omg.org/spec/DD/20100524/DI">
    <bpmndi:BPMNPlane id="plane" bpmnElement="${processId}">
      ${shape('start', 100, 100, 36, 36)}${shape('review', 200, 78, 100, 80)}${shape('end', 360, 100, 36, 36)}
      ${edge('start-review', 136, 200)}${edge('review-end', 300, 360)}
    </bpmndi:BPMNPlane>
  </bpmndi:BPMNDiagram>`;
}
