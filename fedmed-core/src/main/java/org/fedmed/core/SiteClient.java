package org.fedmed.core;

/**
 * A site: it holds its data and answers fit and evaluate tasks with parameters and aggregate metrics.
 * The same interface is implemented in-process for simulation and behind a network connection in
 * deployment, so the round engine cannot tell the two apart. Implementations must never return rows.
 */
public interface SiteClient {
    String siteId();

    FitResult fit(FitTask task) throws Exception;

    EvalResult evaluate(EvalTask task) throws Exception;
}
