package org.fedmed.secagg.crypto;

/** Curve25519 scalar multiplication on Bouncy Castle's constant-time, pure-Java RFC 7748 code; always available. */
final class BouncyCastleCurve25519 implements Curve25519 {

    static final BouncyCastleCurve25519 INSTANCE = new BouncyCastleCurve25519();

    private BouncyCastleCurve25519() {
    }

    @Override
    public boolean multiply(byte[] scalar, byte[] u, byte[] out) {
        return org.bouncycastle.math.ec.rfc7748.X25519.calculateAgreement(scalar, 0, u, 0, out, 0);
    }

    @Override
    public void multiplyBase(byte[] scalar, byte[] out) {
        org.bouncycastle.math.ec.rfc7748.X25519.generatePublicKey(scalar, 0, out, 0);
    }

    @Override
    public String name() {
        return "bouncycastle";
    }
}
