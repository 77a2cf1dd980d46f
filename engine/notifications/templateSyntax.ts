/**
 * What a saved template may use, checked on its parsed program: handlebars compiles
 * `{{> partial}}`, decorators and calls to helpers nobody registered, and then every render
 * fails ("The partial foo could not be found", "Missing helper"). No partials or decorators
 * are registered in this environment, so they are refused at save with their line, and so
 * is a call (a mustache or block with arguments, or a sub-expression) of an unknown helper.
 */
import Handlebars from 'handlebars';

/** The environment's registered helpers are what a call may name. */
type Hbs = { helpers: Record<string, unknown> };
type Node = hbs.AST.Node;

export interface SyntaxProblem {
  message: string;
  line?: number;
  column?: number;
}

/** The name of a call's helper when it is a plain identifier (`foo`, not `this.foo`, `../foo` or `@foo`). */
function helperName(path: hbs.AST.Expression): string | undefined {
  if (path.type !== 'PathExpression') return undefined;
  const p = path as hbs.AST.PathExpression;
  return !p.data && p.depth === 0 && p.parts.length === 1 && !/^this\b|^\./.test(p.original) ? p.parts[0] : undefined;
}

export function templateSyntaxProblems(env: Hbs, program: hbs.AST.Program): SyntaxProblem[] {
  const problems: SyntaxProblem[] = [];
  const at = (node: Node) => ({ line: node.loc?.start.line, column: node.loc ? node.loc.start.column + 1 : undefined });
  const checkCall = (node: Node, path: hbs.AST.Expression, hasArguments: boolean) => {
    const name = helperName(path);
    if (hasArguments && name !== undefined && !(name in env.helpers)) {
      problems.push({ message: `unknown helper "${name}" (available: ${Object.keys(env.helpers).filter((h) => !/Missing$/.test(h)).join(', ')})`, ...at(node) });
    }
  };
  const visitor = new Handlebars.Visitor();
  const refuse = (what: string) => (node: Node) => {
    problems.push({ message: `${what} are not supported in templates`, ...at(node) });
  };
  Object.assign(visitor, {
    PartialStatement: refuse('partials ({{> …}})'),
    PartialBlockStatement: refuse('partial blocks ({{#> …}})'),
    Decorator: refuse('decorators ({{* …}})'),
    DecoratorBlock: refuse('decorators ({{#* …}})'),
  });
  const base = Handlebars.Visitor.prototype as unknown as Record<string, (this: unknown, node: Node) => unknown>;
  const withCall = (type: 'MustacheStatement' | 'BlockStatement' | 'SubExpression') =>
    function (this: unknown, node: Node) {
      const call = node as hbs.AST.MustacheStatement | hbs.AST.BlockStatement | hbs.AST.SubExpression;
      const hasArguments = type === 'SubExpression' || call.params.length > 0 || (call.hash?.pairs.length ?? 0) > 0;
      checkCall(node, call.path, hasArguments);
      return base[type].call(this, node);
    };
  Object.assign(visitor, {
    MustacheStatement: withCall('MustacheStatement'),
    BlockStatement: withCall('BlockStatement'),
    SubExpression: withCall('SubExpression'),
  });
  visitor.accept(program);
  return problems;
}
