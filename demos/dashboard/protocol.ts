// What the dashboard and its pages say over the WebSocket at /live (JSON text frames). The page
// sends commands as `{ id, body }` (idRequester) and gets replies as `{ id, body }` (serveWithIds);
// the server also pushes frames (and, to viewers that ask with `?readings=1`, every reading).
import type { ServerStatsSample } from 'rxjs-socket';
import type { DashboardView } from './aggregate';

/** A button on the page. */
export type Command =
  | { readonly op: 'kill'; readonly sensor: string }
  | { readonly op: 'malformed'; readonly sensor: string }
  | { readonly op: 'restart-ingest' }
  | { readonly op: 'slow-viewer' }
  /** Who the viewer is, and whether it wants every reading and each sensor's 10 s of values. */
  | { readonly op: 'hello'; readonly name: string; readonly readings?: boolean; readonly history?: boolean };

/** The answer to a command: what was done, in a sentence. */
export interface CommandReply {
  readonly ok: boolean;
  readonly text: string;
}

/** One viewer (a page, or the slow viewer) as its connection's statistics show it. */
export interface ViewerRow {
  readonly id: number;
  readonly name: string;
  readonly queuedBytes: number;
  readonly writable: boolean;
  readonly messagesOut: number;
  readonly bytesOut: number;
  /** Frames not sent to it because it was not writable (each frame replaces the previous one). */
  readonly skipped: number;
}

/** What every viewer gets every tick. */
export interface Frame {
  readonly kind: 'frame';
  readonly view: DashboardView;
  /** serverStats of the ingest server (sensors, TCP). */
  readonly ingest: ServerStatsSample;
  /** serverStats of the viewers' WebSocket server. */
  readonly viewers: ServerStatsSample;
  readonly viewerRows: readonly ViewerRow[];
  readonly ingestRestarts: number;
  /** The dashboard process's CPU since the previous frame, in % of one core. */
  readonly cpu: number;
}

/** A reading as received, to viewers that asked with `?readings=1`. */
export interface ReadingPush {
  readonly kind: 'reading';
  readonly sensor: string;
  readonly sentAt: number;
}

/** Whatever the server pushes. */
export type Push = Frame | ReadingPush;
