/**
 * Walking a parsed JSON value depth first without allocating per value: the path is kept as a
 * stack of the containers being read, and a JSON pointer is written only for the value a walk
 * reports. Request bodies are walked this way before any route runs (server/http/jsonDepth.ts,
 * engine/storableText.ts): a 200,000-item list walked with a pointer string and a stack entry
 * made for every item held the event loop for about a second under load.
 */
import { pointerToken } from './errors.ts';

/** An array or object being read: its member names (undefined for an array), the next one to read. */
export interface ContainerFrame {
  container: object;
  keys: string[] | undefined;
  size: number;
  next: number;
  /** The container's own key in its parent (undefined for the root). */
  key: string | number | undefined;
}

function frameOf(container: object, key: string | number | undefined): ContainerFrame {
  const keys = Array.isArray(container) ? undefined : Object.keys(container);
  return { container, keys, size: keys ? keys.length : (container as unknown[]).length, next: 0, key };
}

/**
 * Visits every member of `root` depth first, in document order: `visit(path, key, child)` with
 * `path` the containers being read (root first) and `key` the member's name (a string) or index.
 * An answer other than undefined ends the walk and is returned; otherwise an object or array
 * child is entered next. Iterative, so a deeply nested value cannot overflow the stack.
 */
export function walkMembers<T>(root: object, visit: (path: readonly ContainerFrame[], key: string | number, child: unknown) => T | undefined): T | undefined {
  const path: ContainerFrame[] = [frameOf(root, undefined)];
  while (path.length > 0) {
    const frame = path[path.length - 1]!;
    if (frame.next >= frame.size) {
      path.pop();
      continue;
    }
    const index = frame.next++;
    const key = frame.keys ? frame.keys[index]! : index;
    const child = (frame.container as Record<string | number, unknown>)[key];
    const found = visit(path, key, child);
    if (found !== undefined) return found;
    if (typeof child === 'object' && child !== null) path.push(frameOf(child, key));
  }
  return undefined;
}

/** The JSON pointer of member `last` of the innermost container of `path`, below `base`. */
export function pointerOf(path: readonly ContainerFrame[], last: string | number, base = ''): string {
  let pointer = base;
  for (let level = 1; level < path.length; level += 1) pointer += `/${pointerToken(String(path[level]!.key))}`;
  return `${pointer}/${pointerToken(String(last))}`;
}
