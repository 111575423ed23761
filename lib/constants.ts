/**
 * Finite defaults for every limit in rxsocket, in one place.
 *
 * Each option that bounds memory or time falls back to one of these values, so a connection's
 * memory stays bounded even when the user configures nothing.
 */

/** Largest frame payload a framing accepts or produces by default: 16 MiB. */
export const DEFAULT_MAX_FRAME_BYTES = 16 * 1024 * 1024;

/** jsocket v2 refuses messages over 10 MiB, on send and on receive. */
export const JSOCKET_V2_MAX_FRAME_BYTES = 10 * 1024 * 1024;
