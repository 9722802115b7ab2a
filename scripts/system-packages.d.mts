// Types for scripts/system-packages.mjs.

export interface SystemPackage {
  /** Debian package name. */
  name: string;
  /** An executable whose presence on PATH also counts as installed. */
  command?: string;
}
export const NEEDS: Readonly<Record<'code-server' | 'chromium', { why: string; packages: readonly SystemPackage[] }>>;
export type Need = keyof typeof NEEDS;

export class SystemPackagesError extends Error {}

export interface Command {
  command: string;
  args: string[];
}
export interface Probes {
  hasDpkg(): boolean;
  dpkgInstalled(name: string): boolean;
  onPath(command: string): boolean;
  isRoot(): boolean;
  hasAptGet(): boolean;
  sudoWithoutPassword(): boolean;
}
export const systemProbes: Probes;

export function manualCommand(packages: readonly string[], opts: { isRoot: boolean }): string;
export function missingPackages(needs: readonly Need[], probes: Pick<Probes, 'dpkgInstalled' | 'onPath'>): { name: string; need: Need }[];
/** Installs what `needs` lack (one line says what and why), or throws SystemPackagesError with the command to run. */
export function ensureSystemPackages(
  needs: readonly Need[],
  opts?: {
    probes?: Probes;
    run?: (step: Command) => Promise<{ code: number; output: string }>;
    log?: (line: string) => void;
    env?: NodeJS.ProcessEnv;
  },
): Promise<void>;
