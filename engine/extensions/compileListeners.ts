/**
 * Compile listeners: features that read their own settings from the BPMN while it is
 * compiled (bpmn/compile.ts) — binding a flow form, refusing bad approval or timeout
 * settings — so the compiler knows no feature by name. Problems and warnings go through the
 * CompileContext like the compiler's own, and are reported together.
 */
import type { CompileContext } from '../bpmn/context.ts';
import type { CompiledProcess, FlowNode } from '../bpmn/model.ts';
import type { ModdleElement } from '../bpmn/moddleAccess.ts';
import { assertFeaturesInstalled } from './installed.ts';

export interface CompileListener {
  name: string;
  /** After the process's elements are compiled, before it is validated. */
  processCompiled?(ctx: CompileContext, element: ModdleElement, process: CompiledProcess): void;
  /** While each node is validated, after the compiler's own checks of flows and cardinality. */
  checkNode?(ctx: CompileContext, process: CompiledProcess, node: FlowNode): void;
}

const listeners: CompileListener[] = [];

export function registerCompileListener(listener: CompileListener): void {
  if (listeners.some((known) => known.name === listener.name)) return;
  listeners.push(listener);
}

export function compileListeners(): readonly CompileListener[] {
  assertFeaturesInstalled('compileBpmn');
  return listeners;
}
