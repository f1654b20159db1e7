package org.fedmed.core.engine;

/** Receives the outcome of each dispatched task, success or failure, exactly once per task. */
public interface OutcomeSink<R> {
    void success(R result);

    void failure(SiteFailure failure);
}
