/**
 * bpmn-moddle with the packages the flow designer loads (camunda, liuzhuan), for tests that
 * write a model the way the browser does (designer/src/flows/model/*) and hand it to the
 * engine. Typed with fromXML/toXML, which engine/bpmn/moddle.d.ts does not declare.
 */
import { createRequire } from 'node:module';
import { BpmnModdle } from 'bpmn-moddle';
import type { ModdleFactory, ModdleLike } from '../../designer/src/flows/model/liuzhuanExtensions.ts';

const require = createRequire(import.meta.url);
const camunda = require('camunda-bpmn-moddle/resources/camunda.json') as object;
const liuzhuan = require('../../engine/bpmn/liuzhuan.json') as object;

export type DesignerModdle = ModdleFactory & {
  fromXML(xml: string): Promise<{ rootElement: ModdleLike & { rootElements: ModdleLike[] }; elementsById: Record<string, ModdleLike> }>;
  toXML(element: ModdleLike, options?: object): Promise<{ xml: string }>;
};

/** A fresh moddle (each keeps its own ids). */
export const designerModdle = (): DesignerModdle => new BpmnModdle({ camunda, liuzhuan }) as unknown as DesignerModdle;
