/**
 * `liuzhuan …`: the command line of a running Liuzhuan server, over its REST API only
 * (docs/cli.md). main() builds a fresh commander program per call and returns the exit code
 * instead of exiting, so tests run it in-process; scripts/liuzhuan.mjs is the bin.
 */
import { readFileSync } from 'node:fs';
import { Command, CommanderError, Option } from 'commander';
import { registerApps } from './commands/apps.ts';
import { registerAuth } from './commands/auth.ts';
import { registerOperator } from './commands/operator.ts';
import { registerProcesses } from './commands/processes.ts';
import { registerRecords } from './commands/records.ts';
import { registerTasks } from './commands/tasks.ts';
import { DEFAULT_SERVER } from './credentials.ts';
import { CliError, EXIT, type Io } from './io.ts';

const EXIT_CODES = `
Exit codes:
  0  done
  1  usage error (unknown command or option, bad --var, missing file)
  2  the server refused the request (4xx other than 401): its message and details are printed;
     also an import whose rows were refused, and a restore refused before changing anything
  3  cannot reach the server
  4  authentication needed: not logged in, or the token expired or was revoked
  5  failed otherwise (a server error, a cancelled import, backup or restore failing)

Environment:
  LIUZHUAN_URL    the server (default ${DEFAULT_SERVER}); --server wins
  LIUZHUAN_TOKEN  a session token (from POST /api/auth/login); wins over \`liuzhuan login\`
  DATABASE_URL    for backup and restore only, which run locally (see their --help)`;

/** The project's version (the CLI ships with the server it drives). */
const VERSION = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

function buildProgram(io: Io): Command {
  const program = new Command('liuzhuan')
    .description('Liuzhuan (流转) from the terminal: deploy processes, start instances, work tasks, import and export records')
    .addOption(new Option('--server <url>', `the Liuzhuan server (env LIUZHUAN_URL, default ${DEFAULT_SERVER})`))
    .option('--json', 'print the result as JSON on stdout (errors too), for scripts')
    .version(VERSION, '-V, --version', 'the version of this CLI')
    .configureHelp({ showGlobalOptions: true })
    .configureOutput({ writeOut: (text) => io.out(text), writeErr: (text) => io.err(text) })
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .addHelpText('after', EXIT_CODES);
  registerAuth(program, io);
  registerProcesses(program, io);
  registerTasks(program, io);
  registerRecords(program, io);
  registerOperator(program, io);
  registerApps(program, io);
  return program;
}

function wantsJson(argv: string[]): boolean {
  return argv.includes('--json');
}

/** Runs one command line; resolves to the process exit code. */
export async function main(io: Io): Promise<number> {
  const program = buildProgram(io);
  try {
    await program.parseAsync(io.argv, { from: 'user' });
    return EXIT.ok;
  } catch (error) {
    // Help and version end parsing with code 0; every other commander error is a usage error.
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    const failure = error instanceof CliError ? error : new CliError((error as Error)?.message ?? String(error), EXIT.failed);
    const { status, code, details, result } = failure.extra;
    io.err(`liuzhuan: ${status ? `${status}${code ? ` ${code}` : ''}: ` : ''}${failure.message}\n`);
    for (const detail of details ?? []) io.err(`  ${detail.pointer ? `${detail.pointer}: ` : ''}${detail.message}\n`);
    if (wantsJson(io.argv)) {
      // `result`: what the command had got (an import's final state), apart from the error itself.
      const body = { error: { message: failure.message, exitCode: failure.exitCode, status, code, details }, ...(result ? { result } : {}) };
      io.out(`${JSON.stringify(body, null, 2)}\n`);
    }
    if (!(error instanceof CliError) && io.env.LIUZHUAN_DEBUG) io.err(`${(error as Error)?.stack ?? ''}\n`);
    return failure.exitCode;
  }
}
