/**
 * rxjs-socket/nats: connection streams across nodes, through NATS (`@nats-io/transport-node`).
 * Subjects as streams, a hub that joins local connections on every node, requests answered by a
 * queue group, and the NATS connection's status. This entry point alone uses the NATS client;
 * the core never does. At most once, as NATS core: see README, "Beyond one machine".
 */

// Subjects as streams
export { fromSubject } from './from-subject';
export type { FromSubjectOptions } from './from-subject';
export { toSubject } from './to-subject';
export type { ToSubjectOptions } from './to-subject';
export type { SubjectPublisher, PublisherLimits } from './subject-publisher';
export type { UnsentMessage } from '../conversation/reconnecting-client';

// Fan-out across nodes
export { natsHub } from './nats-hub';
export type { NatsHub, NatsHubOptions } from './nats-hub';

// Requests across nodes
export { serveSubject } from './serve-subject';
export type { ServeSubjectOptions, SubjectHandler } from './serve-subject';
export { natsRequester } from './nats-requester';
export type { NatsRequester, NatsRequesterOptions } from './nats-requester';

// Status
export { natsStatus } from './nats-status';
export type { NatsState, NatsLinkStatus } from './nats-status';

// Errors (also exported by the core entry point)
export { NoRespondersError, ConnectionLostError, RequestTimeoutError, FrameTooLargeError, BufferOverflowError } from '../errors';
