/**
 * Import progress on stderr: on a terminal one bar redrawn in place (rows, %, rows/s, ETA);
 * otherwise (a log, CI) a plain line at most once a second and whenever the status changes,
 * so a log stays short and readable.
 */
import type { Io } from './io.ts';

export interface ProgressState {
  status: string;
  totalRows: number;
  rowsDone: number;
  refused: number;
  rowsPerSecond: number | null;
  etaSeconds: number | null;
}

const number = (n: number) => n.toLocaleString('en-US');

function duration(seconds: number): string {
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  return minutes < 60 ? `${minutes} min ${seconds % 60} s` : `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

export function progressText(state: ProgressState): string {
  const percent = state.totalRows > 0 ? Math.floor((state.rowsDone / state.totalRows) * 100) : 0;
  return [
    `${number(state.rowsDone)}/${number(state.totalRows)} rows (${percent}%)`,
    state.rowsPerSecond !== null ? `${number(state.rowsPerSecond)} rows/s` : '',
    state.refused > 0 ? `${number(state.refused)} refused` : '',
    state.etaSeconds !== null && state.status === 'running' ? `ETA ${duration(state.etaSeconds)}` : '',
    state.status !== 'running' ? state.status : '',
  ]
    .filter(Boolean)
    .join(' · ');
}

export function createProgress(io: Io) {
  let lastLine = 0;
  let lastStatus = '';
  let lastRows = -1;
  let drawn = false;
  return {
    update(state: ProgressState): void {
      if (io.stderrIsTTY) {
        const text = progressText(state);
        const room = Math.max(10, io.columns - text.length - 4);
        const barWidth = Math.min(40, room);
        const filled = state.totalRows > 0 ? Math.round((state.rowsDone / state.totalRows) * barWidth) : 0;
        io.err(`\r\x1b[K[${'█'.repeat(filled)}${'░'.repeat(barWidth - filled)}] ${text}`);
        drawn = true;
        return;
      }
      const now = Date.now();
      if (state.status === lastStatus && (now - lastLine < 1000 || state.rowsDone === lastRows)) return;
      lastLine = now;
      lastStatus = state.status;
      lastRows = state.rowsDone;
      io.err(`import: ${progressText(state)}\n`);
    },
    /** Ends the bar's line (the final state is printed by the caller). */
    done(state: ProgressState): void {
      if (io.stderrIsTTY) {
        if (drawn) io.err(`\r\x1b[K${progressText(state)}\n`);
      } else if (state.status !== lastStatus) io.err(`import: ${progressText(state)}\n`);
    },
  };
}
