package org.fedmed.cli.deploy;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import org.fedmed.core.exchange.ExchangeParticipant;
import org.fedmed.core.exchange.ExchangeParticipants;
import org.fedmed.core.exchange.ExchangeRefusedException;
import org.fedmed.core.exchange.ExchangeStage;
import org.fedmed.data.registry.DatasetRegistry;
import org.fedmed.deploy.site.SiteConfig;
import org.fedmed.deploy.site.SiteProcess;
import org.fedmed.pki.KeyFilePolicy;
import org.fedmed.secagg.RandomnessSource;
import org.fedmed.secagg.exchange.SecureSumParticipants;

/**
 * A site process as {@code fedmed site --once --config FILE} runs it (the real {@link SiteProcess} and its own secagg
 * client), whose JVM halts at once, as {@code kill -9} would stop it, when the masked-input stage of round 1's secure
 * sum reaches it: after it has advertised its keys and shared them, before it sends its masked update.
 */
public final class SiteKilledBeforeMaskedInput {

    /** What it prints just before it halts. */
    static final String HALTING = "halting before the masked input of round 1";

    private SiteKilledBeforeMaskedInput() {
    }

    public static void main(String[] args) throws Exception {
        SiteConfig config = SiteConfig.load(Path.of(args[0]));
        PrintWriter out = new PrintWriter(System.out, true);
        ExchangeParticipants own = new SecureSumParticipants(RandomnessSource.system());
        ExchangeParticipants halting = (task, update) -> {
            ExchangeParticipant inner = own.open(task, update);
            return new ExchangeParticipant() {
                @Override
                public byte[] answer(ExchangeStage stage, byte[] body) throws ExchangeRefusedException {
                    if (stage == ExchangeStage.MASKED_INPUT && task.round() == 1) {
                        out.println(HALTING);
                        out.flush();
                        Runtime.getRuntime().halt(137);
                    }
                    return inner.answer(stage, body);
                }

                @Override
                public boolean finished() {
                    return inner.finished();
                }
            };
        };
        SiteProcess site = SiteProcess.start(config, new DatasetRegistry(List.of()), out,
                KeyFilePolicy.REQUIRE_OWNER_ONLY, halting);
        int status = site.serve(true);
        site.close();
        System.exit(status);
    }
}
