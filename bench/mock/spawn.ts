import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { createInterface } from 'node:readline';

export interface BenchMock {
  /** Base URL for `MessagesClient` (ends in `/v1`). */
  url: string;
  /** Scheme, host and port, for clients that append `/v1` themselves (the SDK). */
  origin: string;
  close(): Promise<void>;
}

/** Starts the mock provider process (bench/mock/server.ts) and waits for its address. */
export async function startBenchMock(smoke: boolean): Promise<BenchMock> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'server.ts'), ...(smoke ? ['--smoke'] : [])], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const firstLine = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    lines.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`the bench mock exited (${code}) before it listened`)));
  });
  const { url, origin } = JSON.parse(firstLine) as { url: string; origin: string };
  return {
    url,
    origin,
    close: async () => {
      child.stdin.end();
      await exited;
    },
  };
}
