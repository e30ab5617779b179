import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import type { RunOptions } from './api.mts';
import { batchCommand } from './batch.mts';
import { createClient } from './client.mts';
import { loadCredentials, normalizeServer, saveCredentials } from './config.mts';
import { CliError, EXIT, EXIT_HELP } from './exit-codes.mts';
import { createProgress } from './progress.mts';
import { downloadRun, runCommand, statusOf } from './run.mts';

type Common = { json?: boolean; server?: string; token?: string };
type RunFlags = Common & {
  instruction: string;
  negative?: string;
  target: string[];
  count: number;
  seed?: number;
  size?: string;
  format?: 'png' | 'jpeg';
  out: string;
};

const int = (min: number, max: number) => (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw new InvalidArgumentError(`expected a whole number from ${min} to ${max}`);
  return n;
};

function withRunOptions(cmd: Command): Command {
  return cmd
    .requiredOption('-i, --instruction <text>', 'what to do to the image(s)')
    .requiredOption('-t, --target <id>', 'catalog target id (repeat for several)', (v: string, all: string[] = []) => [...all, v])
    .option('-n, --count <n>', 'variations per target', int(1, 8), 1)
    .option('--negative <text>', 'negative prompt')
    .option('--seed <n>', 'seed (random when left out)', int(0, 2_147_483_647))
    .option('--size <size>', '"auto" or WIDTHxHEIGHT')
    .addOption(new Option('--format <format>', 'output format').choices(['png', 'jpeg']));
}

function runOptions(f: RunFlags): RunOptions {
  return {
    instruction: f.instruction,
    negativePrompt: f.negative,
    targets: f.target,
    count: f.count,
    seed: f.seed,
    size: f.size,
    format: f.format,
  };
}

function print(json: boolean | undefined, value: unknown, human: string) {
  process.stdout.write(json ? `${JSON.stringify(value, null, 2)}\n` : `${human}\n`);
}

async function client(f: Common) {
  return createClient(await loadCredentials({ server: f.server, token: f.token }));
}

export function buildProgram(result: { code: number } = { code: 0 }): Command {
  const program = new Command('proofsheet')
    .description('Proofsheet from the command line: runs and resumable batches over /api/v1.')
    .option('--server <url>', 'server URL (default: PROOFSHEET_SERVER or the saved login)')
    .option('--token <token>', 'API token (default: PROOFSHEET_TOKEN or the saved login)')
    .option('--json', 'print JSON on stdout and no progress bars')
    .addHelpText('after', `\n${EXIT_HELP}`)
    .exitOverride()
    .showHelpAfterError();

  program
    .command('login')
    .description(
      'check --server URL and --token TOKEN (from Settings → API tokens) and save them (~/.config/proofsheet/config.json, mode 0600)',
    )
    .action(async (_o, cmd: Command) => {
      // --server and --token are the program's own options, so they are read from the globals.
      const f = cmd.optsWithGlobals<Common>();
      if (!f.server || !f.token) throw new CliError('login needs --server URL and --token TOKEN.', EXIT.usage);
      const creds = { server: normalizeServer(f.server), token: f.token };
      await createClient(creds).json('GET', '/api/v1/sessions?limit=1');
      const file = await saveCredentials(creds);
      print(f.json, { server: creds.server, config: file }, `Logged in to ${creds.server} (saved in ${file}).`);
    });

  withRunOptions(program.command('run').argument('<images...>', 'reference image(s), "Image 1" first'))
    .description('one run over the given images; waits and downloads <run>-<target>-<seed>.png')
    .option('-o, --out <dir>', 'where outputs go', '.')
    .action(async (images: string[], _o, cmd: Command) => {
      const f = cmd.optsWithGlobals<RunFlags>();
      const r = await runCommand(await client(f), images, runOptions(f), f.out, createProgress(!f.json));
      print(f.json, r, [...r.files.map((x) => x.file), `run ${r.run.id}: ${r.files.length} written, ${r.failed} failed`].join('\n'));
      result.code = r.failed > 0 ? EXIT.someFailed : EXIT.ok;
    });

  withRunOptions(program.command('batch').argument('<dir>', 'folder of images (png, jpg, webp)'))
    .description('one run per image in DIR; re-run the same command to resume; writes manifest.json and manifest.csv')
    .requiredOption('-o, --out <dir>', 'where outputs, manifests and the resume state go')
    .action(async (dir: string, _o, cmd: Command) => {
      const f = cmd.optsWithGlobals<RunFlags>();
      const r = await batchCommand(await client(f), dir, runOptions(f), f.out, createProgress(!f.json));
      print(f.json, r, `${r.inputs} images → ${r.outputs} outputs, ${r.failed} failed; manifest in ${r.out}`);
      result.code = r.failed > 0 ? EXIT.someFailed : EXIT.ok;
    });

  program
    .command('status')
    .argument('[id]', 'a run or batch id; left out: recent sessions')
    .description('show a run, a batch, or recent sessions')
    .action(async (id: string | undefined, _o, cmd: Command) => {
      const f = cmd.optsWithGlobals<Common>();
      const c = await client(f);
      if (!id) {
        const page = await c.json<{ sessions: { id: string; title: string; runCount: number }[] }>('GET', '/api/v1/sessions?limit=20');
        print(f.json, page, page.sessions.map((s) => `${s.id}  ${s.runCount} runs  ${s.title}`).join('\n') || 'No sessions.');
        return;
      }
      const s = await statusOf(c, id);
      const v = s.value as {
        variations?: { status: string; targetId: string; seed: number }[];
        status?: string;
        progress?: Record<string, number>;
      };
      const human =
        s.kind === 'run'
          ? (v.variations ?? []).map((x) => `${x.targetId}  seed ${x.seed}  ${x.status}`).join('\n')
          : `batch ${id}: ${v.status} ${JSON.stringify(v.progress ?? {})}`;
      print(f.json, s, human);
      result.code = EXIT.ok;
    });

  program
    .command('download')
    .argument('<runId>', 'a run id')
    .requiredOption('-o, --out <dir>', 'where outputs go')
    .description('download every finished output of a run (files already there are kept)')
    .action(async (runId: string, _o, cmd: Command) => {
      const f = cmd.optsWithGlobals<Common & { out: string }>();
      const c = await client(f);
      const run = await c.json<import('./api.mts').ApiRun>('GET', `/api/v1/runs/${encodeURIComponent(runId)}`);
      const files = await downloadRun(c, run, f.out, createProgress(!f.json));
      print(f.json, { run: run.id, finished: run.finished, files }, files.map((x) => x.file).join('\n') || 'Nothing to download yet.');
      result.code = run.variations.some((x) => x.status === 'failed' || x.status === 'cancelled') ? EXIT.someFailed : EXIT.ok;
    });

  return program;
}

/** Parses argv, runs the command, and turns every failure into a message and an exit code. */
export async function main(argv: string[]): Promise<number> {
  const result = { code: EXIT.ok as number };
  const program = buildProgram(result);
  for (const cmd of program.commands) cmd.exitOverride();
  try {
    await program.parseAsync(argv);
    return result.code;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? EXIT.ok : EXIT.usage;
    if (e instanceof CliError) {
      process.stderr.write(`proofsheet: ${e.message}\n`);
      return e.exitCode;
    }
    process.stderr.write(`proofsheet: ${(e as Error).stack ?? e}\n`);
    return EXIT.server;
  }
}
