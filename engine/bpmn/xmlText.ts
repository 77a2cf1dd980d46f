/**
 * Work on the raw XML text, where bpmn-moddle's object tree cannot help: repairing spacing the
 * parser refuses, and finding the line and column of an element so deploy problems can point
 * at it in the editor.
 */

/** 1-based line and column, as editors count. */
export interface TextPosition {
  line: number;
  column: number;
}

// Comments, CDATA sections and processing instructions are copied as they are; only real
// start tags are touched. A start tag may hold `>` inside a quoted attribute value.
const MARKUP =
  /<!--[\s\S]*?-->|<!\[CDATA\[[\s\S]*?\]\]>|<\?[\s\S]*?\?>|<[A-Za-z_][^<>"']*(?:(?:"[^"]*"|'[^']*')[^<>"']*)*>/g;
const SPACED_EQUALS = /("[^"]*"|'[^']*')|\s*=\s*/g;

/**
 * `<camunda:out source ="x">` is well-formed XML (space is allowed around `=`), but saxen,
 * under bpmn-moddle, refuses it and the mapping is lost. Rewrites `name = "v"` to `name="v"`
 * inside start tags. The newlines removed are put back before the tag's end, so every line
 * after the tag keeps its number (positions in messages stay right).
 */
export function normalizeAttributeSpacing(xml: string): string {
  return xml.replace(MARKUP, (markup) => {
    if (markup.startsWith('<!') || markup.startsWith('<?')) return markup;
    let newlines = '';
    const tag = markup.replace(SPACED_EQUALS, (match, quoted: string | undefined) => {
      if (quoted !== undefined) return quoted;
      newlines += match.replace(/[^\n]/g, '');
      return '=';
    });
    if (!newlines) return tag;
    const end = tag.endsWith('/>') ? tag.length - 2 : tag.length - 1;
    return tag.slice(0, end) + newlines + tag.slice(end);
  });
}

const ACTIVITI_NAMESPACE = /(xmlns:[\w.-]+\s*=\s*["'])http:\/\/activiti\.org\/bpmn(["'])/g;

/**
 * Camunda 7 still reads the Activiti extension namespace (`xmlns:activiti="http://activiti.org/bpmn"`,
 * used by older modelers and some MIWG models) as its own; so do we, by binding that prefix to
 * the Camunda namespace before parsing.
 */
export function aliasActivitiNamespace(xml: string): string {
  return xml.replace(ACTIVITI_NAMESPACE, '$1http://camunda.org/schema/1.0/bpmn$2');
}

interface IdOccurrence {
  id: string;
  offset: number;
  position: TextPosition;
}

/** Where each element id is declared: the position of the `<` of the tag that carries it. */
export class PositionIndex {
  private readonly first = new Map<string, TextPosition>();
  /** Every id attribute in document order, duplicates included, for offset look-ups. */
  private readonly occurrences: IdOccurrence[] = [];
  private readonly lineStarts: number[] = [0];

  constructor(xml: string) {
    for (let i = 0; i < xml.length; i++) if (xml.charCodeAt(i) === 10) this.lineStarts.push(i + 1);
    // Blank out comments and CDATA (keeping offsets) so a commented-out element is not found.
    const visible = xml.replace(/<!--[\s\S]*?-->|<!\[CDATA\[[\s\S]*?\]\]>/g, (m) => m.replace(/[^\n]/g, ' '));
    for (const match of visible.matchAll(/\sid\s*=\s*(["'])(.*?)\1/g)) {
      const offset = Math.max(0, visible.lastIndexOf('<', match.index));
      const occurrence = { id: match[2], offset, position: this.positionAt(offset) };
      this.occurrences.push(occurrence);
      if (!this.first.has(occurrence.id)) this.first.set(occurrence.id, occurrence.position);
    }
  }

  /** The position of the element declaring `id`, if it appears in the text. */
  of(id: string | undefined): TextPosition | undefined {
    return id === undefined ? undefined : this.first.get(id);
  }

  positionAt(offset: number): TextPosition {
    let low = 0;
    let high = this.lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.lineStarts[mid] <= offset) low = mid;
      else high = mid - 1;
    }
    return { line: low + 1, column: offset - this.lineStarts[low] + 1 };
  }

  offsetOf(position: TextPosition): number {
    const start = this.lineStarts[Math.min(position.line, this.lineStarts.length) - 1] ?? 0;
    return start + position.column - 1;
  }

  /** The id of the nearest element declared at or before `position` (the likely culprit). */
  idAtOrBefore(position: TextPosition): string | undefined {
    const offset = this.offsetOf(position);
    let found: string | undefined;
    for (const occurrence of this.occurrences) {
      if (occurrence.offset > offset) break;
      found = occurrence.id;
    }
    return found;
  }
}

/**
 * saxen (through moddle-xml) reports `line: L` and `column: C` counted from 0; this returns
 * them counted from 1, with the message's first line and its nested error as the reason.
 */
export function parseSaxMessage(message: string): { position?: TextPosition; reason: string; subject?: string } {
  const line = /\bline: (\d+)/.exec(message);
  const column = /\bcolumn: (\d+)/.exec(message);
  const nested = /nested error: (.*)/.exec(message);
  const subject = /^unparsable content (<[^>\s]*>?)/.exec(message);
  const position = line && column ? { line: Number(line[1]) + 1, column: Number(column[1]) + 1 } : undefined;
  return {
    position,
    reason: (nested ? nested[1] : message.split('\n')[0]).trim(),
    subject: subject?.[1],
  };
}
