/** What `run_command` tells the model about a command, and what its card says in short. */
import type { CommandReport } from './commandWait';

export interface CommandResultText {
  content: string;
  summary: string;
}

/** `way` says how it ran, for the model and the user reading the result. */
export function commandResult(report: CommandReport, way: string): CommandResultText {
  const seconds = `${(report.durationMs / 1000).toFixed(1)} s`;
  // Shell integration's own marks are escape sequences: a silent command leaves only those, or blank lines.
  const output = report.output.trim() === '' ? '(no output)' : report.output.replace(/\n+$/, '');
  const exit = report.exit;
  let head: string;
  let summary: string;
  switch (report.state) {
    case 'exited':
      summary = exit?.signal ? `Ended by ${exit.signal}` : exit?.exitCode === undefined ? 'Exit code unknown' : `Exit code ${exit.exitCode}`;
      head = exit?.exitCode === undefined && !exit?.signal ? `Finished after ${seconds}; the shell did not report its exit code.` : `${summary}, after ${seconds}.`;
      break;
    case 'timedOut':
      summary = 'Still running';
      head = `Still running after ${seconds} (the timeout). It goes on in the terminal; the output below is what it printed so far.`;
      break;
    case 'background':
      summary = 'Running in the background';
      head = `Running in the background (checked after ${seconds}); it goes on in the terminal. Its first output:`;
      break;
    case 'stopped':
      summary = 'Stopped';
      head = `Stopped by the user after ${seconds}: the command and the processes it started were ended.`;
      break;
  }
  return { content: `${head}\nRan ${way}.\nOutput:\n${output}`, summary };
}
