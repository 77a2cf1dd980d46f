/** bpmn-auto-layout 1.x ships no types; its one entry point. */
declare module 'bpmn-auto-layout' {
  export function layoutProcess(xml: string): Promise<string>;
}
