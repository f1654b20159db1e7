package org.fedmed.secagg;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.AEADBadTagException;
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
 * One site's side of a secure-aggregation round (Bonawitz et al. 2017, with the SecAgg+ neighbour graph of
 * Bell et al. 2020): a state machine that answers the server's four requests in order, each at most once.
 *
 * <ol>
 *   <li>{@link #advertiseKeys}: makes two fresh X25519 key pairs, c (to agree share-encryption keys) and s (to
 *       agree pairwise masks), and finds its neighbours in the public graph.</li>
 *   <li>{@link #shareKeys}: draws its self-mask seed b, Shamir-shares b and its private key s among the
 *       neighbours listed in the directory, and seals each neighbour's pair of shares with AES-256-GCM under a
 *       key derived by HKDF from X25519(c_u, c_v).</li>
 *   <li>{@link #maskInput}: opens the shares its neighbours sent it and returns
 *       {@code y = x + PRG(b) + sum_{v > u} PRG(s_uv) - sum_{v < u} PRG(s_uv) mod 2^k} over those neighbours.</li>
 *   <li>{@link #unmask}: reveals, for each neighbour, the share of its self-mask seed if it submitted or the share
 *       of its mask key if it dropped, never both.</li>
 * </ol>
 *
 * <p>What it guarantees: it never reveals both kinds of share of the same client, in one request or over
 * several (it answers one unmask request only); it refuses to unmask when fewer than {@code threshold} of its
 * neighbours are reported to have submitted; and it refuses shares whose authentication fails, naming the
 * sender. After refusing, it is finished: it forgets its secrets and answers nothing more.
 *
 * <p>It does not authenticate the server or its peers: that is the job of mutual TLS at the transport layer,
 * which binds every message to a site certificate. Without it, a server could impersonate clients.
 */
public final class SecAggClient {

    /** Bytes of each shared secret: an X25519 private key, or a self-mask seed. */
    static final int SECRET_BYTES = 32;
    static final int SHARE_CHUNKS = ShamirSecretSharing.chunkCount(SECRET_BYTES);
    /** Plaintext of one encrypted share: the mask-key share, then the self-mask-seed share. */
    static final int SHARE_PLAINTEXT_BYTES = 2 * SHARE_CHUNKS * Long.BYTES;

    private enum State { NEW, ADVERTISED, SHARED, MASKED, DONE, REFUSED }

    private final int id;
    private final SecureRandom random;
    private State state = State.NEW;

    private SetupRequest setup;
    private SecAggParameters parameters;
    private int[] neighbours;
    private X25519.KeyPair encryptionKeys;
    private X25519.KeyPair maskingKeys;
    private byte[] selfMaskSeed;
    private final Map<Integer, byte[]> receiveKeys = new HashMap<>();
    private final Map<Integer, byte[]> neighbourMaskingKeys = new HashMap<>();
    /** Shares this client holds, by owner: [0] of the owner's mask key, [1] of its self-mask seed. */
    private final Map<Integer, long[][]> heldShares = new TreeMap<>();

    /**
     * @param id     this client's protocol id, 1..n, as the server numbered it
     * @param random where this client draws its keys, seed, Shamir coefficients and nonces
     */
    public SecAggClient(int id, SecureRandom random) {
        if (id < 1) {
            throw new IllegalArgumentException("client id must be >= 1, got " + id);
        }
        this.id = id;
        this.random = random;
    }

    public int id() {
        return id;
    }

    /** Round 0: joins the round and advertises two fresh public keys. */
    public KeyAdvertisement advertiseKeys(SetupRequest request) {
        expect(State.NEW, "advertiseKeys");
        SecAggParameters p = request.parameters();
        if (id > p.numClients()) {
            throw refuse(new SecAggProtocolException("client id " + id + " is outside the round's clients 1.."
                    + p.numClients(), id));
        }
        setup = request;
        parameters = p;
        neighbours = NeighbourGraph.of(p, request.graphSeed()).neighbours(id);
        encryptionKeys = X25519.generate(random);
        maskingKeys = X25519.generate(random);
        state = State.ADVERTISED;
        return new KeyAdvertisement(id, encryptionKeys.publicKey(), maskingKeys.publicKey());
    }

    /** Round 1: shares its mask key and a fresh self-mask seed among the neighbours in the directory. */
    public ShareBundle shareKeys(KeyDirectory directory) {
        expect(State.ADVERTISED, "shareKeys");
        checkRecipient(directory.recipient(), "key directory");
        List<KeyAdvertisement> holders = new ArrayList<>(directory.neighbourKeys());
        holders.sort((a, b) -> Integer.compare(a.sender(), b.sender()));
        int[] xs = new int[holders.size()];
        for (int i = 0; i < xs.length; i++) {
            int v = holders.get(i).sender();
            if (Arrays.binarySearch(neighbours, v) < 0) {
                throw refuse(new SecAggProtocolException("the key directory for client " + id + " lists client " + v
                        + ", which is not its neighbour in the public graph", v));
            }
            if (i > 0 && xs[i - 1] == v) {
                throw refuse(new SecAggProtocolException("the key directory for client " + id + " lists client " + v
                        + " twice", v));
            }
            xs[i] = v;
        }
        if (xs.length < parameters.threshold()) {
            throw refuse(new SecAggAbortedException("client " + id + " has only " + xs.length
                    + " neighbours left to hold shares of its secrets", id, xs.length, parameters.threshold()));
        }
        selfMaskSeed = new byte[SECRET_BYTES];
        random.nextBytes(selfMaskSeed);
        ShamirShare[] keyShares = ShamirSecretSharing.split(maskingKeys.secret(),
                parameters.threshold(), xs, random);
        ShamirShare[] seedShares = ShamirSecretSharing.split(selfMaskSeed, parameters.threshold(), xs, random);
        List<EncryptedShare> out = new ArrayList<>(xs.length);
        for (int i = 0; i < xs.length; i++) {
            int v = xs[i];
            KeyAdvertisement keys = holders.get(i);
            byte[] shared;
            try {
                shared = X25519.agree(encryptionKeys.secret(), keys.encryptionKey());
            } catch (IllegalArgumentException e) {
                throw refuse(new SecAggProtocolException("client " + v + " advertised an unusable encryption key: "
                        + e.getMessage(), v, e));
            }
            receiveKeys.put(v, KeyDerivation.shareKey(shared, setup.sessionId(), v, id));
            neighbourMaskingKeys.put(v, keys.maskingKey());
            byte[] sendKey = KeyDerivation.shareKey(shared, setup.sessionId(), id, v);
            byte[] nonce = new byte[ShareCipher.NONCE_BYTES];
            random.nextBytes(nonce);
            byte[] plaintext = encodeShares(keyShares[i], seedShares[i]);
            out.add(new EncryptedShare(id, v, nonce, ShareCipher.seal(sendKey, nonce,
                    KeyDerivation.shareAssociatedData(setup.sessionId(), id, v), plaintext)));
        }
        state = State.SHARED;
        return new ShareBundle(id, out);
    }

    /**
     * Round 2: opens its neighbours' shares and returns its masked input.
     *
     * @param input this client's vector in Z_{2^k}: {@code vectorLength} values in [0, 2^k)
     */
    public MaskedInput maskInput(ShareDelivery delivery, long[] input) {
        expect(State.SHARED, "maskInput");
        checkRecipient(delivery.recipient(), "share delivery");
        checkInput(input);
        for (EncryptedShare share : delivery.shares()) {
            int v = share.sender();
            byte[] key = receiveKeys.get(v);
            if (key == null) {
                throw refuse(new SecAggProtocolException("client " + id + " received shares from client " + v
                        + ", which was not in its key directory", v));
            }
            if (heldShares.containsKey(v)) {
                throw refuse(new SecAggProtocolException("client " + id + " received shares from client " + v
                        + " twice", v));
            }
            byte[] plaintext;
            try {
                plaintext = ShareCipher.open(key, share.nonce(),
                        KeyDerivation.shareAssociatedData(setup.sessionId(), v, id), share.ciphertext());
            } catch (AEADBadTagException e) {
                throw refuse(new SecAggProtocolException("encrypted shares from client " + v + " to client " + id
                        + " failed authentication (AES-GCM tag mismatch): the ciphertext, nonce or associated data"
                        + " were altered on the way, or client " + v + " used other keys; refusing them", v, e));
            }
            if (plaintext.length != SHARE_PLAINTEXT_BYTES) {
                throw refuse(new SecAggProtocolException("shares from client " + v + " hold " + plaintext.length
                        + " bytes, expected " + SHARE_PLAINTEXT_BYTES, v));
            }
            heldShares.put(v, decodeShares(plaintext));
        }
        if (heldShares.size() < parameters.threshold()) {
            throw refuse(new SecAggAbortedException("only " + heldShares.size() + " neighbours of client " + id
                    + " shared keys with it", id, heldShares.size(), parameters.threshold()));
        }
        long[] y = input.clone();
        // all masks on this thread, chunk by chunk: over parallel ranges (MaskPrg.applyAll, as the server strips
        // them) the 100-site harness measured no difference, since its sites share two cores
        List<MaskPrg.Mask> masks = new ArrayList<>(heldShares.size() + 1);
        masks.add(new MaskPrg.Mask(selfMaskSeed, false));
        byte[] maskingScalar = maskingKeys.secret();
        for (int v : heldShares.keySet()) {
            masks.add(new MaskPrg.Mask(KeyDerivation.pairwiseSeed(maskingScalar, neighbourMaskingKeys.get(v),
                    setup.sessionId(), id, v), id > v));
        }
        MaskPrg.applyInTurn(y, masks, parameters.ringBits());
        for (MaskPrg.Mask m : masks.subList(1, masks.size())) {
            Arrays.fill(m.seed(), (byte) 0);
        }
        long mask = parameters.ringMask();
        for (int i = 0; i < y.length; i++) {
            y[i] &= mask;
        }
        state = State.MASKED;
        return new MaskedInput(id, y);
    }

    /**
     * Round 3: reveals one share per listed neighbour, of its self-mask seed if it survived or of its mask key if
     * it dropped.
     *
     * @throws SecAggProtocolException if the request asks for both kinds of share of one client, names a client
     *                                 that did not share with this one, or comes a second time
     * @throws SecAggAbortedException  if fewer than {@code threshold} neighbours are reported to have submitted
     */
    public UnmaskResponse unmask(UnmaskRequest request) {
        if (state == State.DONE) {
            throw refuse(new SecAggProtocolException("client " + id + " already answered an unmask request in this"
                    + " round; a second request could collect both shares of a client, so it is refused", id));
        }
        expect(State.MASKED, "unmask");
        checkRecipient(request.recipient(), "unmask request");
        int[] surviving = request.survivingNeighbours();
        int[] dropped = request.droppedNeighbours();
        for (int v : surviving) {
            if (Arrays.binarySearch(dropped, v) >= 0) {
                throw refuse(new SecAggProtocolException("client " + id + " refuses the unmask request: it asks for both"
                        + " the self-mask share and the pairwise-mask key share of client " + v
                        + ", which together would unmask client " + v + "'s input", v));
            }
        }
        for (int[] list : new int[][] {surviving, dropped}) {
            for (int v : list) {
                if (!heldShares.containsKey(v)) {
                    throw refuse(new SecAggProtocolException("client " + id + " refuses the unmask request: it holds no"
                            + " shares of client " + v, v));
                }
            }
        }
        if (surviving.length < parameters.threshold()) {
            throw refuse(new SecAggAbortedException("client " + id + " refuses to unmask: the server reports only "
                    + surviving.length + " of its neighbours submitted", id, surviving.length, parameters.threshold()));
        }
        List<RevealedShare> out = new ArrayList<>(surviving.length + dropped.length);
        for (int v : surviving) {
            out.add(new RevealedShare(v, ShareKind.SELF_MASK_SEED, heldShares.get(v)[1]));
        }
        for (int v : dropped) {
            out.add(new RevealedShare(v, ShareKind.MASK_KEY, heldShares.get(v)[0]));
        }
        forgetSecrets();
        state = State.DONE;
        return new UnmaskResponse(id, out);
    }

    private void expect(State expected, String step) {
        if (state == State.REFUSED) {
            throw new IllegalStateException("client " + id + " refused an earlier message of this round and takes no"
                    + " further part; " + step + " is not allowed");
        }
        if (state != expected) {
            throw new IllegalStateException("client " + id + ": " + step + " is not allowed in state " + state
                    + " (expected " + expected + ")");
        }
    }

    private void checkRecipient(int recipient, String what) {
        if (recipient != id) {
            throw refuse(new SecAggProtocolException("client " + id + " received a " + what + " addressed to client "
                    + recipient, recipient));
        }
    }

    private void checkInput(long[] input) {
        if (input == null || input.length != parameters.vectorLength()) {
            throw new IllegalArgumentException("client " + id + ": input must hold " + parameters.vectorLength()
                    + " ring elements, got " + (input == null ? "none" : input.length));
        }
        long outside = 0;
        for (long v : input) {
            outside |= v;
        }
        if ((outside & ~parameters.ringMask()) != 0) {
            throw new IllegalArgumentException("client " + id + ": input holds values outside Z_2^"
                    + parameters.ringBits() + "; quantize it first");
        }
    }

    private <E extends SecAggException> E refuse(E e) {
        forgetSecrets();
        state = State.REFUSED;
        return e;
    }

    private void forgetSecrets() {
        if (selfMaskSeed != null) {
            Arrays.fill(selfMaskSeed, (byte) 0);
        }
        selfMaskSeed = null;
        if (encryptionKeys != null) {
            encryptionKeys.destroy();
            encryptionKeys = null;
        }
        if (maskingKeys != null) {
            maskingKeys.destroy();
            maskingKeys = null;
        }
        receiveKeys.clear();
        heldShares.clear();
    }

    private static byte[] encodeShares(ShamirShare keyShare, ShamirShare seedShare) {
        ByteBuffer b = ByteBuffer.allocate(SHARE_PLAINTEXT_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : keyShare.y()) {
            b.putLong(v);
        }
        for (long v : seedShare.y()) {
            b.putLong(v);
        }
        return b.array();
    }

    private static long[][] decodeShares(byte[] plaintext) {
        ByteBuffer b = ByteBuffer.wrap(plaintext).order(ByteOrder.LITTLE_ENDIAN);
        long[][] out = new long[2][SHARE_CHUNKS];
        for (int k = 0; k < 2; k++) {
            for (int c = 0; c < SHARE_CHUNKS; c++) {
                out[k][c] = b.getLong();
            }
        }
        return out;
    }
}
