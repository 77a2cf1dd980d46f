/**
 * Expressions: one entry point for the languages a model may use (see ExpressionSource).
 * FEEL goes through feelin; JUEL `${…}` through our own safe parser. Nothing here ever
 * calls eval or new Function.
 *
 * CONTRACT (implemented by engine/expressions/*.ts):
 *  - classifyExpression(text, defaultLanguage) -> ExpressionSource
 *      `${`/`#{` anywhere -> juel; leading `=` -> feel (the `=` stripped); otherwise defaultLanguage.
 *  - checkExpression(src) -> string | null      (a human message when it does not parse)
 *  - evaluateExpression(src, variables) -> unknown   (throws ExpressionError on evaluation failure)
 *  - evaluateCondition(src, variables) -> boolean    (true only for boolean true)
 */
export {};
