/** Option values shared by several commands: `--var k=v`, `--filter`, repeated options. */
import { InvalidArgumentError } from 'commander';
import { usageError } from './io.ts';

/** Commander collector for a repeatable option. */
export const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/**
 * `k=v` pairs into variables. The value is read as JSON when it parses (`amount=1200` a number,
 * `ok=true` a boolean, `items=[1,2]` an array, `x="007"` the string 007), else taken as text
 * (`name=华东客户`). A key given twice is an error rather than a silent overwrite.
 */
export function parseVars(pairs: string[] = []): Record<string, unknown> {
  const variables: Record<string, unknown> = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at <= 0) throw usageError(`--var "${pair}": write it as name=value`);
    const name = pair.slice(0, at).trim();
    const text = pair.slice(at + 1);
    if (!name) throw usageError(`--var "${pair}": the name before "=" is empty`);
    if (Object.hasOwn(variables, name)) throw usageError(`--var ${name} is given twice`);
    let value: unknown = text;
    try {
      value = JSON.parse(text);
    } catch {
      // not JSON: the text itself
    }
    variables[name] = value;
  }
  return variables;
}

const OPERATORS: [string, string][] = [
  ['!=', 'ne'],
  ['>=', 'gte'],
  ['<=', 'lte'],
  ['=', 'eq'],
  ['>', 'gt'],
  ['<', 'lt'],
  ['~', 'contains'],
];

/**
 * `--filter` expressions into the record list's query pairs (engine/forms/query.ts):
 * `tier=A`, `amount>=1000`, `name~华东` (contains), `tier!=C`, `tier:in=A,B`, or the raw
 * `filter[amount][gte]=1000`. The field is the text before the first operator.
 */
export function parseFilter(expression: string): [string, string] {
  if (expression.startsWith('filter[')) {
    const at = expression.indexOf('=');
    if (at < 0) throw usageError(`--filter "${expression}": write filter[field][op]=value`);
    return [expression.slice(0, at), expression.slice(at + 1)];
  }
  const named = /^([^:=<>!~\s]+):([a-z]+)=(.*)$/s.exec(expression);
  if (named) return [`filter[${named[1]}][${named[2]}]`, named[3]!];
  let best: { index: number; token: string; op: string } | undefined;
  for (const [token, op] of OPERATORS) {
    const index = expression.indexOf(token);
    // The earliest operator wins; at one position the longer token (">=" before ">").
    if (index > 0 && (!best || index < best.index)) best = { index, token, op };
  }
  if (!best) throw usageError(`--filter "${expression}": expected field=value, field>=value, field~text or field:op=value`);
  const field = expression.slice(0, best.index).trim();
  return [`filter[${field}][${best.op}]`, expression.slice(best.index + best.token.length).trim()];
}

export function positiveInt(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new InvalidArgumentError(`"${value}" is not a whole number ≥ 1`);
  return Number(value);
}
