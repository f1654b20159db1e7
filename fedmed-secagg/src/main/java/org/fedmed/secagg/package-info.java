/**
 * Secure aggregation: the coordinator learns the sum of the sites' updates and nothing else about any one of
 * them, even when some sites drop out mid-round.
 *
 * <p>The protocol is that of Bonawitz et al., "Practical Secure Aggregation for Privacy-Preserving Machine
 * Learning" (CCS 2017), in its honest-but-curious-server form, with the sparse neighbour graph of Bell et al.,
 * "Secure Single-Server Aggregation with (Poly)Logarithmic Overhead" (CCS 2020), called SecAgg+:
 * <ul>
 *   <li>{@link org.fedmed.secagg.quant.RingQuantizer} turns float updates into fixed point in Z_{2^k} so sums
 *       never wrap, and decodes the sum with a stated error bound;</li>
 *   <li>{@link org.fedmed.secagg.SecAggClient} and {@link org.fedmed.secagg.SecAggServer} are the two state
 *       machines, exchanging the typed messages of {@link org.fedmed.secagg.message} in four rounds;</li>
 *   <li>{@link org.fedmed.secagg.graph.NeighbourGraph} fixes who masks with whom, from a public seed;</li>
 *   <li>{@link org.fedmed.secagg.SecureAggregationRound} runs a whole round in process, with simulated
 *       dropouts, and measures each party's CPU and traffic; {@link org.fedmed.secagg.SecureVectorSum} adds the
 *       fixed-point encoding; {@link org.fedmed.secagg.SecureUpdateSum} takes the core's fit results and
 *       returns the summed deltas as model parameters;</li>
 *   <li>{@link org.fedmed.secagg.exchange} runs the same two state machines as a multi-exchange round through a site
 *       pool, the sites answering each stage with their own client: what {@link
 *       org.fedmed.secagg.SecureAggregationStrategy} uses, in simulation and in deployment alike.</li>
 * </ul>
 *
 * <p>Cryptography comes from the JDK: X25519 key agreement, HKDF-SHA256 ({@code javax.crypto.KDF}), AES-256-GCM
 * for the shares in transit and AES-256-CTR as the mask generator. Shamir sharing is over GF(2^61 - 1).
 *
 * <p>Threat model: the server follows the protocol but tries to learn individual updates from what it sees, and
 * may collude with fewer than {@code threshold} of any site's neighbours. Clients also refuse the server
 * requests that would unmask a site (both kinds of share of one site, a second unmask request, too few
 * survivors); with the default majority threshold this holds even against a server that lies about who dropped.
 * Messages are not signed: sites and coordinator authenticate each other with mutual TLS at the transport
 * layer. Secure aggregation hides individual updates, not what the sum itself reveals; combine it with
 * differential privacy for that.
 */
package org.fedmed.secagg;
