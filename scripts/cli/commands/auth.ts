/**
 * `login`, `logout`, `whoami`. Login uses the ordinary `POST /api/auth/login`, whose answer
 * carries the session token for API clients (server/routes/auth.ts); the CLI sends it back as
 * `Authorization: Bearer`, the way the server expects scripts to (no cookie, no CSRF header).
 */
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import type { Command } from 'commander';
import { createClient } from '../client.ts';
import { runOf } from '../command.ts';
import { credentialsPath, forgetLogin, storeLogin, storedLogin, tokenFor } from '../credentials.ts';
import { emit, usageError, type Io } from '../io.ts';

/**
 * Asks each question on the terminal, a line each; `hidden` echoes nothing (a password). One
 * readline for all, read as an async iterator, so lines typed (or pasted) ahead are kept.
 */
async function ask(io: Io, questions: { text: string; hidden?: boolean }[]): Promise<string[]> {
  // Muted by line, not by time: a password typed or pasted ahead of its prompt is not echoed either.
  let completed = 0;
  const output = new Writable({
    write(chunk, _encoding, done) {
      if (!questions[completed]?.hidden) io.err(String(chunk));
      done();
    },
  });
  const rl = createInterface({ input: io.stdin, output, terminal: Boolean(io.stdin.isTTY) });
  rl.on('line', () => (completed += 1));
  const lines = rl[Symbol.asyncIterator]();
  // Ctrl-C at a prompt: readline in raw mode would only pause, leaving the prompt hanging.
  const interrupted = new Promise<never>((_resolve, reject) => rl.on('SIGINT', () => reject(usageError('Login cancelled'))));
  interrupted.catch(() => undefined);
  const answers: string[] = [];
  try {
    for (const question of questions) {
      io.err(question.text);
      const line = await Promise.race([lines.next(), interrupted]);
      if (question.hidden) io.err('\n');
      answers.push(line.done ? '' : String(line.value));
    }
  } finally {
    rl.close();
  }
  return answers;
}

/** The first line of stdin (`--password-stdin`, as docker login does: no password in `ps`). */
async function firstLine(io: Io): Promise<string> {
  let text = '';
  for await (const chunk of io.stdin) {
    text += String(chunk);
    if (text.includes('\n')) break;
  }
  return text.split(/\r?\n/)[0] ?? '';
}

export function registerAuth(program: Command, io: Io): void {
  program
    .command('login')
    .description('log in and store a session token (7 days) for this server in your config folder')
    .option('-u, --username <name>', 'user name (asked when missing)')
    .option('-p, --password <password>', 'password (asked when missing; visible to other local users in `ps`, prefer the prompt or --password-stdin)')
    .option('--password-stdin', 'read the password from the first line of stdin')
    .action(async (options: { username?: string; password?: string; passwordStdin?: boolean }, command: Command) => {
      const run = runOf(io, command);
      const interactive = Boolean(io.stdin.isTTY);
      if ((!options.username || (!options.password && !options.passwordStdin)) && !interactive) {
        throw usageError('No terminal to ask on: give --username and --password (or --password-stdin)');
      }
      const questions = [
        ...(options.username ? [] : [{ text: 'Username: ' }]),
        ...(options.password || options.passwordStdin ? [] : [{ text: 'Password: ', hidden: true }]),
      ];
      const answers = questions.length ? await ask(io, questions) : [];
      const username = options.username ?? answers.shift()!.trim();
      const password = options.password ?? (options.passwordStdin ? await firstLine(io) : answers.shift()!);
      if (!username || !password) throw usageError('Both a username and a password are needed');
      const client = createClient(io, run.server, { needsToken: false });
      const answer = await client.json<{ token: string; user: { username: string; displayName?: string; role: string } }>('POST', '/api/auth/login', { username, password });
      const file = storeLogin(io.env, run.server, { token: answer.token, username: answer.user.username });
      emit(io, run.json, { server: run.server, user: answer.user, credentials: file }, () =>
        `Logged in to ${run.server} as ${answer.user.username} (${answer.user.role}). Token stored in ${file}` +
          (io.env.LIUZHUAN_TOKEN ? '\nNote: LIUZHUAN_TOKEN is set and is used instead of this login until you unset it.' : ''),
      );
    });

  program
    .command('logout')
    .description('end the session on the server and forget the stored token')
    .action(async (_options: unknown, command: Command) => {
      const run = runOf(io, command);
      const stored = storedLogin(io.env, run.server);
      const current = tokenFor(io.env, run.server);
      if (current) {
        // The token in use ends on the server too; an already dead one is fine to forget.
        await createClient(io, run.server, { token: current.token })
          .raw('POST', '/api/auth/logout')
          .catch((error: { exitCode?: number }) => {
            if (error.exitCode !== 4) throw error;
          });
      }
      const forgotten = forgetLogin(io.env, run.server);
      emit(io, run.json, { server: run.server, loggedOut: Boolean(current), forgotten }, () =>
        current
          ? `Logged out of ${run.server}${stored ? ` (${stored.username})` : ''}${forgotten ? `; removed from ${credentialsPath(io.env)}` : ''}.` +
            (current.source === 'LIUZHUAN_TOKEN' ? '\nThe session of LIUZHUAN_TOKEN has ended: unset the variable.' : '')
          : `Not logged in to ${run.server}.`,
      );
    });

  program
    .command('whoami')
    .description('the user the token belongs to')
    .action(async (_options: unknown, command: Command) => {
      const run = runOf(io, command);
      const me = await run.client().json<{ username: string; role: string; displayName?: string }>('GET', '/api/auth/me');
      emit(io, run.json, me, () => `${me.username}${me.displayName ? ` (${me.displayName})` : ''}, ${me.role}, on ${run.server}`);
    });
}
