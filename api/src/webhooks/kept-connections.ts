/**
 * The connections the webhook sender keeps between sends (webhook-sender.ts), by target: a connection whose answer
 * was read to its end waits here for the next send to the same target, for as long as `keep` was told (the
 * receiver's own idle timeout less a margin). While it waits, anything it hears (a byte nobody asked for, its end,
 * an error) closes it and takes it out, so a send never gets a connection the receiver has given up.
 *
 * A target's entry goes once no send asked for it for a minute (its connections are gone long before): the map
 * holds only the targets of the last minute, however many endpoints and DNS answers came and went.
 */
import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';

/** How long a target may go unasked before its entry is dropped (ms). */
const IDLE_TARGET_MS = 60_000;

interface Waiting {
  readonly socket: Socket;
  readonly timer: NodeJS.Timeout;
  readonly drop: () => void;
}

interface Target {
  readonly waiting: Waiting[];
  lastUsed: number;
}

const ignore = (): void => undefined;

/**
 * Closes a socket for good, whatever it still emits: an `error` with no listener would end the process.
 *
 * @example
 * closeSocket(socket); // after an answer cut short
 */
export function closeSocket(socket: Socket): void {
  socket.on('error', ignore);
  socket.destroy();
}

/**
 * Kept connections of one connector, by target key.
 *
 * @example
 * const kept = new KeptConnections();
 * const socket = kept.take(key) ?? connector(target);
 * // … after an answer read to its end:
 * kept.keep(key, socket, 4000);
 */
export class KeptConnections {
  private readonly targets = new Map<string, Target>();

  /** A kept connection to the target, taken out (the caller owns it now), or undefined when none waits. */
  take(key: string): Socket | undefined {
    const target = this.target(key);
    for (;;) {
      const waiting = target.waiting.pop();
      if (waiting === undefined) return undefined;
      clearTimeout(waiting.timer);
      const { socket } = waiting;
      socket.off('data', waiting.drop).off('end', waiting.drop).off('close', waiting.drop).off('error', waiting.drop);
      if (!socket.destroyed && socket.readable && socket.writable) return socket;
      closeSocket(socket);
    }
  }

  /** Keeps `socket` for the target's next send, for at most `idleMs`; closes it instead when it cannot be kept. */
  keep(key: string, socket: Socket, idleMs: number): void {
    if (idleMs <= 0 || socket.destroyed || !socket.readable || !socket.writable) {
      closeSocket(socket);
      return;
    }
    const target = this.target(key);
    const drop = (): void => {
      const at = target.waiting.findIndex((w) => w.socket === socket);
      if (at >= 0) {
        const [waiting] = target.waiting.splice(at, 1);
        clearTimeout(waiting!.timer);
      }
      closeSocket(socket);
    };
    const timer = setTimeout(drop, idleMs);
    // A kept connection never holds the process open.
    timer.unref();
    socket.on('data', drop).on('end', drop).on('close', drop).on('error', drop);
    target.waiting.push({ socket, timer, drop });
  }

  private target(key: string): Target {
    const now = performance.now();
    let target = this.targets.get(key);
    if (target === undefined) {
      // A new target is the moment to drop those no send asked for in a minute.
      for (const [known, old] of this.targets) {
        if (now - old.lastUsed < IDLE_TARGET_MS) continue;
        this.targets.delete(known);
        for (const waiting of old.waiting.splice(0)) {
          clearTimeout(waiting.timer);
          closeSocket(waiting.socket);
        }
      }
      target = { waiting: [], lastUsed: now };
      this.targets.set(key, target);
    }
    target.lastUsed = now;
    return target;
  }
}
