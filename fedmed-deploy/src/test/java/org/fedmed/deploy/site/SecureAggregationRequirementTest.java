package org.fedmed.deploy.site;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.fedmed.core.FitConfig;
import org.fedmed.core.ParameterLayout;
import org.fedmed.core.UpdateRelease;
import org.fedmed.ml.ModelSpec;
import org.fedmed.transport.TaskKind;
import org.fedmed.transport.site.PolicyDecision;
import org.fedmed.transport.site.TaskOffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A site with require_secure_aggregation takes part only in rounds whose fits keep its update for a secure sum. */
class SecureAggregationRequirementTest {

    @TempDir
    Path dir;

    static TaskOffer fit(UpdateRelease release) {
        return new TaskOffer("r1-fit-cleveland", TaskKind.FIT, 1, ParameterLayout.of(List.of("w"),
                List.<int[]>of(new int[] {10})), 40, "fedavg+secagg+", ModelSpec.logistic().toJson(),
                new FitConfig(1, 16, 0.05, false, 3), List.of(), "", release);
    }

    SiteConfig load(String extra) throws IOException {
        Path file = dir.resolve("site.yaml");
        Files.writeString(file, """
                kit: kit
                data:
                  dataset: heart-disease
                allow:
                  strategies: [fedavg+secagg+]
                  model_specs:
                    - {type: logistic}
                """ + extra);
        return SiteConfig.load(file);
    }

    @Test
    void theKeyIsReadAndOffByDefault() throws IOException {
        assertFalse(load("").requireSecureAggregation());
        assertTrue(load("require_secure_aggregation: true\n").requireSecureAggregation());
        assertTrue(load("require_secure_aggregation: true\n").policy().requiresSecureAggregation());
    }

    @Test
    void aPlainFitIsRefusedNamingTheKeyAndASecureOneAccepted() throws IOException {
        AllowListPolicy policy = load("require_secure_aggregation: true\n").policy();
        PolicyDecision plain = policy.review(fit(UpdateRelease.CLEAR));
        assertFalse(plain.accepted());
        assertEquals("the fit would send this site's update to the server in the clear; this site takes part only in"
                + " rounds with secure aggregation (require_secure_aggregation: true)", plain.reason());
        assertTrue(policy.review(fit(UpdateRelease.SECURE_SUM)).accepted());
    }

    @Test
    void withoutTheKeyBothKindsOfFitAreAccepted() throws IOException {
        AllowListPolicy policy = load("").policy();
        assertTrue(policy.review(fit(UpdateRelease.CLEAR)).accepted());
        assertTrue(policy.review(fit(UpdateRelease.SECURE_SUM)).accepted());
    }

    @Test
    void evaluationsAreNotAffected() throws IOException {
        AllowListPolicy policy = load("require_secure_aggregation: true\n").policy();
        TaskOffer eval = new TaskOffer("r1-eval-cleveland", TaskKind.EVALUATE, 1, ParameterLayout.of(List.of("w"),
                List.<int[]>of(new int[] {10})), 40, "fedavg+secagg+", ModelSpec.logistic().toJson(), null);
        assertTrue(policy.review(eval).accepted());
    }
}
