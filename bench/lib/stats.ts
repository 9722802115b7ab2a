/** Medians of interleaved repetitions: the machine is shared and noisy, so no single run is trusted. */

export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

export interface Sample {
  wallMs: number;
  /** CPU time of this process (all its threads), which other processes on the machine do not inflate. */
  cpuMs: number;
}

export async function measure(run: () => Promise<unknown>): Promise<Sample> {
  const cpu = process.cpuUsage();
  const start = performance.now();
  await run();
  const wallMs = performance.now() - start;
  const used = process.cpuUsage(cpu);
  return { wallMs, cpuMs: (used.user + used.system) / 1000 };
}

export interface Repetitions {
  rounds: number;
  /** Rounds run first and thrown away, so the JIT and the connection pool are warm for everyone. */
  warmup: number;
}

/**
 * Runs every variant once per round, in an order that rotates from round to round so none always
 * goes first (or always follows the one that left the most garbage behind).
 */
export async function interleave<K extends string>(variants: Record<K, () => Promise<unknown>>, { rounds, warmup }: Repetitions): Promise<Record<K, Sample[]>> {
  const names = Object.keys(variants) as K[];
  const samples = Object.fromEntries(names.map((name) => [name, [] as Sample[]])) as Record<K, Sample[]>;
  for (let round = 0; round < warmup + rounds; round++) {
    for (let i = 0; i < names.length; i++) {
      const name = names[(round + i) % names.length];
      const sample = await measure(variants[name]);
      if (round >= warmup) samples[name].push(sample);
    }
  }
  return samples;
}

export function medianOf(samples: readonly Sample[], key: keyof Sample): number {
  return median(samples.map((sample) => sample[key]));
}

/**
 * How many times `of` took `to`, as the median of the rounds' ratios: the samples of one round ran
 * back to back, under the same load, which the ratio of two medians taken apart does not see.
 */
export function pairedRatio(of: readonly Sample[], to: readonly Sample[], key: keyof Sample): number {
  return median(of.map((sample, round) => sample[key] / to[round][key]));
}
