/** The packetsocket kit: a broadcasting server with tagged packets, and its client. */
export { packetsocketServer } from './packetsocket-server';
export type { PacketServer, PacketClient, TaggedPacket, PacketsocketServerOptions } from './packetsocket-server';
export { packetsocketClient } from './packetsocket-client';
export type { PacketsocketClientOptions } from './packetsocket-client';
export { DEFAULT_PACKET_PACING } from './packet-pacing';
export type { PacketPacing } from './packet-pacing';
