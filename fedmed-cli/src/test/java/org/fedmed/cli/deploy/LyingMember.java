package org.fedmed.cli.deploy;

import java.util.Map;
import org.fedmed.core.EvalResult;
import org.fedmed.core.EvalTask;
import org.fedmed.core.FitResult;
import org.fedmed.core.FitTask;
import org.fedmed.core.SiteClient;
import org.fedmed.pki.SiteKit;

/**
 * A member with a valid certificate that lies about its size: it sends the global model back unchanged (an update
 * of norm zero, under any bound), claims a billion training and test examples (or as many as it is told), and
 * reports a perfect evaluation (or the AUC it is told).
 */
final class LyingMember implements SiteClient, AutoCloseable {

    static final long CLAIMED = 1_000_000_000L;

    private final String id;
    private final long claimed;
    private final double auc;
    private final MemberConnection connection;

    LyingMember(SiteKit kit) throws Exception {
        this(kit, CLAIMED, 1.0);
    }

    /** A member that claims {@code claimed} examples and reports an AUC of {@code auc}. */
    LyingMember(SiteKit kit, long claimed, double auc) throws Exception {
        this.id = kit.site();
        this.claimed = claimed;
        this.auc = auc;
        this.connection = new MemberConnection(kit, this);
    }

    @Override
    public String siteId() {
        return id;
    }

    @Override
    public FitResult fit(FitTask task) {
        return new FitResult(id, task.taskId(), task.global(), false, claimed, 1.0, Map.of("loss", 0.0));
    }

    @Override
    public EvalResult evaluate(EvalTask task) {
        return new EvalResult(id, task.taskId(), claimed, Map.of("roc_auc", auc, "log_loss", 0.0, "accuracy", auc));
    }

    @Override
    public void close() {
        connection.close();
    }
}
