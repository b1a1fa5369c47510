/**
 * DutyLedger command line: `tsx src/main.ts <command>` (`npm start`, `npx dutyledger …`).
 * Commands are thin: they parse arguments and call the domain functions (seed/demo.ts, db/backup.ts …).
 */
import { parseArgs } from 'node:util';
import { createAdminCommand } from './cli/admin.js';
import { CliError, USAGE } from './cli/common.js';
import { backupCommand, migrateCommand, restoreCommand, seedDemoCommand, verifyAuditCommand } from './cli/data.js';
import { startCommand } from './cli/start.js';
import { loadConfig } from './config.js';

type Options = Record<string, { type: 'string' | 'boolean'; short?: string }>;

function parse<O extends Options>(args: string[], options: O, positionals: number) {
  const parsed = parseArgs({ args, options, allowPositionals: positionals > 0, strict: true });
  if (args.includes('--help') || args.includes('-h')) {
    console.log(USAGE);
    process.exit(0);
  }
  if (parsed.positionals.length !== positionals) throw new CliError(`expected ${positionals} argument(s)\n\n${USAGE}`, 2);
  return parsed;
}

async function run(argv: string[]): Promise<boolean> {
  const [command, ...args] = argv;
  switch (command) {
    case 'start': {
      const { values } = parse(args, { port: { type: 'string', short: 'p' } }, 0);
      let port: number | undefined;
      if (values.port !== undefined) {
        port = Number(values.port);
        if (!Number.isInteger(port) || port <= 0 || port > 65535) throw new CliError('--port must be a port number', 2);
      }
      await startCommand(loadConfig(port ? { port } : {}));
      return false; // keeps running
    }
    case 'migrate':
      parse(args, {}, 0);
      await migrateCommand(loadConfig());
      return true;
    case 'seed-demo':
      parse(args, {}, 0);
      await seedDemoCommand(loadConfig());
      return true;
    case 'create-admin': {
      const { values } = parse(
        args,
        { username: { type: 'string' }, name: { type: 'string' }, 'unit-name': { type: 'string' }, role: { type: 'string' } },
        0,
      );
      if (typeof values.username !== 'string' || typeof values.name !== 'string')
        throw new CliError(`create-admin needs --username and --name\n\n${USAGE}`, 2);
      await createAdminCommand(loadConfig(), {
        username: values.username,
        name: values.name,
        unitName: values['unit-name'],
        role: values.role,
      });
      return true;
    }
    case 'backup':
      await backupCommand(loadConfig(), parse(args, {}, 1).positionals[0]!);
      return true;
    case 'restore':
      await restoreCommand(loadConfig(), parse(args, {}, 1).positionals[0]!);
      return true;
    case 'verify-audit':
      parse(args, {}, 0);
      await verifyAuditCommand(loadConfig());
      return true;
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      console.log(USAGE);
      if (command === undefined) process.exitCode = 2;
      return true;
    default:
      throw new CliError(`unknown command: ${command}\n\n${USAGE}`, 2);
  }
}

run(process.argv.slice(2)).then(
  (done) => {
    if (done) process.exit(process.exitCode ?? 0);
  },
  (err: unknown) => {
    if (err instanceof CliError) {
      console.error(err.message);
      process.exit(err.code);
    }
    const code = (err as { code?: string }).code;
    if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS')) {
      console.error(`${(err as Error).message}\n\n${USAGE}`);
      process.exit(2);
    }
    console.error(err);
    process.exit(1);
  },
);
