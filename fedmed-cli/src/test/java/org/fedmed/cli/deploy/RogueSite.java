package org.fedmed.cli.deploy;

import java.util.List;
import java.util.Map;
import org.fedmed.core.EvalResult;
import org.fedmed.core.EvalTask;
import org.fedmed.core.FitResult;
import org.fedmed.core.FitTask;
import org.fedmed.core.ModelParameters;
import org.fedmed.core.SiteClient;
import org.fedmed.core.Tensor;
import org.fedmed.pki.SiteKit;

/**
 * A member site gone bad, dialing a server process with its real startup kit: in round 1 it sends an update
 * holding NaN, in round 2 one of the wrong shape, and after that one whose norm is far above the server's bound.
 * It refuses to evaluate.
 */
final class RogueSite implements SiteClient, AutoCloseable {

    private final String id;
    private final MemberConnection connection;

    RogueSite(SiteKit kit) throws Exception {
        this.id = kit.site();
        this.connection = new MemberConnection(kit, this);
    }

    @Override
    public String siteId() {
        return id;
    }

    @Override
    public FitResult fit(FitTask task) {
        ModelParameters global = task.global();
        float[] flat = global.copyFlat();
        ModelParameters update;
        if (task.round() == 1) {
            flat[0] = Float.NaN;
            update = ModelParameters.ofFlat(global.layout(), flat);
        } else if (task.round() == 2) {
            update = ModelParameters.of(List.of(new Tensor("w", new int[]{3}, new float[3])));
        } else {
            for (int i = 0; i < flat.length; i++) {
                flat[i] += 1e4f;
            }
            update = ModelParameters.ofFlat(global.layout(), flat);
        }
        return new FitResult(id, task.taskId(), update, false, 100, 1.0, Map.of());
    }

    @Override
    public EvalResult evaluate(EvalTask task) {
        throw new IllegalStateException("this site does not evaluate");
    }

    @Override
    public void close() {
        connection.close();
    }
}
