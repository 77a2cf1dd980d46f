/**
 * Does a FEEL condition make sense for the fields of a form? A rule such as `category = "账单"`
 * parses, but can never be true when the stored values of category are `billing`, `quality`…
 * (账单 is the option's label), and `投诉类别 = 账单` compares two names that are not fields at
 * all. This module finds those mistakes in feelin's syntax tree, for routing rules
 * (routing/rules.ts) and for the branches of a process bound to a form (forms/flowConditions.ts).
 *
 * It analyses the shapes the condition builders write and people type — `field = "x"`,
 * `field != "x"`, `field in ["a", "b"]`, `field in ("a", "b")`, `list contains(["a"], field)`,
 * joined by and / or / not(…) — and stays silent about anything else: a condition it cannot
 * understand is never refused here (its syntax is checked by feel.ts, its value at run time).
 */
import { parseExpression } from 'feelin';
import { strip } from './feel.ts';
import { quoteExpression } from './errors.ts';

/** feelin's (lezer) syntax node, named through feelin so no transitive package is imported. */
type SyntaxNode = ReturnType<typeof parseExpression>['topNode'];

export type ConditionLocale = 'zh-CN' | 'en';

/** A field as conditions see it. `labels[0]` is shown in messages; every label is recognised. */
export interface ConditionField {
  name: string;
  labels: string[];
  /** The values a select / radio field can hold; absent for free fields. */
  options?: { value: string | number | boolean; labels: string[] }[];
}

export interface FieldConditionOptions {
  locale: ConditionLocale;
  /**
   * Refuse names that are not fields. True for routing rules (they see only the record's
   * data); false for process branches, whose variables may come from other nodes.
   */
  unknownNames: boolean;
}

/** Scopes that bind their own names (`for x in`, `some x in`, `items[item > 1]`, `function(a)`): names there are not fields. */
const BINDS_NAMES = new Set(['ForExpression', 'QuantifiedExpression', 'FilterExpression', 'FunctionDefinition', 'Context']);
/** How many values or fields a message lists before "…" (a select may have hundreds). */
const LISTED = 12;

const texts = {
  'zh-CN': {
    cannotHold: (field: string, value: string, allowed: string, hint: string) => `${field} 不可能是 ${value}${hint}。${field} 可以是：${allowed}`,
    labelHint: (value: string, label: string) => `（“${label}”是选项的名称，它存储的值是 ${value}）`,
    notAField: (name: string, fields: string) => `${name} 不是这个表单的字段。字段有：${fields}`,
    fieldLabel: (name: string, field: string) => `${name} 是字段的名称，条件里请写字段标识 ${field}`,
    optionLabel: (name: string, field: string, value: string) => `${name} 是字段 ${field} 的选项名称，条件里请写它的值 ${value}（带引号）`,
    pair: (value: string, label: string) => `${value}（${label}）`,
    separator: '、',
  },
  en: {
    cannotHold: (field: string, value: string, allowed: string, hint: string) => `${field} can never be ${value}${hint}. ${field} can be: ${allowed}`,
    labelHint: (value: string, label: string) => ` ("${label}" is an option's label; its stored value is ${value})`,
    notAField: (name: string, fields: string) => `${name} is not a field of this form. Its fields are: ${fields}`,
    fieldLabel: (name: string, field: string) => `${name} is a field's label; write the field's name ${field} in conditions`,
    optionLabel: (name: string, field: string, value: string) => `${name} is a label of an option of ${field}; write its value ${value} (in quotes)`,
    pair: (value: string, label: string) => `${value} (${label})`,
    separator: ', ',
  },
};

type Literal = { value: string | number | boolean };

/** One problem: the message in the chosen language, and a stable code with its values for a client that words it itself. */
export interface FieldConditionProblem {
  code: 'condition_value_impossible' | 'condition_unknown_name' | 'condition_field_label' | 'condition_option_label';
  message: string;
  params: Record<string, string>;
}

function childrenOf(node: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (let child = node.firstChild; child; child = child.nextSibling) out.push(child);
  return out;
}

/** The value of a string, number or boolean literal node; undefined for anything else (null included). */
function literalOf(node: SyntaxNode | null | undefined, text: (node: SyntaxNode) => string): Literal | undefined {
  if (!node) return undefined;
  const source = text(node);
  if (node.name === 'StringLiteral') {
    try {
      return { value: JSON.parse(source) as string };
    } catch {
      return { value: source.slice(1, -1) };
    }
  }
  if (node.name === 'NumericLiteral') return { value: Number(source) };
  if (node.name === 'BooleanLiteral') return { value: source === 'true' };
  return undefined;
}

/** Every literal of a list of plain literals (`["a", "b"]`, `("a", "b")`, `"a"`); undefined if any item is something else. */
function literalsOf(nodes: SyntaxNode[], text: (node: SyntaxNode) => string): Literal[] | undefined {
  const out: Literal[] = [];
  for (const node of nodes) {
    if (node.name === 'PositiveUnaryTests' || node.name === 'PositiveUnaryTest' || node.name === 'List') {
      const inner = literalsOf(childrenOf(node).filter((child) => !['[', ']', '(', ')'].includes(child.name)), text);
      if (!inner) return undefined;
      out.push(...inner);
    } else {
      const literal = literalOf(node, text);
      if (!literal) return undefined;
      out.push(literal);
    }
  }
  return out;
}

/** A field compared with values: what a comparison or `list contains` says, when it is that simple. */
interface FieldTest {
  name: string;
  values: Literal[];
}

function fieldTestOf(node: SyntaxNode, text: (node: SyntaxNode) => string): FieldTest | undefined {
  const parts = childrenOf(node);
  if (node.name === 'Comparison') {
    const [left, op, ...rest] = parts;
    if (!left || !op) return undefined;
    if (op.name === 'CompareOp' && (text(op) === '=' || text(op) === '!=') && rest.length === 1) {
      const [right] = rest;
      const variable = left.name === 'VariableName' ? left : right!.name === 'VariableName' ? right! : undefined;
      const literal = literalOf(variable === left ? right : left, text);
      return variable && literal ? { name: text(variable), values: [literal] } : undefined;
    }
    if (op.name === 'in' && left.name === 'VariableName') {
      const values = literalsOf(rest.filter((child) => child.name !== '(' && child.name !== ')'), text);
      return values ? { name: text(left), values } : undefined;
    }
    return undefined;
  }
  // `list contains(["a", "b"], field)`: what the flow condition builder writes for 属于.
  if (node.name === 'FunctionInvocation' && parts[0] && text(parts[0]) === 'list contains') {
    const args = parts.find((child) => child.name === 'PositionalParameters');
    const [list, variable, extra] = args ? childrenOf(args) : [];
    if (list?.name !== 'List' || variable?.name !== 'VariableName' || extra) return undefined;
    const values = literalsOf([list], text);
    return values ? { name: text(variable), values } : undefined;
  }
  return undefined;
}

function isCallee(node: SyntaxNode): boolean {
  return node.parent?.name === 'FunctionInvocation' && node.parent.firstChild?.from === node.from;
}

function insideType(node: SyntaxNode): boolean {
  for (let up = node.parent; up; up = up.parent) if (up.name === 'Type') return true;
  return false;
}

/** A value from the condition, for a message and its params: a long text literal is cut (errors.ts). */
function quote(value: string | number | boolean): string {
  return typeof value === 'string' ? quoteExpression(value) : String(value);
}

function listed(items: string[], separator: string): string {
  return items.length > LISTED ? `${items.slice(0, LISTED).join(separator)}${separator}…` : items.join(separator);
}

/**
 * The problems of `source` (FEEL, a leading `=` allowed) against `fields`, in `locale`; an
 * empty list when there are none or when the text is not FEEL this module can read.
 */
export function fieldConditionProblems(source: string, fields: readonly ConditionField[], options: FieldConditionOptions): string[] {
  return fieldConditionDetails(source, fields, options).map((problem) => problem.message);
}

/** As fieldConditionProblems, with each problem's code and values. */
export function fieldConditionDetails(source: string, fields: readonly ConditionField[], options: FieldConditionOptions): FieldConditionProblem[] {
  const expr = strip(source);
  const t = texts[options.locale];
  const text = (node: SyntaxNode) => expr.slice(node.from, node.to);
  const byName = new Map(fields.map((field) => [field.name, field]));
  const show = (field: ConditionField) => (field.labels[0] && field.labels[0] !== field.name ? t.pair(field.name, field.labels[0]) : field.name);

  let broken = false;
  let bindsNames = false;
  const names: string[] = [];
  const tests: FieldTest[] = [];
  try {
    parseExpression(expr, {}, undefined).iterate({
      enter(ref) {
        if (ref.type.isError) broken = true;
        if (BINDS_NAMES.has(ref.name)) bindsNames = true;
        if (ref.name === 'VariableName') {
          if (!isCallee(ref.node) && !insideType(ref.node)) names.push(text(ref.node));
          return false;
        }
        if (ref.name === 'Comparison' || ref.name === 'FunctionInvocation') {
          const test = fieldTestOf(ref.node, text);
          if (test) tests.push(test);
        }
        return undefined;
      },
    });
  } catch {
    return [];
  }
  if (broken) return [];

  const problems: FieldConditionProblem[] = [];
  if (options.unknownNames && !bindsNames) {
    for (const name of new Set(names)) {
      if (byName.has(name)) continue;
      const labelled = fields.find((field) => field.labels.includes(name));
      const option = fields.flatMap((field) => (field.options ?? []).map((o) => ({ field, option: o }))).find(({ option: o }) => o.labels.includes(name));
      if (labelled) {
        problems.push({ code: 'condition_field_label', message: t.fieldLabel(name, labelled.name), params: { name, field: labelled.name } });
      } else if (option) {
        const value = quote(option.option.value);
        problems.push({ code: 'condition_option_label', message: t.optionLabel(name, show(option.field), value), params: { name, field: option.field.name, value } });
      } else {
        const known = listed(fields.map(show), t.separator);
        problems.push({ code: 'condition_unknown_name', message: t.notAField(name, known), params: { name, fields: known } });
      }
    }
  }
  for (const test of tests) {
    const field = byName.get(test.name);
    if (!field?.options) continue;
    const allowed = field.options;
    for (const { value } of test.values) {
      if (allowed.some((option) => option.value === value)) continue;
      const meant = allowed.find((option) => option.labels.includes(String(value)));
      const hint = meant ? t.labelHint(quote(meant.value), String(value)) : '';
      const choices = listed(
        allowed.map((option) => (option.labels[0] ? t.pair(quote(option.value), option.labels[0]) : quote(option.value))),
        t.separator,
      );
      const label = field.labels[0] ?? field.name;
      problems.push({
        code: 'condition_value_impossible',
        message: t.cannotHold(label, quote(value), choices, hint),
        params: { field: field.name, fieldLabel: label, value: quote(value), allowed: choices },
      });
    }
  }
  return problems;
}
