package org.fedmed.core.strategy;

import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.RandomAccess;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.IntFunction;
import java.util.function.ToIntFunction;

/**
 * The ids of the sites a round may draw from, as an immutable list in sorted order without repeats, whose ids may
 * be computed on demand rather than held: a population of a million virtual sites is offered as this view, and
 * {@link SiteSelection} and the DP site samplers then draw positions ({@link IndexSampling}) and read only the ids
 * they drew, so a round costs what it samples, not what the population holds. {@link RoundContext} keeps such a
 * view as it is instead of copying it.
 *
 * <p>What a caller may rely on: {@link #get} is O(1) and returns ids in ascending {@link String#compareTo} order;
 * {@link #indexOf} and {@link #contains} answer without iterating; mutators throw. Iterating the view, or copying
 * it into another list, computes every id: code that must stay cheap for a population reads it by position only.
 */
public abstract class SortedSiteIds extends AbstractList<String> implements RandomAccess {

    /** The position of {@code siteId} in this view, or -1 when it is not one of its ids; never iterates. */
    public abstract int position(String siteId);

    @Override
    public final int indexOf(Object o) {
        return o instanceof String s ? position(s) : -1;
    }

    @Override
    public final int lastIndexOf(Object o) {
        return indexOf(o);
    }

    @Override
    public final boolean contains(Object o) {
        return indexOf(o) >= 0;
    }

    /** The ids at the given positions, which must be ascending; a list of exactly those ids, in order. */
    public List<String> at(int[] positions) {
        String[] out = new String[positions.length];
        for (int i = 0; i < positions.length; i++) {
            if (i > 0 && positions[i] <= positions[i - 1]) {
                throw new IllegalArgumentException("positions must be ascending, got " + positions[i - 1] + " then "
                        + positions[i]);
            }
            out[i] = get(positions[i]);
        }
        return List.of(out);
    }

    /**
     * A view of {@code size} ids computed by {@code idAt}, which must give ascending, distinct ids for positions
     * 0..size-1, with {@code positionOf} its inverse (-1 for an id that is none of them; a position outside
     * 0..size-1 is taken as -1 too).
     */
    public static SortedSiteIds computed(int size, IntFunction<String> idAt, ToIntFunction<String> positionOf) {
        if (size < 0) {
            throw new IllegalArgumentException("site id view size must be >= 0, got " + size);
        }
        return new SortedSiteIds() {
            @Override
            public int size() {
                return size;
            }

            @Override
            public String get(int index) {
                if (index < 0 || index >= size) {
                    throw new IndexOutOfBoundsException("site position " + index + " outside 0.." + (size - 1));
                }
                return idAt.apply(index);
            }

            @Override
            public int position(String siteId) {
                if (siteId == null) {
                    return -1;
                }
                int p = positionOf.applyAsInt(siteId);
                return p >= 0 && p < size ? p : -1;
            }
        };
    }

    /** A view holding a sorted copy of {@code ids}, without repeats. */
    public static SortedSiteIds of(Collection<String> ids) {
        String[] sorted = new TreeSet<>(ids).toArray(new String[0]);
        return computed(sorted.length, i -> sorted[i], id -> {
            int at = Arrays.binarySearch(sorted, id);
            return at >= 0 ? at : -1;
        });
    }

    /**
     * This view less {@code removed} (ids it does not hold are ignored); O(removed) per {@code get}, so for the few
     * sites a round drops.
     */
    public SortedSiteIds without(Set<String> removed) {
        int[] gone = removed.stream().mapToInt(this::position).filter(p -> p >= 0).sorted().toArray();
        if (gone.length == 0) {
            return this;
        }
        SortedSiteIds all = this;
        return computed(size() - gone.length, i -> {
            int at = i;
            for (int g : gone) {
                if (g <= at) {
                    at++;
                } else {
                    break;
                }
            }
            return all.get(at);
        }, id -> {
            int p = all.position(id);
            if (p < 0 || Arrays.binarySearch(gone, p) >= 0) {
                return -1;
            }
            int before = -Arrays.binarySearch(gone, p) - 1;
            return p - before;
        });
    }

    /**
     * {@code sites} less {@code removed}: a view stays a view ({@link #without}), any other list is copied without
     * them, in its order.
     */
    public static List<String> except(List<String> sites, Set<String> removed) {
        if (sites instanceof SortedSiteIds ids) {
            return ids.without(removed);
        }
        List<String> out = new ArrayList<>(sites);
        out.removeAll(removed);
        return out;
    }
}
