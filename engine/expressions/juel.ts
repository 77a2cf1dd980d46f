/**
 * Parser for the Camunda 7 JUEL subset: text with `${…}` / `#{…}` parts, each parsed by a small
 * tokenizer + recursive-descent parser into a plain AST (evaluated by juelEval.ts). No eval,
 * no new Function, no method calls: the grammar simply has no way to call anything.
 */
import { ExpressionError, quoteExpression } from './errors.ts';

export type BinaryOp = '+' | '-' | '*' | '/' | '%' | '==' | '!=' | '<' | '>' | '<=' | '>=';

export type JuelNode =
  | { type: 'literal'; value: string | number | boolean | null }
  | { type: 'identifier'; name: string }
  /** `a.b` has a literal property node; `a[expr]` an arbitrary one. */
  | { type: 'member'; object: JuelNode; property: JuelNode }
  | { type: 'unary'; op: '-' | '!' | 'empty'; operand: JuelNode }
  | { type: 'binary'; op: BinaryOp; left: JuelNode; right: JuelNode }
  | { type: 'logical'; op: '&&' | '||'; left: JuelNode; right: JuelNode }
  | { type: 'conditional'; test: JuelNode; then: JuelNode; else: JuelNode };

/** Literal text and expressions in order. `single` is set when the text is exactly one `${…}`. */
export interface JuelTemplate {
  parts: Array<string | JuelNode>;
  single: boolean;
}

type Token =
  | { kind: 'num'; value: number; pos: number }
  | { kind: 'str'; value: string; pos: number }
  | { kind: 'id'; value: string; pos: number }
  | { kind: 'op'; value: string; pos: number }
  | { kind: 'eof'; value: ''; pos: number };

/** Word operators map onto their symbol so the parser deals with one spelling. */
const WORD_OPS: Record<string, string> = {
  and: '&&', or: '||', not: '!', eq: '==', ne: '!=', lt: '<', gt: '>', le: '<=', ge: '>=',
  div: '/', mod: '%', empty: 'empty', instanceof: 'instanceof',
};
const WORD_LITERALS: Record<string, boolean | null> = { true: true, false: false, null: null };
const SYMBOLS = ['==', '!=', '<=', '>=', '&&', '||', '+', '-', '*', '/', '%', '<', '>', '!', '?', ':', '.', '[', ']', '(', ')', '}'];
const NUMBER_RE = /(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/y;
// Java identifiers allow any Unicode letter, so Chinese variable names work too.
const IDENT_RE = /[\p{L}_$][\p{L}\p{N}_$]*/uy;

/**
 * Tokenizes from `start` up to and including the first `}` outside a string literal (the subset
 * has no braces of its own), or to the end of the text, which then yields an `eof` token.
 */
function tokenize(text: string, start: number): Token[] {
  const tokens: Token[] = [];
  let i = start;
  const fail = (msg: string, pos: number): never => {
    throw new ExpressionError(`Syntax error at position ${pos}: ${msg}`, text);
  };
  while (i < text.length) {
    const ch = text[i];
    if (/\s/.test(ch)) { i++; continue; }
    if (ch === "'" || ch === '"') {
      let value = '';
      let j = i + 1;
      for (; j < text.length && text[j] !== ch; j++) {
        // JUEL escapes only the quotes and the backslash; any other backslash stays as is.
        if (text[j] === '\\' && (text[j + 1] === ch || text[j + 1] === '\\')) j++;
        value += text[j];
      }
      if (j >= text.length) fail('unterminated string literal', i);
      tokens.push({ kind: 'str', value, pos: i });
      i = j + 1;
      continue;
    }
    NUMBER_RE.lastIndex = i;
    const num = /[0-9.]/.test(ch) ? NUMBER_RE.exec(text) : null;
    if (num && num[0] !== '.') {
      tokens.push({ kind: 'num', value: Number(num[0]), pos: i });
      i += num[0].length;
      continue;
    }
    IDENT_RE.lastIndex = i;
    const id = IDENT_RE.exec(text);
    if (id) {
      const word = id[0];
      if (Object.hasOwn(WORD_OPS, word)) tokens.push({ kind: 'op', value: WORD_OPS[word], pos: i });
      else tokens.push({ kind: 'id', value: word, pos: i });
      i += word.length;
      continue;
    }
    const sym = SYMBOLS.find((s) => text.startsWith(s, i));
    if (!sym) fail(`unexpected character '${ch}'`, i);
    tokens.push({ kind: 'op', value: sym!, pos: i });
    i += sym!.length;
    if (sym === '}') return tokens;
  }
  tokens.push({ kind: 'eof', value: '', pos: text.length });
  return tokens;
}

/** Binary precedence levels, loosest first (after ?: and the logical operators). */
/**
 * Bounds of one `${…}`: far beyond any hand-written condition, and low enough that parsing and
 * the recursive evaluation stay well inside the stack (1,000 nested parentheses overflowed it:
 * a RangeError, answered as a 500, found by the hostile-model suite).
 */
const MAX_NESTING = 100;
const MAX_NODES = 1_000;

const LEVELS: string[][] = [['==', '!='], ['<', '>', '<=', '>='], ['+', '-'], ['*', '/', '%']];

class Parser {
  private i = 0;
  /** How deep the descent is now, and how many nodes were built: both bounded (see MAX_NESTING). */
  private depth = 0;
  private nodes = 0;
  constructor(private readonly text: string, private readonly tokens: Token[]) {}

  /** Every recursive entry goes through here, so that `${((((…))))}` fails as a syntax error, not a stack overflow. */
  private nested<T>(parse: () => T): T {
    if (++this.depth > MAX_NESTING) this.fail(`the expression is nested more than ${MAX_NESTING} deep`);
    try {
      return parse();
    } finally {
      this.depth -= 1;
    }
  }

  /** A chain `a + a + … + a` builds a tree as deep as it is long, which evaluation walks recursively. */
  private node<N extends JuelNode>(node: N): N {
    if (++this.nodes > MAX_NODES) this.fail(`the expression has more than ${MAX_NODES} parts`);
    return node;
  }

  private peek(): Token { return this.tokens[this.i]; }
  private isOp(value: string): boolean {
    const t = this.peek();
    return t.kind === 'op' && t.value === value;
  }
  private fail(msg: string, t: Token = this.peek()): never {
    throw new ExpressionError(`Syntax error at position ${t.pos}: ${msg}`, this.text);
  }
  private describe(t: Token): string {
    if (t.kind === 'eof') return 'end of text (missing \'}\'?)';
    // A literal or a name may be megabytes long: quote its start only.
    if (t.kind === 'str') return `string ${quoteExpression(t.value, "'")}`;
    return quoteExpression(String(t.value), "'");
  }
  expect(value: string): Token {
    if (!this.isOp(value)) this.fail(`expected '${value}' but found ${this.describe(this.peek())}`);
    return this.tokens[this.i++];
  }

  parseExpression(): JuelNode {
    return this.nested(() => {
      const test = this.parseLogical(0);
      if (!this.isOp('?')) return test;
      this.i++;
      const then = this.parseExpression();
      this.expect(':');
      return this.node({ type: 'conditional', test, then, else: this.parseExpression() });
    });
  }

  private parseLogical(level: 0 | 1): JuelNode {
    const op = level === 0 ? '||' : '&&';
    const next = (): JuelNode => (level === 0 ? this.parseLogical(1) : this.parseBinary(0));
    let left = next();
    while (this.isOp(op)) {
      this.i++;
      left = this.node({ type: 'logical', op, left, right: next() });
    }
    return left;
  }

  private parseBinary(level: number): JuelNode {
    if (level >= LEVELS.length) return this.parseUnary();
    let left = this.parseBinary(level + 1);
    for (;;) {
      const t = this.peek();
      if (t.kind !== 'op' || !LEVELS[level].includes(t.value)) break;
      this.i++;
      left = this.node({ type: 'binary', op: t.value as BinaryOp, left, right: this.parseBinary(level + 1) });
    }
    if (this.isOp('instanceof')) this.fail("'instanceof' is not supported");
    return left;
  }

  private parseUnary(): JuelNode {
    const t = this.peek();
    if (t.kind === 'op' && (t.value === '-' || t.value === '!' || t.value === 'empty')) {
      this.i++;
      return this.node({ type: 'unary', op: t.value, operand: this.nested(() => this.parseUnary()) });
    }
    return this.parsePostfix(this.parsePrimary());
  }

  private parsePostfix(node: JuelNode): JuelNode {
    for (;;) {
      if (this.isOp('.')) {
        this.i++;
        const name = this.peek();
        if (name.kind !== 'id') this.fail(`expected a property name after '.' but found ${this.describe(name)}`);
        this.i++;
        node = this.node({ type: 'member', object: node, property: { type: 'literal', value: name.value } });
      } else if (this.isOp('[')) {
        this.i++;
        const property = this.parseExpression();
        this.expect(']');
        node = this.node({ type: 'member', object: node, property });
      } else if (this.isOp('(')) {
        this.fail('method and function calls are not supported');
      } else {
        return node;
      }
    }
  }

  private parsePrimary(): JuelNode {
    const t = this.peek();
    if (t.kind === 'num' || t.kind === 'str') {
      this.i++;
      return { type: 'literal', value: t.value };
    }
    if (t.kind === 'id') {
      this.i++;
      if (Object.hasOwn(WORD_LITERALS, t.value)) return { type: 'literal', value: WORD_LITERALS[t.value] };
      return { type: 'identifier', name: t.value };
    }
    if (this.isOp('(')) {
      this.i++;
      const inner = this.parseExpression();
      this.expect(')');
      return inner;
    }
    return this.fail(`expected a value but found ${this.describe(t)}`);
  }

  /** Index just past the closing `}` of this expression. */
  endPosition(): number {
    return this.tokens[this.i - 1].pos + 1;
  }
}

/** Parses a JUEL text (`kermit_${loopCounter}`, `${a > 1}`); throws ExpressionError. */
export function parseJuel(text: string): JuelTemplate {
  const parts: Array<string | JuelNode> = [];
  let literal = '';
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    const opens = (ch === '$' || ch === '#') && text[i + 1] === '{';
    if (ch === '\\' && (text[i + 1] === '$' || text[i + 1] === '#') && text[i + 2] === '{') {
      literal += text[i + 1] + '{'; // `\${` is an escaped, literal `${`
      i += 3;
    } else if (opens) {
      if (literal) parts.push(literal);
      literal = '';
      const parser = new Parser(text, tokenize(text, i + 2));
      parts.push(parser.parseExpression());
      parser.expect('}');
      i = parser.endPosition();
    } else {
      literal += ch;
      i++;
    }
  }
  if (literal) parts.push(literal);
  return { parts, single: parts.length === 1 && typeof parts[0] !== 'string' };
}
