package org.fedmed.secagg.message;

import java.util.Arrays;

/** One share a surviving client reveals in round 3: its share of {@code owner}'s secret of the given kind. */
public record RevealedShare(int owner, ShareKind kind, long[] value) {
    public RevealedShare {
        Ids.check(owner, "owner");
        if (kind == null) {
            throw new IllegalArgumentException("revealed share of client " + owner + " has no kind");
        }
        if (value == null || value.length == 0) {
            throw new IllegalArgumentException("revealed share of client " + owner + " is empty");
        }
        value = value.clone();
    }

    @Override
    public long[] value() {
        return value.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RevealedShare r && owner == r.owner && kind == r.kind && Arrays.equals(value, r.value);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * owner + kind.hashCode()) + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return "RevealedShare[owner=" + owner + ", " + kind + "]";
    }
}
