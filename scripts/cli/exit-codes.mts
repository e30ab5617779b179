/** What the CLI's exit status means; listed in --help and the README. */
export const EXIT = {
  ok: 0,
  someFailed: 1,
  usage: 2,
  auth: 3,
  unreachable: 4,
  notFound: 5,
  server: 6,
} as const;

export const EXIT_HELP = `Exit codes:
  0  everything finished and was downloaded
  1  some items or variations failed (the rest were written)
  2  usage: bad arguments or input the server refused (400/409/422)
  3  authentication: no token, or the token was refused (401/403)
  4  server unreachable
  5  not found (run, batch or file)
  6  server error (5xx after retries)`;

/** An error that carries the exit status it should end the process with. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}
