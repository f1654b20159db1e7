package org.fedmed.secagg.crypto;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Curve25519 scalar multiplication on the system's libsodium ({@code crypto_scalarmult} and
 * {@code crypto_scalarmult_base}), called through the JDK's foreign-function interface on the Java arrays themselves
 * (critical calls: no copy, no native buffer that would keep a secret). It is used only if the library loads, its
 * {@code sodium_init} succeeds and it reproduces RFC 7748's test vectors; otherwise {@link #load} is empty and says
 * why in {@link #unavailableReason}.
 */
final class SodiumCurve25519 implements Curve25519 {

    /** Names tried in turn: Debian's and Ubuntu's packaged soname first, then the unversioned name. */
    private static final List<String> LIBRARY_NAMES = List.of("libsodium.so.23", "libsodium.so.26", "libsodium.so",
            "libsodium.dylib");

    private static final Loaded LOADED = tryLoad();

    private record Loaded(SodiumCurve25519 curve, String reason) {
    }

    private final MethodHandle scalarmult;
    private final MethodHandle scalarmultBase;

    private SodiumCurve25519(MethodHandle scalarmult, MethodHandle scalarmultBase) {
        this.scalarmult = scalarmult;
        this.scalarmultBase = scalarmultBase;
    }

    /** libsodium's implementation, if it can be used in this process. */
    static Optional<Curve25519> load() {
        return Optional.ofNullable(LOADED.curve());
    }

    /** Why libsodium cannot be used here, or null if it can. */
    static String unavailableReason() {
        return LOADED.reason();
    }

    // libsodium reads and writes exactly 32 bytes at each address: a shorter array would be read past its end
    @Override
    public boolean multiply(byte[] scalar, byte[] u, byte[] out) {
        X25519.checkLength(scalar, "scalar");
        X25519.checkLength(u, "u-coordinate");
        X25519.checkLength(out, "output");
        try {
            return (int) scalarmult.invokeExact(MemorySegment.ofArray(out), MemorySegment.ofArray(scalar),
                    MemorySegment.ofArray(u)) == 0;
        } catch (Throwable t) {
            throw new IllegalStateException("libsodium crypto_scalarmult failed: " + t, t);
        }
    }

    @Override
    public void multiplyBase(byte[] scalar, byte[] out) {
        X25519.checkLength(scalar, "scalar");
        X25519.checkLength(out, "output");
        int rc;
        try {
            rc = (int) scalarmultBase.invokeExact(MemorySegment.ofArray(out), MemorySegment.ofArray(scalar));
        } catch (Throwable t) {
            throw new IllegalStateException("libsodium crypto_scalarmult_base failed: " + t, t);
        }
        if (rc != 0) {
            throw new IllegalStateException("libsodium crypto_scalarmult_base returned " + rc);
        }
    }

    @Override
    public String name() {
        return "libsodium";
    }

    private static Loaded tryLoad() {
        SymbolLookup library = null;
        StringBuilder tried = new StringBuilder();
        for (String name : LIBRARY_NAMES) {
            try {
                library = SymbolLookup.libraryLookup(name, Arena.global());
                break;
            } catch (IllegalArgumentException | IllegalCallerException e) {
                tried.append(tried.isEmpty() ? "" : ", ").append(name).append(": ").append(e.getMessage());
            }
        }
        if (library == null) {
            return new Loaded(null, "no libsodium could be loaded (" + tried + ")");
        }
        try {
            Linker linker = Linker.nativeLinker();
            MethodHandle init = linker.downcallHandle(library.findOrThrow("sodium_init"),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT));
            int rc = (int) init.invokeExact();
            if (rc < 0) {
                return new Loaded(null, "libsodium's sodium_init returned " + rc);
            }
            // critical: the arrays are passed as they are, and the call is short (tens of microseconds)
            MethodHandle scalarmult = linker.downcallHandle(library.findOrThrow("crypto_scalarmult"),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS,
                            ValueLayout.ADDRESS), Linker.Option.critical(true));
            MethodHandle base = linker.downcallHandle(library.findOrThrow("crypto_scalarmult_base"),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS),
                    Linker.Option.critical(true));
            SodiumCurve25519 curve = new SodiumCurve25519(scalarmult, base);
            String wrong = selfTest(curve);
            return wrong == null ? new Loaded(curve, null) : new Loaded(null, "libsodium " + wrong);
        } catch (Throwable t) {
            return new Loaded(null, "libsodium could not be bound: " + t);
        }
    }

    /** RFC 7748 section 6.1's key pair and shared secret, and section 5.2's first vector; null if all match. */
    private static String selfTest(Curve25519 curve) {
        HexFormat hex = HexFormat.of();
        byte[] alice = hex.parseHex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
        byte[] bobPublic = hex.parseHex("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f");
        byte[] out = new byte[32];
        curve.multiplyBase(alice, out);
        if (!hex.formatHex(out).equals("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a")) {
            return "computed a wrong public key for RFC 7748's test vector";
        }
        if (!curve.multiply(alice, bobPublic, out)
                || !hex.formatHex(out).equals("4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742")) {
            return "computed a wrong shared secret for RFC 7748's test vector";
        }
        if (!curve.multiply(hex.parseHex("a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4"),
                hex.parseHex("e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c"), out)
                || !hex.formatHex(out).equals("c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552")) {
            return "computed a wrong result for RFC 7748's scalar-multiplication vector";
        }
        return null;
    }
}
