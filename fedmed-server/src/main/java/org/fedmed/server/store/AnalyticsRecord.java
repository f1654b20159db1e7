package org.fedmed.server.store;

import java.time.Instant;

/**
 * One stored analytics result: the JSON report of an analytics exchange (the same document its
 * {@code --analytics FILE} holds), the dataset it describes, and when it was recorded.
 */
public record AnalyticsRecord(long id, Instant created, String dataset, String resultJson) {
    public AnalyticsRecord {
        if (created == null || dataset == null || dataset.isBlank() || resultJson == null) {
            throw new IllegalArgumentException("analytics result " + id + ": created, dataset and resultJson are"
                    + " required");
        }
    }
}
