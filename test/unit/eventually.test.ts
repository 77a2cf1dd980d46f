/** The tests' one polling helper: what counts as "not yet", and what a timeout reports. */
import { describe, expect, it } from 'vitest';
import { eventually, GiveUp } from '../helpers/eventually.ts';

/** A check that answers `answers` in turn (a thrown Error is thrown), then repeats the last. */
function scripted<T>(answers: Array<T | Error>) {
  let calls = 0;
  const check = () => {
    const answer = answers[Math.min(calls, answers.length - 1)];
    calls += 1;
    if (answer instanceof Error) throw answer;
    return answer as T;
  };
  return { check, calls: () => calls };
}

describe('eventually', () => {
  it('checks again while the check returns undefined, null or false, and returns the first other value', async () => {
    const { check, calls } = scripted([undefined, null, false, { found: 1 }]);
    expect(await eventually(check, { message: 'the thing', intervalMs: 1 })).toEqual({ found: 1 });
    expect(calls()).toBe(4);
  });

  it('takes 0 and the empty string as answers', async () => {
    expect(await eventually(() => 0, { message: 'zero' })).toBe(0);
    expect(await eventually(async () => '', { message: 'empty' })).toBe('');
  });

  it('checks again while the check throws', async () => {
    const { check, calls } = scripted<string | Error>([new Error('not yet'), new Error('still not'), 'there']);
    expect(await eventually(check, { message: 'the thing', intervalMs: 1 })).toBe('there');
    expect(calls()).toBe(3);
  });

  it('on timeout rethrows the last assertion error, after the message', async () => {
    const failing = eventually(
      () => {
        expect(1 + 1).toBe(3);
        return true;
      },
      { message: 'arithmetic', timeoutMs: 30, intervalMs: 5 },
    );
    await expect(failing).rejects.toThrow(/timed out after 30 ms waiting for arithmetic; last check failed: expected 2 to be 3/);
  });

  it('on timeout reports the last value the check returned', async () => {
    const { check } = scripted([undefined, false]);
    await expect(eventually(check, { message: 'a flag', timeoutMs: 30, intervalMs: 5 })).rejects.toThrow(
      'timed out after 30 ms waiting for a flag; last check returned false',
    );
  });

  it('stops at once when the check gives up', async () => {
    const { check, calls } = scripted([new GiveUp('the process died')]);
    await expect(eventually(check, { message: 'a process', timeoutMs: 5_000 })).rejects.toThrow('the process died');
    expect(calls()).toBe(1);
  });
});
