/**
 * `npm run pairdesk -- <command> [options]`: the headless face of PairDesk. Every command
 * reuses the same main-process services as the Electron app.
 */
import { CliFailure, commandHelp, parseCommandArgs, UsageError, type CliCommand } from './command';
import { commands } from './commands';
import { closest } from './suggest';

function mainHelp(): string {
  const width = Math.max(...commands.map((c) => c.name.length)) + 2;
  return [
    'Usage: npm run pairdesk -- <command> [options]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}${c.summary}`),
    '',
    'Run `npm run pairdesk -- <command> --help` for a command’s options.',
  ].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    console.log(mainHelp());
    return name === undefined ? 2 : 0;
  }
  const command: CliCommand | undefined = commands.find((c) => c.name === name);
  if (!command) {
    const names = commands.map((c) => c.name);
    const guess = closest(name, names);
    console.error(
      `pairdesk: unknown command ${name} (${guess !== undefined ? `did you mean ${guess}?` : `commands: ${names.join(', ')}`})`,
    );
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    console.log(commandHelp(command));
    return 0;
  }
  try {
    return await command.run(parseCommandArgs(command, rest));
  } catch (error) {
    // One line each, never a stack trace: usage errors exit 2, everything else 1.
    // PAIRDESK_DEBUG=1 adds the stack of an unexpected error, for bug reports.
    if (error instanceof UsageError) {
      console.error(`pairdesk ${command.name}: ${error.message}`);
      return 2;
    }
    if (error instanceof CliFailure) {
      console.error(`pairdesk ${command.name}: ${error.message}`);
      return 1;
    }
    const e = error as NodeJS.ErrnoException;
    const text =
      e instanceof Error
        ? `${e.code !== undefined ? `${e.code}: ` : ''}${e.message}`
        : String(error);
    console.error(`pairdesk ${command.name}: ${text.split('\n')[0]}`);
    if (process.env.PAIRDESK_DEBUG === '1' && e instanceof Error) console.error(e.stack);
    return 1;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(`pairdesk: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  },
);
