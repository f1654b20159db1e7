package org.fedmed.deploy.site;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import org.fedmed.core.FitConfig;
import org.fedmed.core.LocalTerm;
import org.fedmed.ml.ModelSpec;
import org.fedmed.transport.TaskKind;
import org.fedmed.transport.site.PolicyDecision;
import org.fedmed.transport.site.TaskOffer;
import org.junit.jupiter.api.Test;

/** A deployed site's allow-list has no personalization caps yet, so it refuses FedPer and Ditto fits by name. */
class AllowListPersonalizationTest {

    final AllowListPolicy policy = new AllowListPolicy(AllowListPolicyTest.ALLOW);

    static TaskOffer fit(LocalTerm term) {
        return new TaskOffer("r1-fit-cleveland", TaskKind.FIT, 1, AllowListPolicyTest.layout(10), 40, "fedavg",
                ModelSpec.logistic().toJson(), new FitConfig(1, 16, 0.05, false, 3).withTerms(List.of(term)));
    }

    @Test
    void aDittoOrFedPerFitIsRefusedNamingTheTerm() {
        PolicyDecision ditto = policy.review(fit(new LocalTerm.Ditto(0.5)));
        assertFalse(ditto.accepted());
        assertEquals("the fit asks for personalization 'ditto v1 [0.5]'; this site's allow-list permits no"
                + " personalization", ditto.reason());
        PolicyDecision fedPer = policy.review(fit(new LocalTerm.PersonalLayers(List.of(0))));
        assertFalse(fedPer.accepted());
        assertEquals("the fit asks for personalization 'personal_layers v1 [0.0]'; this site's allow-list permits"
                + " no personalization", fedPer.reason());
    }
}
