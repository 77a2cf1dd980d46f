/**
 * FEEL syntax check in the browser with the server's own checker (engine/expressions/feel.ts;
 * feelin runs in both), so a rule that passes here passes at save. A `${…}` text is JUEL,
 * which only the server checks.
 */
import { checkFeel } from '../../../engine/expressions/feel.ts';

/** A message when `text` is not valid FEEL (a leading `=` allowed), else null. */
export function feelProblem(text: string): string | null {
  if (/[$#]\{/.test(text)) return null;
  return checkFeel(text);
}
