import { expect } from 'chai';
import type { CliIo } from '../../src/cli/cli-io.js';
import { ProgressBar, formatDuration } from '../../src/cli/progress-bar.js';

function fakeIo(tty: boolean): { io: CliIo; stderr: string[]; tick: (ms: number) => void } {
  let clock = 0;
  const stderr: string[] = [];
  const io: CliIo = {
    stdout: { write: () => true },
    stderr: { write: (text: string) => stderr.push(text) },
    stderrIsTty: tty,
    columns: 100,
    cwd: '/',
    env: {},
    now: () => clock,
  };
  return { io, stderr, tick: (ms) => (clock += ms) };
}

describe('cli: progress bar', () => {
  it('formats durations for people', () => {
    expect(formatDuration(0)).to.equal('0s');
    expect(formatDuration(59.4)).to.equal('59s');
    expect(formatDuration(93)).to.equal('1m 33s');
    expect(formatDuration(4000)).to.equal('1h 6m');
  });

  it('shows the share done and an ETA from the pace so far', () => {
    const { io, stderr, tick } = fakeIo(true);
    const bar = new ProgressBar(io, 'simulate', { tty: true });
    tick(10_000);
    // A quarter done in 10 s: the remaining three quarters take 30 s at the same pace.
    bar.update(25, 100, '2,500 orders');
    expect(stderr).to.have.length(1);
    const line = stderr[0] ?? '';
    expect(line.startsWith('\r\u001b[2Ksimulate [')).to.equal(true);
    expect(line.endsWith(']  25% 2,500 orders  10s elapsed, ETA 30s')).to.equal(true);
    tick(50);
    bar.update(26, 100, 'x');
    expect(stderr, 'redraws at most every 100 ms').to.have.length(1);
    tick(60);
    bar.finish('10,000 orders');
    expect(stderr.at(-1)).to.equal('\r\x1b[2Ksimulate done: 10,000 orders in 10s\n');
  });

  it('prints whole lines, not redraws, when stderr is not a terminal', () => {
    const { io, stderr, tick } = fakeIo(false);
    const bar = new ProgressBar(io, 'simulate', { tty: false });
    tick(1000);
    bar.update(50, 100, '5 orders');
    expect(stderr[0]).to.equal('simulate  50% 5 orders  1s elapsed, ETA 1s\n');
  });
});
