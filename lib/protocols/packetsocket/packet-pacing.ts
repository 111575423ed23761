import { InvalidOptionError } from '../../errors';

/**
 * How a packetsocket sender spaces the packets it sends to one peer, for the original receiver:
 * it makes one `recv(131072)` per update (about every 1 ms) and takes each read for the start or
 * the continuation of one packet, so two packets that meet in one read are both lost. The next
 * packet to a peer therefore starts only once the previous one has left the process (handed to
 * the kernel), plus `gapMs + gapMsPerMiB * size / 1 MiB` milliseconds, while the receiver reads
 * what is still in the kernel's buffers.
 *
 * @example
 * ```ts
 * // A receiver that updates every 10 ms instead of every 1 ms needs ten times the gaps.
 * packetsocketClient({ port, pacing: { gapMs: 10 * DEFAULT_PACKET_PACING.gapMs, gapMsPerMiB: 10 * DEFAULT_PACKET_PACING.gapMsPerMiB } });
 * ```
 */
export interface PacketPacing {
  /** Milliseconds after each packet has left the process, whatever its size. */
  readonly gapMs: number;
  /** Milliseconds more per MiB of the packet (its 8-byte prefix included). */
  readonly gapMsPerMiB: number;
}

/**
 * The pacing packetsocket kits use by default: 10 ms, plus 40 ms per MiB, after each packet has
 * left the process. Measured against a receiver with the original's loop (one `recv(131072)` per
 * 1 ms update) on a loaded 2-core machine (`bench/packetsocket-pacing.ts`), the reading time left
 * once a packet had left the process was about 1 ms for small packets (4.3 ms at worst, when the
 * receiver was not scheduled) and 9 to 11 ms per MiB for large ones (19 ms per MiB at worst);
 * bursts of 20 packets from 0 B to 4 MiB lost packets with 10 ms per MiB and, once, with 20; these
 * gaps are twice the worst reading time or more.
 *
 * @example
 * ```ts
 * packetsocketServer({ port: 0, pacing: { ...DEFAULT_PACKET_PACING, gapMs: 20 } });
 * ```
 */
export const DEFAULT_PACKET_PACING: PacketPacing = Object.freeze({ gapMs: 10, gapMsPerMiB: 40 });

const MIB = 1024 * 1024;

/** Milliseconds to wait after a packet of `wireBytes` (prefix included) has left the process. */
export function pacingGap(pacing: PacketPacing, wireBytes: number): number {
  return pacing.gapMs + (pacing.gapMsPerMiB * wireBytes) / MIB;
}

/** The `pacing` option with its default applied and checked: the pacing, or null for none. */
export function resolvePacing(option: PacketPacing | false | undefined): PacketPacing | null {
  if (option === false) return null;
  if (option === undefined) return DEFAULT_PACKET_PACING;
  for (const field of ['gapMs', 'gapMsPerMiB'] as const) {
    const value: unknown = (option as Partial<PacketPacing> | null)?.[field];
    if (typeof value !== 'number' || !(value >= 0 && value <= 60_000)) {
      throw new InvalidOptionError(`pacing.${field}`, value, 'a number of milliseconds from 0 to 60,000');
    }
  }
  return option;
}
