export function isLoopbackHost(host: string): boolean;
export function bindProblems(host: string, env: Record<string, string | undefined>): string[];
export function splitHostArg(args: string[]): { host: string | undefined; rest: string[] };
