/**
 * What both ends of the transport share: the one codec between the core types and the protocol messages
 * ({@link org.fedmed.transport.wire.WireCodec}, with its parts for layouts, fit settings and payloads), cutting
 * models into checksummed float32 chunks and assembling them, and sending under gRPC flow control. Internal to the
 * transport.
 */
package org.fedmed.transport.wire;
