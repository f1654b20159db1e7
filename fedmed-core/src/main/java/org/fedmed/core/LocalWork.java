package org.fedmed.core;

/**
 * How much a site trains in one fit: a number of local epochs (every training row once per epoch, in batches), or
 * a number of mini-batch steps whatever the site's row count. A fit asks for exactly one of the two, so the config
 * keys {@code local_epochs} and {@code local_steps} exclude each other. With steps, a site's data order carries
 * over from one fit to the next (see {@code org.fedmed.ml.BatchCursor}), so S steps per round over R rounds visit
 * the same rows as R * S consecutive steps would.
 */
public sealed interface LocalWork extends java.io.Serializable permits LocalWork.Epochs, LocalWork.Steps {

    /** The config and wire key of this kind of work: {@code local_epochs} or {@code local_steps}. */
    String key();

    /** How many epochs or steps, >= 1. */
    int count();

    /**
     * The optimizer steps this work takes over {@code rows} training rows in batches of {@code batchSize}: for
     * epochs {@code count * ceil(rows / min(batchSize, rows))}, for steps {@code count}.
     */
    long stepsOver(int rows, int batchSize);

    /** For messages: "2 local epochs", "100 local steps". */
    default String describe() {
        return count() + " " + key().replace('_', ' ');
    }

    /** E local epochs. */
    static LocalWork epochs(int count) {
        return new Epochs(count);
    }

    /** S local mini-batch steps. */
    static LocalWork steps(int count) {
        return new Steps(count);
    }

    /** E passes over the site's training rows, each in a fresh shuffled order; the last batch of a pass may be smaller. */
    record Epochs(int count) implements LocalWork {
        public Epochs {
            if (count < 1) {
                throw new IllegalArgumentException("local_epochs must be >= 1, got " + count);
            }
        }

        @Override
        public String key() {
            return "local_epochs";
        }

        @Override
        public long stepsOver(int rows, int batchSize) {
            if (rows < 1 || batchSize < 1) {
                throw new IllegalArgumentException("rows and batch size must be >= 1, got " + rows + " and " + batchSize);
            }
            int batch = Math.min(batchSize, rows);
            return (long) count * ((rows + batch - 1) / batch);
        }
    }

    /**
     * S mini-batch steps, continuing the site's shuffled order where its previous fit stopped; a pass's last batch
     * holds the rows left in that pass (so it may be smaller), and the next step starts a new shuffled pass.
     */
    record Steps(int count) implements LocalWork {
        public Steps {
            if (count < 1) {
                throw new IllegalArgumentException("local_steps must be >= 1, got " + count);
            }
        }

        @Override
        public String key() {
            return "local_steps";
        }

        @Override
        public long stepsOver(int rows, int batchSize) {
            return count;
        }
    }
}
