package org.fedmed.sim;

import java.util.function.Function;
import org.fedmed.core.EvalResult;
import org.fedmed.core.EvalTask;
import org.fedmed.core.FitResult;
import org.fedmed.core.FitTask;
import org.fedmed.core.SiteClient;
import org.fedmed.data.federated.SiteData;

/**
 * A population's virtual site as the in-process pool holds it: its data, built once, and a fresh client for every
 * task, so that what a site answers never depends on whether the pool kept it between rounds (a training client
 * carries its batch cursor from fit to fit under {@code local_steps}; a virtual site starts each fit afresh).
 */
final class VirtualSiteClient implements SiteClient {

    private final SiteData data;
    private final Function<SiteData, SiteClient> client;

    /** @param client the client a task of this site's is run by, made anew for each task */
    VirtualSiteClient(SiteData data, Function<SiteData, SiteClient> client) {
        this.data = data;
        this.client = client;
    }

    @Override
    public String siteId() {
        return data.siteId();
    }

    @Override
    public FitResult fit(FitTask task) throws Exception {
        return client.apply(data).fit(task);
    }

    @Override
    public EvalResult evaluate(EvalTask task) throws Exception {
        return client.apply(data).evaluate(task);
    }
}
