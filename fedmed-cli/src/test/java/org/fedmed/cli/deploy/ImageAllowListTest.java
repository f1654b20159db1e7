package org.fedmed.cli.deploy;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.fedmed.core.FitConfig;
import org.fedmed.deploy.site.AllowListPolicy;
import org.fedmed.deploy.site.SiteConfig;
import org.fedmed.imaging.CnnSpec;
import org.fedmed.imaging.ImageModel;
import org.fedmed.imaging.ImageShape;
import org.fedmed.ml.ModelSpec;
import org.fedmed.transport.TaskKind;
import org.fedmed.transport.site.PolicyDecision;
import org.fedmed.transport.site.TaskOffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A site's allow-list names the CNN specs it trains, read from its site.yaml through the image spec family, and
 * refuses a CNN over its parameter cap naming {@code max_parameters} and both numbers.
 */
class ImageAllowListTest {

    static final String SIMPLE_CNN = "{type: cnn, conv: [{channels: 6, kernel: 5, pool: max},"
            + " {channels: 16, kernel: 5, pool: max}], dense: [120, 84], optimizer: {type: sgd, momentum: 0.9}}";

    static SiteConfig site(Path dir, long maxParameters) throws Exception {
        Path file = dir.resolve("site.yaml");
        Files.writeString(file, """
                kit: kit
                data: {dataset: heart-disease}
                allow:
                  strategies: [fedavg]
                  model_specs:
                    - %s
                  max_parameters: %d
                """.formatted(SIMPLE_CNN, maxParameters));
        return SiteConfig.load(file);
    }

    static TaskOffer fit(ModelSpec spec, ImageModel model) {
        return new TaskOffer("r1-fit-a", TaskKind.FIT, 1, model.layout(), 4L * model.parameterCount(), "fedavg",
                spec.toJson(), new FitConfig(1, 32, 0.01, false, 1));
    }

    @Test
    void aCnnNamedInSiteYamlIsApprovedAndAnotherIsRefusedNamingBoth(@TempDir Path dir) throws Exception {
        SiteConfig config = site(dir, 100_000);
        ModelSpec approved = config.allow().modelSpecs().getFirst();
        assertEquals(CnnSpec.simpleCnn().withOptimizer(new org.fedmed.ml.OptimizerSpec.Sgd(0.9)), approved);
        AllowListPolicy policy = new AllowListPolicy(config.allow());
        ImageModel model = ImageModel.build((CnnSpec) approved, new ImageShape(1, 28, 28), 10);
        TaskOffer offer = fit(approved, model);
        assertTrue(policy.review(offer).accepted(), policy.review(offer).reason());
        assertEquals(Optional.of(approved), policy.approvedSpec(offer));

        ModelSpec wider = ModelSpec.parse(SIMPLE_CNN.replace("channels: 16", "channels: 32"));
        PolicyDecision d = policy.review(fit(wider, ImageModel.build((CnnSpec) wider, new ImageShape(1, 28, 28), 10)));
        assertFalse(d.accepted());
        assertTrue(d.reason().startsWith("model spec " + wider.toJson() + " is not approved; this site trains only"
                + " approved specs [" + approved.toJson() + "]"), d.reason());
    }

    @Test
    void aCnnOverTheParameterCapIsRefusedNamingTheKeyAndTheNumbers(@TempDir Path dir) throws Exception {
        SiteConfig config = site(dir, 40_000);
        ModelSpec approved = config.allow().modelSpecs().getFirst();
        // NIID-Bench's simple-cnn on 1x28x28 images with 10 classes has 44,426 parameters
        ImageModel model = ImageModel.build((CnnSpec) approved, new ImageShape(1, 28, 28), 10);
        PolicyDecision d = new AllowListPolicy(config.allow()).review(fit(approved, model));
        assertFalse(d.accepted());
        assertEquals("the model has 44426 parameters; this site allows at most 40000 (max_parameters)", d.reason());
    }
}
