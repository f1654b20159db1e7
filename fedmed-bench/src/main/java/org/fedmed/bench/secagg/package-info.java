/**
 * The deployed SecAgg+ round against a plain deployed round over real gRPC with mutual TLS: a server in one JVM, the
 * sites' connections in another ({@link org.fedmed.bench.secagg.SecureRoundHarness}).
 */
package org.fedmed.bench.secagg;
