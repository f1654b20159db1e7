package org.fedmed.core.filter;

import java.util.List;
import org.fedmed.core.EvalResult;
import org.fedmed.core.EvalTask;
import org.fedmed.core.FitResult;
import org.fedmed.core.FitTask;
import org.fedmed.core.SiteClient;

/**
 * A site whose updates pass through site-side filters before they leave it (local clipping and noise, say).
 * A filter that refuses the update makes the fit fail, so nothing unfiltered is ever sent.
 */
public final class FilteredSiteClient implements SiteClient {

    private final SiteClient inner;
    private final List<UpdateFilter> outbound;

    public FilteredSiteClient(SiteClient inner, List<UpdateFilter> outbound) {
        this.inner = inner;
        this.outbound = List.copyOf(outbound);
    }

    @Override
    public String siteId() {
        return inner.siteId();
    }

    @Override
    public FitResult fit(FitTask task) throws Exception {
        FitResult r = inner.fit(task);
        for (UpdateFilter f : outbound) {
            r = f.apply(r, task.global());
        }
        return r;
    }

    @Override
    public EvalResult evaluate(EvalTask task) throws Exception {
        return inner.evaluate(task);
    }
}
