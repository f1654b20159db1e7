package org.fedmed.plan;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;
import org.fedmed.core.LocalTerm;
import org.fedmed.core.LocalWork;
import org.fedmed.core.ParameterLayout;

/**
 * The {@code personalization:} section of a config: how each site gets a model of its own, evaluated in the
 * {@code personalized} regime next to the global model ({@code federated}) and local-only training ({@code local}).
 * <ul>
 *   <li>{@code kind: finetune}: after the federated run, each site trains the final global model for
 *       {@code epochs} local epochs on its own training rows ({@code epochs} 0 here, its default, means one round's
 *       local work: {@code local_epochs} or {@code local_steps});</li>
 *   <li>{@code kind: fedper}: the tensors whose names start with one of {@code personal_layers} (say
 *       {@code dense1.} for the last dense layer of a one-hidden-layer MLP) stay at each site
 *       ({@link LocalTerm.PersonalLayers});</li>
 *   <li>{@code kind: ditto}: each site also trains a personal model pulled toward the global one with weight
 *       {@code lambda > 0} ({@link LocalTerm.Ditto}).</li>
 * </ul>
 * A key that does not belong to the kind is refused naming it. Every value is present and checked: {@code epochs}
 * is 0 unless the kind is finetune, {@code personalLayers} is empty unless it is fedper, {@code lambda} is 0 unless
 * it is ditto. It is bound from, and written as, a private document of optional keys.
 */
public record PersonalizationSettings(PersonalizationKind kind, int epochs, List<String> personalLayers,
                                      double lambda) {

    /** The section's name in a config. */
    public static final String SECTION = "personalization";

    public PersonalizationSettings {
        Objects.requireNonNull(kind, "kind");
        personalLayers = List.copyOf(Objects.requireNonNull(personalLayers, "personalLayers (empty for none)"));
        require(epochs >= 0, "epochs", "must be >= 1 (or left out for one round's local work), got " + epochs);
        require(kind == PersonalizationKind.FINETUNE || epochs == 0, "epochs",
                "is only used with kind: finetune, but kind is " + Choices.key(kind));
        require(kind != PersonalizationKind.FEDPER || !personalLayers.isEmpty(), "personal_layers",
                "must list at least one tensor-name prefix (the layers each site keeps, e.g. [dense1.]) with kind:"
                        + " fedper");
        require(kind == PersonalizationKind.FEDPER || personalLayers.isEmpty(), "personal_layers",
                "is only used with kind: fedper, but kind is " + Choices.key(kind));
        for (String prefix : personalLayers) {
            require(prefix != null && !prefix.isBlank(), "personal_layers",
                    "must be tensor-name prefixes, not blank, got " + personalLayers);
        }
        require(kind != PersonalizationKind.DITTO || (lambda > 0 && Double.isFinite(lambda)), "lambda",
                "must be a finite number > 0 with kind: ditto, got " + lambda);
        require(kind == PersonalizationKind.DITTO || lambda == 0, "lambda",
                "is only used with kind: ditto, but kind is " + Choices.key(kind));
    }

    /** Fine-tuning for {@code epochs} local epochs (0: one round's local work). */
    public static PersonalizationSettings finetune(int epochs) {
        return new PersonalizationSettings(PersonalizationKind.FINETUNE, epochs, List.of(), 0);
    }

    /** FedPer keeping the tensors named by {@code prefixes} at each site. */
    public static PersonalizationSettings fedPer(List<String> prefixes) {
        return new PersonalizationSettings(PersonalizationKind.FEDPER, 0, prefixes, 0);
    }

    /** Ditto with weight {@code lambda}. */
    public static PersonalizationSettings ditto(double lambda) {
        return new PersonalizationSettings(PersonalizationKind.DITTO, 0, List.of(), lambda);
    }

    /** Fine-tuning's local work: {@code epochs} epochs, or {@code roundWork} when epochs is 0. */
    public LocalWork finetuneWork(LocalWork roundWork) {
        return epochs > 0 ? LocalWork.epochs(epochs) : roundWork;
    }

    /**
     * The local term each site's fit carries for this personalization on a model of {@code layout}: FedPer's
     * personal layers as tensor indices, Ditto's lambda, none for fine-tuning (which happens after the run).
     *
     * @throws IllegalArgumentException naming {@code personalization.personal_layers} and the model's tensors, if a
     *                                  prefix matches no tensor or the prefixes match every tensor
     */
    public List<LocalTerm> localTerms(ParameterLayout layout) {
        return switch (kind) {
            case FINETUNE -> List.of();
            case DITTO -> List.of(new LocalTerm.Ditto(lambda));
            case FEDPER -> List.of(new LocalTerm.PersonalLayers(personalTensors(layout)));
        };
    }

    private List<Integer> personalTensors(ParameterLayout layout) {
        List<String> names = layout.entries().stream().map(ParameterLayout.Entry::name).toList();
        TreeSet<Integer> indices = new TreeSet<>();
        for (String prefix : personalLayers) {
            List<Integer> matched = new ArrayList<>();
            for (int i = 0; i < names.size(); i++) {
                if (names.get(i).startsWith(prefix)) {
                    matched.add(i);
                }
            }
            require(!matched.isEmpty(), "personal_layers", "prefix '" + prefix + "' matches no tensor of the model,"
                    + " whose tensors are " + names);
            require(matched.size() < names.size(), "personal_layers", "prefix '" + prefix + "' matches every tensor"
                    + " of the model " + names + ", so nothing would be shared; name the head only");
            indices.addAll(matched);
        }
        require(indices.size() < names.size(), "personal_layers", personalLayers + " match every tensor of the model "
                + names + " together, so nothing would be shared; name the head only");
        return List.copyOf(indices);
    }

    /** The section as read: {@code kind} is required, every other key optional and checked against the kind. */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    private static PersonalizationSettings of(Document d) {
        require(d.kind() != null, "kind", "is required: one of " + Choices.names(PersonalizationKind.values(),
                Choices::key));
        PersonalizationKind kind = Choices.of(SECTION + ".kind", d.kind(), null, PersonalizationKind.values(),
                Choices::key);
        require(d.epochs() == null || d.epochs() >= 1, "epochs", "must be >= 1, got " + d.epochs());
        require(d.lambda() == null || kind == PersonalizationKind.DITTO, "lambda",
                "is only used with kind: ditto, but kind is " + Choices.key(kind));
        require(d.epochs() == null || kind == PersonalizationKind.FINETUNE, "epochs",
                "is only used with kind: finetune, but kind is " + Choices.key(kind));
        require(d.personalLayers() == null || kind == PersonalizationKind.FEDPER, "personal_layers",
                "is only used with kind: fedper, but kind is " + Choices.key(kind));
        require(kind != PersonalizationKind.DITTO || d.lambda() != null, "lambda", "is required with kind: ditto"
                + " (the weight pulling each site's personal model toward the global one, > 0)");
        return new PersonalizationSettings(kind, d.epochs() == null ? 0 : d.epochs(),
                d.personalLayers() == null ? List.of() : d.personalLayers(), d.lambda() == null ? 0 : d.lambda());
    }

    @JsonValue
    private Document document() {
        return new Document(Choices.key(kind), epochs > 0 ? epochs : null,
                personalLayers.isEmpty() ? null : personalLayers, kind == PersonalizationKind.DITTO ? lambda : null);
    }

    /** The section as written in YAML: every key but {@code kind} optional. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    private record Document(String kind, Integer epochs, List<String> personalLayers, Double lambda) {
    }

    private static void require(boolean ok, String key, String message) {
        Choices.require(ok, SECTION + "." + key, message);
    }
}
