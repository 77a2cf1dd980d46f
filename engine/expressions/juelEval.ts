/**
 * Evaluator for the JUEL AST of juel.ts over JSON variables, following the coercion rules of
 * the EL spec (section 1.8+) closely enough that Camunda 7 models behave the same here.
 * Only own properties are ever read, so `constructor`/`__proto__` cannot leak anything.
 */
import { ExpressionError, quoteExpression } from './errors.ts';
import type { JuelNode, JuelTemplate } from './juel.ts';

type Vars = Record<string, unknown>;

const NUMERIC_RE = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** Evaluates a parsed template: one bare `${…}` keeps its type, anything else is text. */
export function evaluateJuel(template: JuelTemplate, vars: Vars, source: string): unknown {
  const ev = new Evaluator(vars, source);
  if (template.single) return ev.evaluate(template.parts[0] as JuelNode);
  return template.parts.map((p) => (typeof p === 'string' ? p : toText(ev.evaluate(p)))).join('');
}

/** How a value appears inside composite text; null is '' as in JUEL. */
function toText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

/** A variable's value in a message: its JSON, cut when long (a 1 MB list is no help in an error). */
function shown(v: unknown): string {
  return quoteExpression(JSON.stringify(v) ?? 'null', '');
}

function kindOf(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  return Array.isArray(v) ? 'list' : typeof v;
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => Object.hasOwn(b, k) && deepEqual((a as Vars)[k], (b as Vars)[k]));
}

class Evaluator {
  constructor(private readonly vars: Vars, private readonly source: string) {}

  private fail(message: string): never {
    throw new ExpressionError(message, this.source);
  }

  /** EL coercion to a number: null and '' are 0, numeric strings parse, anything else fails. */
  private num(v: unknown): number {
    if (v === null || v === undefined || v === '') return 0;
    if (typeof v === 'number') return v;
    if (typeof v === 'string' && NUMERIC_RE.test(v)) return Number(v);
    return this.fail(`Cannot coerce ${kindOf(v)} ${shown(v)} to a number`);
  }

  /** EL coercion to boolean: null and '' are false, strings are true only for "true". */
  private bool(v: unknown): boolean {
    if (v === null || v === undefined || v === '') return false;
    if (typeof v === 'boolean') return v;
    if (typeof v === 'string') return v.toLowerCase() === 'true';
    return this.fail(`Cannot coerce ${kindOf(v)} ${shown(v)} to a boolean`);
  }

  evaluate(node: JuelNode): unknown {
    switch (node.type) {
      case 'literal':
        return node.value;
      case 'identifier':
        // Camunda fails on unknown identifiers instead of yielding null; so do we.
        if (!Object.hasOwn(this.vars, node.name)) {
          this.fail(`Unknown property used in expression: cannot resolve identifier ${quoteExpression(node.name, "'")}`);
        }
        return this.vars[node.name] ?? null;
      case 'member':
        return this.member(this.evaluate(node.object), this.evaluate(node.property));
      case 'unary': {
        const v = this.evaluate(node.operand);
        if (node.op === '!') return !this.bool(v);
        if (node.op === 'empty') return isEmpty(v);
        return -this.num(v);
      }
      case 'logical': {
        const left = this.bool(this.evaluate(node.left));
        if (node.op === '&&' ? !left : left) return left; // short-circuit
        return this.bool(this.evaluate(node.right));
      }
      case 'conditional':
        return this.bool(this.evaluate(node.test)) ? this.evaluate(node.then) : this.evaluate(node.else);
      case 'binary':
        return this.binary(node.op, this.evaluate(node.left), this.evaluate(node.right));
    }
  }

  private member(obj: unknown, key: unknown): unknown {
    // EL: a null base or a null property yields null rather than an error.
    if (obj === null || obj === undefined || key === null || key === undefined) return null;
    if (Array.isArray(obj)) {
      const index = this.num(key);
      if (!Number.isInteger(index)) this.fail(`List index must be an integer, got ${shown(key)}`);
      return index >= 0 && index < obj.length ? (obj[index] ?? null) : null;
    }
    if (typeof obj === 'object') {
      const k = typeof key === 'string' ? key : toText(key);
      return Object.hasOwn(obj, k) ? ((obj as Vars)[k] ?? null) : null;
    }
    return this.fail(`Cannot read property ${shown(key)} of a ${kindOf(obj)}`);
  }

  private binary(op: string, a: unknown, b: unknown): unknown {
    switch (op) {
      case '+':
        if (typeof a === 'string' && typeof b === 'string' && !(NUMERIC_RE.test(a) && NUMERIC_RE.test(b))) {
          this.fail(`'+' adds numbers only; join text as composite text like \${a}\${b}`);
        }
        return this.num(a) + this.num(b);
      case '-':
        return this.num(a) - this.num(b);
      case '*':
        return this.num(a) * this.num(b);
      case '/':
      case '%': {
        // JUEL divides as double (7/2 is 3.5); a zero divisor would give Infinity/NaN, which
        // cannot be stored as JSON, so it is an error here.
        const d = this.num(b);
        if (d === 0) this.fail('Division by zero');
        return op === '/' ? this.num(a) / d : this.num(a) % d;
      }
      case '==':
        return this.equals(a, b);
      case '!=':
        return !this.equals(a, b);
      default:
        return this.compare(op, a, b);
    }
  }

  private equals(a: unknown, b: unknown): boolean {
    if (a === b) return true;
    if (a === null || a === undefined || b === null || b === undefined) return false;
    if (typeof a === 'number' || typeof b === 'number') return this.num(a) === this.num(b);
    if (typeof a === 'boolean' || typeof b === 'boolean') return this.bool(a) === this.bool(b);
    if (typeof a === 'string' || typeof b === 'string') return toText(a) === toText(b);
    return deepEqual(a, b);
  }

  private compare(op: string, a: unknown, b: unknown): boolean {
    if (a === b && typeof a !== 'object') return op === '<=' || op === '>=';
    if (a === null || a === undefined || b === null || b === undefined) return false;
    let x: number | string;
    let y: number | string;
    if (typeof a === 'number' || typeof b === 'number') {
      x = this.num(a);
      y = this.num(b);
    } else if (typeof a === 'string' && typeof b === 'string') {
      x = a; // lexical, UTF-16 code unit order like Java's String.compareTo
      y = b;
    } else {
      return this.fail(`Cannot compare ${kindOf(a)} with ${kindOf(b)} using '${op}'`);
    }
    if (op === '<') return x < y;
    if (op === '>') return x > y;
    if (op === '<=') return x <= y;
    return x >= y;
  }
}

/** `empty x`: null, '', an empty list or an object without keys. */
function isEmpty(v: unknown): boolean {
  if (v === null || v === undefined || v === '') return true;
  if (Array.isArray(v)) return v.length === 0;
  if (typeof v === 'object') return Object.keys(v).length === 0;
  return false;
}
