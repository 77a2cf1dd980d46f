/**
 * Progress of a demo run on stderr: one line per phase and, for long phases, one per tenth
 * done — enough to see a 200-customer run move without flooding a log.
 */
export interface Progress {
  /** A phase of `total` steps begins. */
  phase(name: string, total: number): void;
  /** One step of the current phase is done. */
  step(): void;
}

export function stderrProgress(write: (line: string) => void = (line) => process.stderr.write(`${line}\n`)): Progress {
  let name = '';
  let total = 0;
  let done = 0;
  let lastTenth = 0;
  return {
    phase(next, steps) {
      name = next;
      total = steps;
      done = 0;
      lastTenth = 0;
      write(`demo: ${name} (${steps})`);
    },
    step() {
      done += 1;
      const tenth = total >= 50 ? Math.floor((done * 10) / total) : 0;
      if (tenth > lastTenth) {
        lastTenth = tenth;
        write(`demo: ${name} ${tenth * 10}% (${done}/${total})`);
      }
    },
  };
}

export const silentProgress: Progress = { phase() {}, step() {} };
