/** What the page and the backtest worker (backtest-worker.ts) say to each other. */
import type { SimulationComparison, SimulationReport } from '@purna/rules';

/** Page → worker: replay `orders` through the program (and the published one, when given). */
export interface BacktestRequest {
  /** The program in the editor, as text (the worker checks it again: it shares no memory with the page). */
  readonly program: string;
  /** The published program as text, the baseline of the comparison. */
  readonly baseline: string | undefined;
  readonly orders: Blob;
  /** The file's name, in messages. */
  readonly fileName: string;
}

/** Worker → page. */
export type BacktestMessage =
  | { readonly type: 'progress'; readonly done: number; readonly total: number; readonly records: number }
  | {
      readonly type: 'done';
      readonly records: number;
      readonly report: SimulationReport;
      readonly baseline: SimulationReport | undefined;
      readonly difference: Omit<SimulationComparison, 'candidate' | 'baseline'> | undefined;
    }
  | { readonly type: 'failed'; readonly message: string };
