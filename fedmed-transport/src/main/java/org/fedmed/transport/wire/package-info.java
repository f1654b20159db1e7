/**
 * What both ends of the transport share: cutting models into checksummed float32 chunks and assembling them,
 * converting layouts to and from their wire form, and sending under gRPC flow control. Internal to the transport.
 */
package org.fedmed.transport.wire;
