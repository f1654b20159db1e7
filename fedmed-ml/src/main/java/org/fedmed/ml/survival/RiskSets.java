package org.fedmed.ml.survival;

/**
 * The risk-set arithmetic of both {@link CoxLoss}es over one batch: the rows are ordered by time, longest first
 * (a stable sort, so tied rows keep their batch order), and every risk set is a prefix of that order, up to the end
 * of the row's group of tied times ({@link CoxLoss#BRESLOW}) or up to the row itself
 * ({@link CoxLoss#FLAMBY_BATCH}). Prefix sums give the loss in one pass and suffix sums the gradient in a second.
 * Weights are {@code exp(eta - max eta)}, so nothing overflows.
 */
final class RiskSets {

    private RiskSets() {
    }

    /**
     * The loss's sum over the first {@code n} rows of the arrays (not divided by n), with {@code dEta} overwritten by
     * its gradient with respect to each row's eta (also not divided). {@code order}, {@code scratch} and
     * {@code weight} are scratch space of at least n.
     */
    static double lossAndGradient(CoxLoss loss, double[] eta, double[] time, boolean[] event, int n, double[] dEta,
                                  int[] order, int[] scratch, double[] weight) {
        if (n == 0) {
            return 0;
        }
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        sortByTimeDescending(order, scratch, time, n);
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            max = Math.max(max, eta[i]);
        }
        boolean breslow = loss == CoxLoss.BRESLOW;
        double sum = 0;
        double total = 0;
        // pass 1: prefix sums through each group; dEta[group's first position] temporarily holds D_g / S_g
        int p = 0;
        while (p < n) {
            int q = p + 1;
            if (breslow) {
                while (q < n && time[order[q]] == time[order[p]]) {
                    q++;
                }
            }
            int events = 0;
            double etaOfEvents = 0;
            for (int i = p; i < q; i++) {
                int r = order[i];
                double w = Math.exp(eta[r] - max);
                weight[r] = w;
                sum += w;
                if (event[r]) {
                    events++;
                    etaOfEvents += eta[r];
                }
            }
            if (events > 0) {
                if (!(sum > 0) || !Double.isFinite(sum)) {
                    throw new IllegalStateException("Cox loss: a risk set's weights underflow (risk scores spread"
                            + " over more than the range of double, largest " + max + "); the model has diverged:"
                            + " lower the learning rate");
                }
                total += events * (max + Math.log(sum)) - etaOfEvents;
            }
            dEta[order[p]] = events == 0 ? 0 : events / sum;
            p = q;
        }
        // pass 2: suffix sums of D_g / S_g over the groups whose risk set holds each row
        double acc = 0;
        int end = n;
        while (end > 0) {
            int start = end - 1;
            if (breslow) {
                while (start > 0 && time[order[start - 1]] == time[order[end - 1]]) {
                    start--;
                }
            }
            acc += dEta[order[start]];
            for (int i = start; i < end; i++) {
                int r = order[i];
                dEta[r] = weight[r] * acc - (event[r] ? 1 : 0);
            }
            end = start;
        }
        return total;
    }

    /** Stable merge sort of {@code order[0..n)} by {@code time[order[i]]}, longest first. */
    static void sortByTimeDescending(int[] order, int[] scratch, double[] time, int n) {
        for (int width = 1; width < n; width *= 2) {
            for (int lo = 0; lo < n - width; lo += 2 * width) {
                int mid = lo + width;
                int hi = Math.min(lo + 2 * width, n);
                int a = lo;
                int b = mid;
                int k = lo;
                while (a < mid && b < hi) {
                    // take from the left run unless the right one's time is strictly longer: stable
                    scratch[k++] = time[order[b]] > time[order[a]] ? order[b++] : order[a++];
                }
                while (a < mid) {
                    scratch[k++] = order[a++];
                }
                while (b < hi) {
                    scratch[k++] = order[b++];
                }
                System.arraycopy(scratch, lo, order, lo, hi - lo);
            }
        }
    }
}
