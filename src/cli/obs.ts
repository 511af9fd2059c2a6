#!/usr/bin/env node
// The `obs` command: `obs tail` (a development OTLP receiver that prints what arrives) and
// `obs doctor` (why telemetry does or does not leave a service). Subcommands load lazily.
import { OBS_VERSION } from '../host/obs-version.js';
import { UsageError } from './util/usage-error.js';

const HELP = `Usage: obs <command> [options]

Commands:
  tail      receive OTLP (gRPC :4317, HTTP :4318) and print traces, metrics, logs
  doctor    check that telemetry will work for the service in this folder

Options:
  -v, --version   print the version
  -h, --help      this help ("obs <command> --help" for a command's options)

Start here:  npx obs doctor -- node server.js
`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'tail': {
      const { tailCommand } = await import('./tail/command.js');
      return tailCommand(rest);
    }
    case 'doctor': {
      const { doctorCommand } = await import('./doctor/command.js');
      return doctorCommand(rest);
    }
    case '-v':
    case '--version':
      process.stdout.write(`${OBS_VERSION}\n`);
      return 0;
    case undefined:
    case '-h':
    case '--help':
    case 'help':
      process.stdout.write(HELP);
      return command === undefined ? 2 : 0;
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    const usage = err instanceof UsageError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
    process.stderr.write(`obs: ${(err as Error).message}${usage ? '\n(see obs --help)' : ''}\n`);
    process.exitCode = usage ? 2 : 1;
  },
);
