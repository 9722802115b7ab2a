import type { BenchMock } from '../mock/spawn';
import type { FigureResult } from './report';

export interface BenchContext {
  /** Tiny inputs and few repetitions: proves the bench runs, measures nothing worth reading. */
  smoke: boolean;
  /** The project's root folder. */
  root: string;
  /** A scratch folder for this run, removed at the end. */
  scratch: string;
  mock: BenchMock;
  log(message: string): void;
}

export interface Figure {
  /** The name `--only` selects it by. */
  name: string;
  run(context: BenchContext): Promise<FigureResult>;
}
