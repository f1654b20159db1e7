package org.fedmed.secagg;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.fedmed.secagg.crypto.MaskPrg;
import org.fedmed.secagg.crypto.ShamirSecretSharing;
import org.fedmed.secagg.crypto.ShamirShare;
import org.fedmed.secagg.crypto.ShareCipher;
import org.fedmed.secagg.crypto.X25519;
import org.fedmed.secagg.graph.NeighbourGraph;
import org.fedmed.secagg.message.EncryptedShare;
import org.fedmed.secagg.message.KeyAdvertisement;
import org.fedmed.secagg.message.KeyDirectory;
import org.fedmed.secagg.message.MaskedInput;
import org.fedmed.secagg.message.RevealedShare;
import org.fedmed.secagg.message.SetupRequest;
import org.fedmed.secagg.message.ShareBundle;
import org.fedmed.secagg.message.ShareDelivery;
import org.fedmed.secagg.message.ShareKind;
import org.fedmed.secagg.message.UnmaskRequest;
import org.fedmed.secagg.message.UnmaskResponse;

/**
 * The coordinator's side of a secure-aggregation round: it relays keys and sealed shares it cannot read,
 * folds masked inputs into one running sum as they arrive, and at the end rebuilds from the survivors' shares
 * exactly what it needs to strip the masks: the self-mask seed of every client that submitted and the mask key
 * of every client that dropped after sharing. It learns the sum of the submitted inputs and nothing else.
 *
 * <p>Each round is: {@code receiveKeys}* then {@link #closeKeyAdvertising}; {@code receiveShares}* then
 * {@link #closeKeySharing}; {@code receiveMaskedInput}* then {@link #closeMaskedInput}; {@code
 * receiveUnmaskResponse}* then {@link #finish}. A {@code close} step ends a phase: whoever has not answered by
 * then has dropped. Messages out of turn, from clients not in the phase, or repeated, are refused.
 *
 * <p>Dropouts: clients that drop before sending shares are simply left out (nobody masks with them). Clients
 * that drop after sending shares but before submitting are left out of the sum, and the masks their neighbours
 * added for them are removed by rebuilding their mask keys. Clients that drop after submitting stay in the sum;
 * their self masks are removed by rebuilding their seeds. Before each phase the server also leaves out any
 * client whose neighbourhood is already too thin for its secrets to be rebuilt.
 *
 * <p>Fails safely: if after submission some needed secret has fewer than {@code threshold} surviving holders,
 * it throws {@link SecAggAbortedException} before asking for a single share; if too few holders answer the
 * unmask requests it throws the same after discarding what it received. Either way the running sum is wiped
 * and no sum is output. Cost: O(n * degree) bookkeeping and memory besides one vector; time dominated by one
 * mask expansion per submitted client plus {@code degree} per client that dropped after sharing.
 */
public final class SecAggServer {

    private enum Phase { COLLECTING_KEYS, COLLECTING_SHARES, COLLECTING_INPUTS, COLLECTING_UNMASKING, FINISHED, ABORTED }

    private static final int SHARE_CIPHERTEXT_BYTES = SecAggClient.SHARE_PLAINTEXT_BYTES + ShareCipher.TAG_BYTES;

    private final SetupRequest setup;
    private final SecAggParameters parameters;
    private final int n;
    private final int threshold;
    private final int[][] neighbours;
    private final NeighbourGraph graph;
    private Phase phase = Phase.COLLECTING_KEYS;

    private final KeyAdvertisement[] keys;
    private boolean[] eligible;
    private List<List<EncryptedShare>> inbox;
    private final boolean[] sentShares;
    private boolean[] shared;
    private long[] sum;
    private final boolean[] submitted;
    private boolean[] droppedAfterSharing;
    private final boolean[] responded;
    private List<List<ShamirShare>> revealed;
    private int revealedSharesReceived;
    private SecAggResult result;

    /** A server for the round that {@code setup} opens; send {@code setup} to every invited client. */
    public SecAggServer(SetupRequest setup) {
        this.setup = setup;
        this.parameters = setup.parameters();
        this.n = parameters.numClients();
        this.threshold = parameters.threshold();
        this.graph = NeighbourGraph.of(parameters, setup.graphSeed());
        this.neighbours = new int[n + 1][];
        for (int u = 1; u <= n; u++) {
            neighbours[u] = graph.neighbours(u);
        }
        this.keys = new KeyAdvertisement[n + 1];
        this.sentShares = new boolean[n + 1];
        this.submitted = new boolean[n + 1];
        this.responded = new boolean[n + 1];
    }

    /** The round-0 request this server answers to. */
    public SetupRequest setupRequest() {
        return setup;
    }

    /** Round 0: records a client's public keys. */
    public void receiveKeys(KeyAdvertisement message) {
        expect(Phase.COLLECTING_KEYS, "key advertisement");
        int u = checkClient(message.sender());
        if (keys[u] != null) {
            throw new SecAggProtocolException("client " + u + " advertised keys twice", u);
        }
        keys[u] = message;
    }

    /**
     * Ends round 0: returns one key directory per client still in the round, holding its neighbours' keys.
     * Clients whose neighbourhood has fewer than {@code threshold} advertised clients are left out.
     */
    public Map<Integer, KeyDirectory> closeKeyAdvertising() {
        expect(Phase.COLLECTING_KEYS, "closing key advertisement");
        boolean[] in = new boolean[n + 1];
        for (int u = 1; u <= n; u++) {
            in[u] = keys[u] != null;
        }
        eligible = peel(in, "advertised keys");
        Map<Integer, KeyDirectory> out = new LinkedHashMap<>();
        for (int u = 1; u <= n; u++) {
            if (eligible[u]) {
                List<KeyAdvertisement> list = new ArrayList<>();
                for (int v : neighbours[u]) {
                    if (eligible[v]) {
                        list.add(keys[v]);
                    }
                }
                out.put(u, new KeyDirectory(u, list));
            }
        }
        inbox = new ArrayList<>(n + 1);
        for (int u = 0; u <= n; u++) {
            inbox.add(new ArrayList<>());
        }
        phase = Phase.COLLECTING_SHARES;
        return Collections.unmodifiableMap(out);
    }

    /** Round 1: takes a client's sealed shares, one for each neighbour in its directory, to relay later. */
    public void receiveShares(ShareBundle bundle) {
        expect(Phase.COLLECTING_SHARES, "share bundle");
        int u = checkClient(bundle.sender());
        if (!eligible[u]) {
            throw new SecAggProtocolException("client " + u + " sent shares but was not sent a key directory", u);
        }
        if (sentShares[u]) {
            throw new SecAggProtocolException("client " + u + " sent shares twice", u);
        }
        int expected = 0;
        for (int v : neighbours[u]) {
            if (eligible[v]) {
                expected++;
            }
        }
        boolean[] seen = new boolean[n + 1];
        for (EncryptedShare s : bundle.shares()) {
            int v = s.recipient();
            if (v > n || !graph.areNeighbours(u, v) || !eligible[v]) {
                throw new SecAggProtocolException("client " + u + " addressed shares to client " + v
                        + ", which is not a neighbour in its key directory", u);
            }
            if (seen[v]) {
                throw new SecAggProtocolException("client " + u + " sent two shares to client " + v, u);
            }
            if (s.ciphertext().length != SHARE_CIPHERTEXT_BYTES) {
                throw new SecAggProtocolException("client " + u + " sent a " + s.ciphertext().length
                        + "-byte share ciphertext to client " + v + ", expected " + SHARE_CIPHERTEXT_BYTES, u);
            }
            seen[v] = true;
        }
        if (bundle.shares().size() != expected) {
            throw new SecAggProtocolException("client " + u + " sent shares to " + bundle.shares().size() + " of the "
                    + expected + " neighbours in its key directory", u);
        }
        for (EncryptedShare s : bundle.shares()) {
            inbox.get(s.recipient()).add(s);
        }
        sentShares[u] = true;
    }

    /**
     * Ends round 1: returns, for each client still in the round, the sealed shares its neighbours sent it.
     * Clients left with fewer than {@code threshold} neighbours that sent shares are left out.
     */
    public Map<Integer, ShareDelivery> closeKeySharing() {
        expect(Phase.COLLECTING_SHARES, "closing key sharing");
        shared = peel(sentShares.clone(), "sent shares");
        Map<Integer, ShareDelivery> out = new LinkedHashMap<>();
        for (int u = 1; u <= n; u++) {
            if (shared[u]) {
                List<EncryptedShare> list = new ArrayList<>();
                for (EncryptedShare s : inbox.get(u)) {
                    if (shared[s.sender()]) {
                        list.add(s);
                    }
                }
                list.sort(Comparator.comparingInt(EncryptedShare::sender));
                out.put(u, new ShareDelivery(u, list));
            }
        }
        inbox = null;
        sum = new long[parameters.vectorLength()];
        phase = Phase.COLLECTING_INPUTS;
        return Collections.unmodifiableMap(out);
    }

    /** Round 2: adds a client's masked input to the running sum; the input itself is not kept. */
    public void receiveMaskedInput(MaskedInput message) {
        expect(Phase.COLLECTING_INPUTS, "masked input");
        int u = checkClient(message.sender());
        if (!shared[u]) {
            throw new SecAggProtocolException("client " + u + " sent a masked input but was not sent shares", u);
        }
        if (submitted[u]) {
            throw new SecAggProtocolException("client " + u + " sent a masked input twice", u);
        }
        long[] y = message.maskedVector();
        if (y.length != sum.length) {
            throw new SecAggProtocolException("client " + u + " sent " + y.length + " elements, the round sums "
                    + sum.length, u);
        }
        long outside = 0;
        for (long v : y) {
            outside |= v;
        }
        if ((outside & ~parameters.ringMask()) != 0) {
            throw new SecAggProtocolException("client " + u + " sent values outside Z_2^" + parameters.ringBits(), u);
        }
        long[] acc = sum;
        for (int i = 0; i < acc.length; i++) {
            acc[i] += y[i];
        }
        submitted[u] = true;
    }

    /**
     * Ends round 2: returns one unmask request per client that submitted, naming which of its neighbours
     * submitted and which dropped after sharing.
     *
     * @throws SecAggAbortedException if some needed secret has fewer than {@code threshold} holders left among the
     *                                clients that submitted; no request is made and the running sum is wiped
     */
    public Map<Integer, UnmaskRequest> closeMaskedInput() {
        return closeMaskedInput(1);
    }

    /**
     * As {@link #closeMaskedInput()}, and also aborts when fewer than {@code minInputs} clients submitted: a sum of
     * fewer inputs is never unmasked (a plan that releases no model below that count, or whose sites' noise shares
     * are sized for it, must not let the server learn a smaller sum either).
     *
     * @throws SecAggAbortedException if fewer than {@code minInputs} clients submitted, or some needed secret has
     *                                fewer than {@code threshold} holders left; no request is made and the running
     *                                sum is wiped
     */
    public Map<Integer, UnmaskRequest> closeMaskedInput(int minInputs) {
        expect(Phase.COLLECTING_INPUTS, "closing masked input");
        droppedAfterSharing = new boolean[n + 1];
        int survivors = 0;
        int sharedCount = 0;
        for (int u = 1; u <= n; u++) {
            droppedAfterSharing[u] = shared[u] && !submitted[u];
            survivors += submitted[u] ? 1 : 0;
            sharedCount += shared[u] ? 1 : 0;
        }
        if (survivors == 0) {
            throw abort(new SecAggAbortedException("no client submitted a masked input (" + sharedCount
                    + " had shared keys)", 0, 0, threshold));
        }
        if (survivors < minInputs) {
            throw abort(new SecAggAbortedException("only " + survivors + " of " + sharedCount + " clients that shared"
                    + " keys submitted a masked input, fewer than the " + minInputs + " a sum is unmasked with",
                    0, survivors, minInputs));
        }
        for (int v = 1; v <= n; v++) {
            if (!submitted[v] && !droppedAfterSharing[v]) {
                continue;
            }
            int holders = countIn(neighbours[v], submitted);
            if (droppedAfterSharing[v] && holders == 0) {
                continue;
            }
            if (holders < threshold) {
                throw abort(new SecAggAbortedException("only " + holders + " neighbours of client " + v
                        + " submitted, too few to rebuild its " + (submitted[v] ? "self-mask seed" : "mask key")
                        + "; " + survivors + " of " + sharedCount + " clients that shared keys submitted",
                        v, holders, threshold));
            }
        }
        Map<Integer, UnmaskRequest> out = new LinkedHashMap<>();
        for (int u = 1; u <= n; u++) {
            if (submitted[u]) {
                out.put(u, new UnmaskRequest(u, filter(neighbours[u], submitted), filter(neighbours[u], droppedAfterSharing)));
            }
        }
        revealed = new ArrayList<>(n + 1);
        for (int u = 0; u <= n; u++) {
            revealed.add(new ArrayList<>());
        }
        phase = Phase.COLLECTING_UNMASKING;
        return Collections.unmodifiableMap(out);
    }

    /** Round 3: records the shares a surviving client revealed, after checking each is one it was asked for. */
    public void receiveUnmaskResponse(UnmaskResponse response) {
        expect(Phase.COLLECTING_UNMASKING, "unmask response");
        int u = checkClient(response.sender());
        if (!submitted[u]) {
            throw new SecAggProtocolException("client " + u + " sent shares but was not asked to unmask", u);
        }
        if (responded[u]) {
            throw new SecAggProtocolException("client " + u + " answered the unmask request twice", u);
        }
        boolean[] seen = new boolean[n + 1];
        List<RevealedShare> shares = response.shares();
        List<ShamirShare> checked = new ArrayList<>(shares.size());
        for (RevealedShare s : shares) {
            int v = s.owner();
            if (v > n || !graph.areNeighbours(u, v) || !(submitted[v] || droppedAfterSharing[v])) {
                throw new SecAggProtocolException("client " + u + " revealed a share of client " + v
                        + ", which it was not asked for", u);
            }
            ShareKind expected = submitted[v] ? ShareKind.SELF_MASK_SEED : ShareKind.MASK_KEY;
            if (s.kind() != expected) {
                throw new SecAggProtocolException("client " + u + " revealed a " + s.kind() + " share of client " + v
                        + " where a " + expected + " share was asked for", u);
            }
            if (seen[v]) {
                throw new SecAggProtocolException("client " + u + " revealed two shares of client " + v, u);
            }
            seen[v] = true;
            long[] value = s.value();
            if (value.length != SecAggClient.SHARE_CHUNKS) {
                throw new SecAggProtocolException("client " + u + " revealed a share of client " + v + " with "
                        + value.length + " chunks, expected " + SecAggClient.SHARE_CHUNKS, u);
            }
            try {
                checked.add(new ShamirShare(u, value));
            } catch (IllegalArgumentException e) {
                throw new SecAggProtocolException("client " + u + " revealed an invalid share of client " + v + ": "
                        + e.getMessage(), u, e);
            }
        }
        for (int i = 0; i < shares.size(); i++) {
            revealed.get(shares.get(i).owner()).add(checked.get(i));
        }
        revealedSharesReceived += shares.size();
        responded[u] = true;
    }

    /**
     * Ends round 3: rebuilds the needed secrets, strips every mask and returns the sum.
     *
     * @throws SecAggAbortedException   if some needed secret got fewer than {@code threshold} shares; nothing is
     *                                  output and what was received is discarded
     * @throws SecAggProtocolException  if shares rebuild a mask key that does not match its advertised public key
     */
    public SecAggResult finish() {
        expect(Phase.COLLECTING_UNMASKING, "finishing");
        int responders = 0;
        for (int u = 1; u <= n; u++) {
            responders += responded[u] ? 1 : 0;
        }
        for (int v = 1; v <= n; v++) {
            if (needsReconstruction(v) && revealed.get(v).size() < threshold) {
                throw abort(new SecAggAbortedException("only " + revealed.get(v).size() + " neighbours of client " + v
                        + " returned shares of its " + (submitted[v] ? "self-mask seed" : "mask key") + "; "
                        + responders + " clients answered the unmask requests", v, revealed.get(v).size(), threshold));
            }
        }
        Map<Points, long[]> lagrange = new HashMap<>();
        int ringBits = parameters.ringBits();
        // the masks to strip: each survivor's self-mask, and each dropped client's pairwise masks with its surviving
        // neighbours; the seeds are derived and the masks generated in parallel (the sum does not depend on the order)
        List<MaskPrg.Mask> masks = new ArrayList<>();
        List<DroppedPair> pairs = new ArrayList<>();
        for (int v = 1; v <= n; v++) {
            if (!needsReconstruction(v)) {
                continue;
            }
            byte[] secret = rebuild(v, lagrange);
            if (submitted[v]) {
                masks.add(new MaskPrg.Mask(secret, true));
                continue;
            }
            if (!Arrays.equals(X25519.publicKeyOf(secret), keys[v].maskingKey())) {
                throw abort(new SecAggProtocolException("the shares returned for client " + v + " rebuild a mask key"
                        + " that does not match the public key it advertised: some neighbour revealed a corrupted share",
                        v));
            }
            for (int u : neighbours[v]) {
                if (submitted[u]) {
                    pairs.add(new DroppedPair(v, secret, u));
                }
            }
        }
        // Client u added PRG(s_uv) if u < v and subtracted it if u > v; undo that.
        masks.addAll(pairs.parallelStream().map(p -> new MaskPrg.Mask(KeyDerivation.pairwiseSeed(p.droppedKey(),
                keys[p.survivor()].maskingKey(), setup.sessionId(), p.dropped(), p.survivor()),
                p.survivor() < p.dropped())).toList());
        MaskPrg.applyAll(sum, masks, ringBits);
        long mask = parameters.ringMask();
        long[] out = sum;
        for (int i = 0; i < out.length; i++) {
            out[i] &= mask;
        }
        List<Integer> included = new ArrayList<>();
        List<Integer> dropped = new ArrayList<>();
        for (int u = 1; u <= n; u++) {
            (submitted[u] ? included : dropped).add(u);
        }
        result = new SecAggResult(out, toArray(included), toArray(dropped));
        sum = null;
        revealed = null;
        phase = Phase.FINISHED;
        return result;
    }

    /** The result, once {@link #finish} has succeeded. */
    public Optional<SecAggResult> result() {
        return Optional.ofNullable(result);
    }

    /** How many revealed shares this server has received in round 3 (0 if it never got there). */
    public int revealedSharesReceived() {
        return revealedSharesReceived;
    }

    /** Whether the round was aborted. */
    public boolean aborted() {
        return phase == Phase.ABORTED;
    }

    private boolean needsReconstruction(int v) {
        return submitted[v] || (droppedAfterSharing[v] && countIn(neighbours[v], submitted) > 0);
    }

    private byte[] rebuild(int v, Map<Points, long[]> lagrange) {
        List<ShamirShare> shares = new ArrayList<>(revealed.get(v));
        shares.sort(Comparator.comparingInt(ShamirShare::x));
        List<ShamirShare> first = shares.subList(0, threshold);
        int[] xs = new int[threshold];
        for (int i = 0; i < threshold; i++) {
            xs[i] = first.get(i).x();
        }
        long[] coefficients = lagrange.computeIfAbsent(new Points(xs), p -> ShamirSecretSharing.lagrangeAtZero(p.xs()));
        try {
            return ShamirSecretSharing.combine(coefficients, first, SecAggClient.SECRET_BYTES);
        } catch (IllegalArgumentException e) {
            throw abort(new SecAggProtocolException("the shares returned for client " + v + " do not rebuild a valid"
                    + " secret: " + e.getMessage(), v, e));
        }
    }

    /**
     * Removes, until none is left, every client with fewer than {@code threshold} neighbours still in; aborts if
     * nobody is left.
     */
    private boolean[] peel(boolean[] in, String step) {
        int before = 0;
        for (int u = 1; u <= n; u++) {
            before += in[u] ? 1 : 0;
        }
        boolean changed = true;
        while (changed) {
            changed = false;
            for (int u = 1; u <= n; u++) {
                if (in[u] && countIn(neighbours[u], in) < threshold) {
                    in[u] = false;
                    changed = true;
                }
            }
        }
        int left = 0;
        for (int u = 1; u <= n; u++) {
            left += in[u] ? 1 : 0;
        }
        if (left == 0) {
            throw abort(new SecAggAbortedException(before + " of " + n + " clients " + step
                    + ", but none has enough neighbours among them to hold shares of its secrets", 0, before,
                    threshold));
        }
        return in;
    }

    private static int countIn(int[] ids, boolean[] set) {
        int c = 0;
        for (int v : ids) {
            if (set[v]) {
                c++;
            }
        }
        return c;
    }

    private static int[] filter(int[] ids, boolean[] set) {
        int[] out = new int[countIn(ids, set)];
        int k = 0;
        for (int v : ids) {
            if (set[v]) {
                out[k++] = v;
            }
        }
        return out;
    }

    private static int[] toArray(List<Integer> ids) {
        int[] out = new int[ids.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = ids.get(i);
        }
        return out;
    }

    private int checkClient(int id) {
        if (id < 1 || id > n) {
            throw new SecAggProtocolException("message from client " + id + ", outside the round's clients 1.." + n, id);
        }
        return id;
    }

    private void expect(Phase expected, String what) {
        if (phase != expected) {
            throw new IllegalStateException("secure-aggregation server: " + what + " is not allowed in phase " + phase
                    + " (expected " + expected + ")");
        }
    }

    private <E extends SecAggException> E abort(E e) {
        if (sum != null) {
            Arrays.fill(sum, 0);
        }
        sum = null;
        inbox = null;
        revealed = null;
        phase = Phase.ABORTED;
        return e;
    }

    /** A set of share points, as a map key for cached Lagrange coefficients. */
    private record Points(int[] xs) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Points p && Arrays.equals(xs, p.xs);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(xs);
        }
    }

    /** A dropped client, its rebuilt mask key, and a neighbour that submitted: one pairwise mask to strip. */
    private record DroppedPair(int dropped, byte[] droppedKey, int survivor) {
    }
}
