/**
 * The `oidc-harness` command line: one module per command in `bin/commands/`, arguments parsed
 * with `node:util` `parseArgs`, a help text per command, `--version`.
 *
 * @module
 */
import { certifyCommand } from './commands/certify.js';
import { certifyRpCommand } from './commands/certify-rp.js';
import { liveCommand } from './commands/live.js';
import { reportCommand } from './commands/report.js';
import { serveOpCommand } from './commands/serve-op.js';
import { EXIT, UsageError, version, type Command } from './command.js';

const COMMANDS: readonly Command[] = [certifyCommand, certifyRpCommand, liveCommand, serveOpCommand, reportCommand];

/** The overview of every command. */
function overview(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return `oidc-harness ${version()}: check an OpenID Connect Relying Party against the specifications

Usage: oidc-harness <command> [options]

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n')}

  oidc-harness <command> --help   the options of a command
  oidc-harness --version          the version

Exit codes: 0 all passed, 1 a test failed, 2 a usage or configuration error.`;
}

/**
 * Parses `argv` (the arguments after the program's name) and runs the command.
 * @returns the process exit code.
 */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) {
    console.error(overview());
    return EXIT.usage;
  }
  if (name === '--help' || name === '-h' || name === 'help') {
    const command = COMMANDS.find((c) => c.name === rest[0]);
    console.log(command ? command.help : overview());
    return EXIT.passed;
  }
  if (name === '--version' || name === '-V') {
    console.log(version());
    return EXIT.passed;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    console.error(`unknown command "${name}"\n\n${overview()}`);
    return EXIT.usage;
  }
  try {
    return await command.run(rest);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`oidc-harness ${command.name}: ${error.message}\n\n${command.help}`);
    return EXIT.usage;
  }
}
