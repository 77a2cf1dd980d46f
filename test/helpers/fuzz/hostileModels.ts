/**
 * Generated hostile BPMN models and FEEL/JUEL expressions (issue 18): each one is meant to
 * exhaust the server's memory or time — huge and computed cardinalities, nested
 * multi-instances, loops without a wait state, tight timer cycles, joins that never fire, deep
 * and wide models, huge attributes, slow or huge expressions, evil regular expressions,
 * extreme dates. A case is a plain description (printed on failure, so it replays), turned
 * into XML and start variables by `buildModel`. What the server must do with each is checked
 * by test/integration/fuzz-models.test.ts: refuse it at deploy or start with a 4xx naming the
 * problem, or stop it within its budget — and keep answering /api/health meanwhile.
 */
import fc from 'fast-check';

/** One generated case; `family` says what it attacks, the rest are its parameters. */
export type HostileModelSpec =
  | { family: 'cardinality'; via: 'literal' | 'variable' | 'feel' | 'juel'; n: number }
  | { family: 'collection'; via: 'variable' | 'feel'; n: number }
  | { family: 'nestedMultiInstance'; levels: number[] }
  | { family: 'loop'; shape: 'exclusive' | 'parallelFork' | 'inclusive' | 'selfFlow'; tasks: number; condition: string }
  | { family: 'timer'; place: 'start' | 'intermediate' | 'boundary' | 'boundaryNonInterrupting'; kind: 'timeCycle' | 'timeDuration' | 'timeDate'; value: string }
  | { family: 'zeroTimerLoop'; value: string }
  | { family: 'join'; shape: 'parallelMissing' | 'inclusiveDead' | 'parallelSelfFed' | 'parallelWide'; n: number }
  | { family: 'deepSubProcesses'; depth: number }
  | { family: 'manyElements'; shape: 'chain' | 'fanOut'; n: number }
  | { family: 'hugeAttribute'; where: 'name' | 'documentation' | 'assignee' | 'condition' | 'id'; size: number }
  | { family: 'eventGateway'; branches: number; catch: 'timer' | 'message' | 'signal' }
  | { family: 'expression'; place: 'condition' | 'input' | 'output' | 'assignee' | 'cardinality' | 'timer' | 'completion'; text: string };

export interface HostileModel {
  xml: string;
  /** The start's variables (some cases read their size from one). */
  variables: Record<string, unknown>;
  /** False when the process has no none start event (a timer start): only deploying it means anything. */
  startable: boolean;
}

const XML_HEAD = `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
  xmlns:camunda="http://camunda.org/schema/1.0/bpmn" targetNamespace="http://liuzhuan.dev/fuzz">`;

const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const flow = (from: string, to: string, condition?: string) =>
  condition === undefined
    ? `<sequenceFlow id="f_${from}_${to}" sourceRef="${from}" targetRef="${to}"/>`
    : `<sequenceFlow id="f_${from}_${to}" sourceRef="${from}" targetRef="${to}"><conditionExpression xsi:type="tFormalExpression">${escapeXml(condition)}</conditionExpression></sequenceFlow>`;
const userTask = (id: string, inner = '') => `<userTask id="${id}" camunda:assignee="admin">${inner}</userTask>`;
const mi = (cardinality: string) => `<multiInstanceLoopCharacteristics><loopCardinality>${escapeXml(cardinality)}</loopCardinality></multiInstanceLoopCharacteristics>`;
const wrap = (key: string, body: string, extra = '') => `${XML_HEAD}${extra}<process id="${key}" isExecutable="true">${body}</process></definitions>`;
const range = (n: number) => Array.from({ length: n }, (_, i) => i);

// ---- expressions meant to be slow, huge or to break the evaluator ----

const evilRegex = fc
  .tuple(fc.integer({ min: 20, max: 5_000 }), fc.constantFrom('^(a+)+$', '(a|aa)+$', '^(a|a?)+$', '(.*a){20}', '^(([a-z])+.)+[A-Z]([a-z])+$', '(?:a+){2,}$'))
  .map(([n, pattern]) => `matches("${'a'.repeat(n)}!", "${pattern.replace(/\\/g, '\\\\')}")`);

/** Hostile FEEL (without the leading `=`). */
export const hostileFeel: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(1e5, 1e6, 1e9).map((n) => `count(for i in 1..${n} return i) > 0`),
  fc.constantFrom(1e3, 1e5).map((n) => `count(for i in 1..${n} return for j in 1..${n} return i) > 0`),
  fc.constantFrom(1e5, 1e6, 1e7).map((n) => `string length(string join(for i in 1..${n} return "xxxxxxxxxx")) > 0`),
  fc.constantFrom(100, 1000).map((n) => `string join(for i in 1..${n} return string join(for j in 1..${n} return "abcdefghij"))`),
  fc.constantFrom(1e5, 1e6).map((n) => `for i in 1..${n} return {a: i, b: [i, i, "text"]}`),
  fc.constantFrom(1e5, 1e6).map((n) => `sort(for i in 1..${n} return -i, function(a, b) a < b)`),
  fc.constantFrom(30, 40, 60).map((n) => `{f: function(n) if n = 0 then 0 else f(n - 1) + f(n - 1)}.f(${n})`),
  fc.constant('{f: function(n) f(n + 1)}.f(0)'),
  evilRegex,
  fc.constantFrom(
    'date("9999-12-31") + duration("P999999999Y")',
    'date and time("2026-01-01T00:00:00Z") - date and time("-271821-04-20T00:00:00Z")',
    'duration("P99999999999999999999D")',
    'date("2026-01-01") + duration("P1D") * 1e15',
    'years and months duration(date("0001-01-01"), date("9999-12-31")) * 1e300',
    'substring("x", 1, 1e15)',
    'string length(substring(string join(for i in 1..100000 return "ab"), 1, 1e9))',
    'replace(string join(for i in 1..20000 return "a"), "(a*)*b", "x")',
    '10 ** 1e9',
    'decimal(1 / 3, 1e9)',
  ),
  fc.constantFrom(200, 400, 1_000, 3_000).map((n) => `${'('.repeat(n)}1${')'.repeat(n)} = 1`),
  fc.constantFrom(500, 2_000).map((n) => `{${range(n).map((i) => `k${i}: "v${i}"`).join(', ')}}.k1 = "v1"`),
);

/** Hostile JUEL: deep nesting and long chains (the subset has no loops or calls). */
export const hostileJuel: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(50, 99, 101, 1_000, 20_000).map((n) => `\${${'('.repeat(n)}1${')'.repeat(n)} == 1}`),
  fc.constantFrom(999, 1_001, 100_000).map((n) => `\${${range(n).map(() => '1').join(' + ')} > 0}`),
  fc.constantFrom(200, 50_000).map((n) => `\${${'!'.repeat(n)}true}`),
  fc.constantFrom(1e5, 1e6).map((n) => `\${'${'x'.repeat(n)}' == 'y'}`),
  fc.constantFrom(1_000, 30_000).map((n) => `${'${a}'.repeat(n)}`),
);

const hostileExpression = fc.oneof({ arbitrary: hostileFeel.map((text) => `= ${text}`), weight: 3 }, { arbitrary: hostileJuel, weight: 1 });

const loopCondition = fc.oneof(fc.constantFrom('${true}', '= true', '${1 == 1}'), hostileFeel.map((text) => `= ${text}`));

// ---- the families ----

const family = {
  cardinality: fc.record({
    family: fc.constant('cardinality' as const),
    via: fc.constantFrom('literal' as const, 'variable' as const, 'feel' as const, 'juel' as const),
    n: fc.constantFrom(1_001, 100_000, 1e9, 2 ** 53, 1e308, -1, 0.5),
  }),
  collection: fc.record({ family: fc.constant('collection' as const), via: fc.constantFrom('variable' as const, 'feel' as const), n: fc.constantFrom(1_001, 50_000, 1e7) }),
  nestedMultiInstance: fc.record({
    family: fc.constant('nestedMultiInstance' as const),
    levels: fc.array(fc.constantFrom(10, 100, 1_000), { minLength: 2, maxLength: 4 }),
  }),
  loop: fc.record({
    family: fc.constant('loop' as const),
    shape: fc.constantFrom('exclusive' as const, 'parallelFork' as const, 'inclusive' as const, 'selfFlow' as const),
    tasks: fc.integer({ min: 1, max: 5 }),
    condition: loopCondition,
  }),
  timer: fc.record({
    family: fc.constant('timer' as const),
    place: fc.constantFrom('start' as const, 'intermediate' as const, 'boundary' as const, 'boundaryNonInterrupting' as const),
    kind: fc.constantFrom('timeCycle' as const, 'timeDuration' as const, 'timeDate' as const),
    value: fc.constantFrom(
      'R/PT0S', 'R1000000/PT1S', 'R/PT0.001S', 'R/PT1S', 'R/PT59S', 'R/P0D', 'R-1/PT1M', 'R99999999999999999999/PT1M',
      '* * * * * ?', '0/1 * * * * ?', '0 * * * * ?', '*/1 * * * * *', '0 0 0 31 2 ?',
      'PT0S', 'P0D', '-PT1S', 'PT0.000001S', 'P99999999999Y', 'PT1S',
      '1970-01-01T00:00:00Z', '+275760-09-13T00:00:00Z', '9999-12-31T23:59:59Z',
      '${d}', '= "R/PT0S"', '= string join(for i in 1..1000000 return "P")',
    ),
  }),
  zeroTimerLoop: fc.record({ family: fc.constant('zeroTimerLoop' as const), value: fc.constantFrom('PT0S', 'P0D', 'PT0.001S', 'PT1S') }),
  join: fc.record({
    family: fc.constant('join' as const),
    shape: fc.constantFrom('parallelMissing' as const, 'inclusiveDead' as const, 'parallelSelfFed' as const, 'parallelWide' as const),
    n: fc.constantFrom(2, 50, 1_000),
  }),
  deepSubProcesses: fc.record({ family: fc.constant('deepSubProcesses' as const), depth: fc.constantFrom(20, 100, 300, 1_500) }),
  manyElements: fc.record({
    family: fc.constant('manyElements' as const),
    shape: fc.constantFrom('chain' as const, 'fanOut' as const),
    n: fc.constantFrom(1_000, 2_400, 2_600, 6_000, 20_000),
  }),
  hugeAttribute: fc.record({
    family: fc.constant('hugeAttribute' as const),
    where: fc.constantFrom('name' as const, 'documentation' as const, 'assignee' as const, 'condition' as const, 'id' as const),
    size: fc.constantFrom(10_000, 300_000, 1_900_000, 3_000_000),
  }),
  eventGateway: fc.record({
    family: fc.constant('eventGateway' as const),
    branches: fc.constantFrom(50, 500, 2_400),
    catch: fc.constantFrom('timer' as const, 'message' as const, 'signal' as const),
  }),
  expression: fc.record({
    family: fc.constant('expression' as const),
    place: fc.constantFrom('condition' as const, 'input' as const, 'output' as const, 'assignee' as const, 'cardinality' as const, 'timer' as const, 'completion' as const),
    text: hostileExpression,
  }),
};

export type HostileFamily = keyof typeof family;
export const HOSTILE_FAMILIES = Object.keys(family) as HostileFamily[];

/** Any hostile case; expressions weigh most, as they have the most ways to go wrong. */
export const hostileModelSpec: fc.Arbitrary<HostileModelSpec> = fc.oneof(
  ...HOSTILE_FAMILIES.map((name) => ({ arbitrary: family[name] as fc.Arbitrary<HostileModelSpec>, weight: name === 'expression' ? 4 : name === 'timer' || name === 'loop' ? 2 : 1 })),
);

/** The cases of one family only (replaying or probing one attack). */
export function hostileModelSpecOf(name: HostileFamily): fc.Arbitrary<HostileModelSpec> {
  return family[name] as fc.Arbitrary<HostileModelSpec>;
}

/** The model of `spec` as process `key` (a fresh key per case keeps the cases apart). */
export function buildModel(spec: HostileModelSpec, key: string): HostileModel {
  const plain = (body: string, variables: Record<string, unknown> = {}, extra = ''): HostileModel => ({ xml: wrap(key, body, extra), variables, startable: true });
  switch (spec.family) {
    case 'cardinality': {
      const text = { literal: String(spec.n), variable: '${n}', feel: `= ${spec.n}`, juel: `\${n * 1}` }[spec.via];
      return plain(`<startEvent id="s"/>${userTask('t', mi(text))}<endEvent id="e"/>${flow('s', 't')}${flow('t', 'e')}`, { n: spec.n });
    }
    case 'collection': {
      const attr = spec.via === 'variable' ? '${items}' : `= for i in 1..${spec.n} return i`;
      // A variable list is bounded by the request body (2 MB): at most what fits.
      const items = spec.via === 'variable' ? range(Math.min(spec.n, 200_000)) : [];
      return plain(
        `<startEvent id="s"/>${userTask('t', `<multiInstanceLoopCharacteristics camunda:collection="${escapeXml(attr)}" camunda:elementVariable="item"/>`)}<endEvent id="e"/>${flow('s', 't')}${flow('t', 'e')}`,
        { items },
      );
    }
    case 'nestedMultiInstance': {
      let inner = userTask('leaf', mi(String(spec.levels.at(-1))));
      for (let level = spec.levels.length - 2; level >= 0; level -= 1) {
        inner = `<subProcess id="sp${level}">${mi(String(spec.levels[level]))}<startEvent id="in${level}"/>${inner}${flow(`in${level}`, level === spec.levels.length - 2 ? 'leaf' : `sp${level + 1}`)}</subProcess>`;
      }
      return plain(`<startEvent id="s"/>${inner}<endEvent id="e"/>${flow('s', 'sp0')}${flow('sp0', 'e')}`);
    }
    case 'loop': {
      const tasks = range(spec.tasks).map((i) => `<task id="w${i}"/>`).join('');
      const chain = range(spec.tasks - 1).map((i) => flow(`w${i}`, `w${i + 1}`)).join('');
      const last = `w${spec.tasks - 1}`;
      switch (spec.shape) {
        case 'exclusive':
          return plain(`<startEvent id="s"/>${tasks}<exclusiveGateway id="g" default="f_g_e"/><endEvent id="e"/>${flow('s', 'w0')}${chain}${flow(last, 'g')}${flow('g', 'w0', spec.condition)}${flow('g', 'e')}`);
        case 'inclusive':
          return plain(`<startEvent id="s"/>${tasks}<inclusiveGateway id="g" default="f_g_e"/><endEvent id="e"/>${flow('s', 'w0')}${chain}${flow(last, 'g')}${flow('g', 'w0', spec.condition)}${flow('g', 'e')}`);
        case 'parallelFork':
          // Every pass doubles the tokens: w0 is entered twice as often each time round.
          return plain(`<startEvent id="s"/>${tasks}<parallelGateway id="g"/>${flow('s', 'w0')}${chain}${flow(last, 'g')}<sequenceFlow id="back1" sourceRef="g" targetRef="w0"/><sequenceFlow id="back2" sourceRef="g" targetRef="w0"/>`);
        case 'selfFlow':
          return plain(`<startEvent id="s"/><task id="w0"/><endEvent id="e"/>${flow('s', 'w0')}${flow('w0', 'w0', spec.condition)}<sequenceFlow id="out" sourceRef="w0" targetRef="e"><conditionExpression xsi:type="tFormalExpression">\${false}</conditionExpression></sequenceFlow>`);
      }
    }
    // falls through (every shape returns)
    case 'timer': {
      const definition = `<timerEventDefinition><${spec.kind}>${escapeXml(spec.value)}</${spec.kind}></timerEventDefinition>`;
      const variables = { d: 'R/PT0S' };
      switch (spec.place) {
        case 'start':
          return { xml: wrap(key, `<startEvent id="tick">${definition}</startEvent><endEvent id="e"/>${flow('tick', 'e')}`), variables, startable: false };
        case 'intermediate':
          return plain(`<startEvent id="s"/><intermediateCatchEvent id="wait">${definition}</intermediateCatchEvent><endEvent id="e"/>${flow('s', 'wait')}${flow('wait', 'e')}`, variables);
        case 'boundary':
        case 'boundaryNonInterrupting':
          return plain(
            `<startEvent id="s"/>${userTask('t')}<boundaryEvent id="b" attachedToRef="t" cancelActivity="${spec.place === 'boundary'}">${definition}</boundaryEvent><endEvent id="e"/><endEvent id="e2"/>${flow('s', 't')}${flow('t', 'e')}${flow('b', 'e2')}`,
            variables,
          );
      }
    }
    // falls through (every place returns)
    case 'zeroTimerLoop':
      // A reminder that re-enters its own task: each entry arms a new zero timer.
      return plain(
        `<startEvent id="s"/>${userTask('t')}<boundaryEvent id="b" attachedToRef="t" cancelActivity="false"><timerEventDefinition><timeDuration>${spec.value}</timeDuration></timerEventDefinition></boundaryEvent><endEvent id="e"/>${flow('s', 't')}${flow('t', 'e')}${flow('b', 't')}`,
      );
    case 'join': {
      switch (spec.shape) {
        case 'parallelMissing':
          // The join waits for a branch that went elsewhere: it never fires.
          return plain(`<startEvent id="s"/><parallelGateway id="split"/><task id="a"/><task id="b"/><parallelGateway id="join"/>${userTask('after')}<endEvent id="e"/><endEvent id="lost"/>
            ${flow('s', 'split')}${flow('split', 'a')}${flow('split', 'b')}${flow('a', 'join')}${flow('b', 'lost')}<sequenceFlow id="ghost" sourceRef="never" targetRef="join"/><task id="never"/>${flow('join', 'after')}${flow('after', 'e')}`);
        case 'inclusiveDead':
          return plain(`<startEvent id="s"/><inclusiveGateway id="split"/><task id="a"/><task id="b"/><inclusiveGateway id="join"/><endEvent id="e"/>
            ${flow('s', 'split')}${flow('split', 'a', '${true}')}${flow('split', 'b', '${false}')}${flow('a', 'join')}${flow('b', 'join')}${flow('join', 'e')}<task id="orphan"/>${flow('orphan', 'join')}`);
        case 'parallelSelfFed':
          return plain(`<startEvent id="s"/><parallelGateway id="join"/><task id="a"/><endEvent id="e"/>${flow('s', 'join')}${flow('join', 'a')}${flow('a', 'join')}${flow('a', 'e')}`);
        case 'parallelWide': {
          const branches = range(spec.n).map((i) => `<task id="b${i}"/>${flow('split', `b${i}`)}${i === 0 ? '' : flow(`b${i}`, 'join')}`).join('');
          return plain(`<startEvent id="s"/><parallelGateway id="split"/><parallelGateway id="join"/><endEvent id="e"/><endEvent id="lost"/>${flow('s', 'split')}${branches}${flow('b0', 'lost')}${flow('join', 'e')}`);
        }
      }
    }
    // falls through (every shape returns)
    case 'deepSubProcesses': {
      let inner = `<startEvent id="in${spec.depth}"/>${userTask('leaf')}${flow(`in${spec.depth}`, 'leaf')}`;
      for (let level = spec.depth - 1; level >= 0; level -= 1) {
        inner = `<startEvent id="in${level}"/><subProcess id="sp${level + 1}">${inner}</subProcess>${flow(`in${level}`, `sp${level + 1}`)}`;
      }
      return plain(`<startEvent id="s"/><subProcess id="sp0">${inner}</subProcess><endEvent id="e"/>${flow('s', 'sp0')}${flow('sp0', 'e')}`);
    }
    case 'manyElements': {
      if (spec.shape === 'chain') {
        const nodes = range(spec.n).map((i) => `<task id="n${i}"/>`).join('');
        const flows = range(spec.n - 1).map((i) => flow(`n${i}`, `n${i + 1}`)).join('');
        return plain(`<startEvent id="s"/>${nodes}<endEvent id="e"/>${flow('s', 'n0')}${flows}${flow(`n${spec.n - 1}`, 'e')}`);
      }
      const branches = range(spec.n).map((i) => `${userTask(`u${i}`)}${flow('split', `u${i}`)}`).join('');
      return plain(`<startEvent id="s"/><parallelGateway id="split"/>${flow('s', 'split')}${branches}`);
    }
    case 'hugeAttribute': {
      const big = 'x'.repeat(spec.size);
      switch (spec.where) {
        case 'name':
          return plain(`<startEvent id="s" name="${big}"/>${userTask('t')}${flow('s', 't')}`);
        case 'documentation':
          return plain(`<startEvent id="s"><documentation>${big}</documentation></startEvent>${userTask('t')}${flow('s', 't')}`);
        case 'assignee':
          return plain(`<startEvent id="s"/><userTask id="t" camunda:assignee="${big}"/>${flow('s', 't')}`);
        case 'condition':
          return plain(`<startEvent id="s"/><exclusiveGateway id="g" default="f_g_e"/>${userTask('t')}<endEvent id="e"/>${flow('s', 'g')}${flow('g', 't', `\${a == '${big}'}`)}${flow('g', 'e')}`, { a: 'x' });
        case 'id':
          return plain(`<startEvent id="s"/><userTask id="t${big}" camunda:assignee="admin"/>${flow('s', `t${big}`)}`);
      }
    }
    // falls through (every place returns)
    case 'eventGateway': {
      const definitions = spec.catch === 'message' ? range(spec.branches).map((i) => `<message id="m${i}" name="msg${i}"/>`).join('') : spec.catch === 'signal' ? range(spec.branches).map((i) => `<signal id="g${i}" name="sig${i}"/>`).join('') : '';
      const event = (i: number) =>
        spec.catch === 'timer'
          ? `<timerEventDefinition><timeDuration>PT${i + 1}H</timeDuration></timerEventDefinition>`
          : spec.catch === 'message'
            ? `<messageEventDefinition messageRef="m${i}"/>`
            : `<signalEventDefinition signalRef="g${i}"/>`;
      const branches = range(spec.branches).map((i) => `<intermediateCatchEvent id="c${i}">${event(i)}</intermediateCatchEvent>${flow('g', `c${i}`)}${flow(`c${i}`, 'e')}`).join('');
      return plain(`<startEvent id="s"/><eventBasedGateway id="g"/><endEvent id="e"/>${flow('s', 'g')}${branches}`, {}, definitions);
    }
    case 'expression': {
      const text = spec.text;
      switch (spec.place) {
        case 'condition':
          return plain(`<startEvent id="s"/><exclusiveGateway id="g" default="f_g_e"/>${userTask('t')}<endEvent id="e"/>${flow('s', 'g')}${flow('g', 't', text)}${flow('g', 'e')}`, { a: 1 });
        case 'input':
        case 'output': {
          const io = `<extensionElements><camunda:inputOutput><camunda:${spec.place}Parameter name="v">${escapeXml(text)}</camunda:${spec.place}Parameter></camunda:inputOutput></extensionElements>`;
          return plain(`<startEvent id="s"/><task id="w">${io}</task>${userTask('t')}${flow('s', 'w')}${flow('w', 't')}`, { a: 1 });
        }
        case 'assignee':
          return plain(`<startEvent id="s"/><userTask id="t" camunda:assignee="${escapeXml(text)}"/>${flow('s', 't')}`, { a: 1 });
        case 'cardinality':
          return plain(`<startEvent id="s"/>${userTask('t', mi(text))}${flow('s', 't')}`, { a: 1 });
        case 'completion':
          return plain(
            `<startEvent id="s"/>${userTask('t', `<multiInstanceLoopCharacteristics><loopCardinality>3</loopCardinality><completionCondition>${escapeXml(text)}</completionCondition></multiInstanceLoopCharacteristics>`)}${flow('s', 't')}`,
            { a: 1 },
          );
        case 'timer':
          return plain(`<startEvent id="s"/><intermediateCatchEvent id="wait"><timerEventDefinition><timeDuration>${escapeXml(text)}</timeDuration></timerEventDefinition></intermediateCatchEvent>${userTask('t')}${flow('s', 'wait')}${flow('wait', 't')}`, { a: 1 });
      }
    }
  }
  throw new Error(`no model for ${JSON.stringify(spec)}`);
}

/** A short description of a case for reports (huge texts cut). */
export function describeSpec(spec: HostileModelSpec): string {
  return JSON.stringify(spec, (_key, value: unknown) => (typeof value === 'string' && value.length > 120 ? `${value.slice(0, 100)}…(${value.length} chars)` : value));
}
