package org.fedmed.data.registry;

import java.util.List;
import org.fedmed.data.definition.DatasetDefinition;
import org.fedmed.data.definition.DefinitionReader;

/**
 * The public datasets fedmed ships definitions for, read from the YAML resources under
 * {@code /org/fedmed/data/definitions/}: the same format, reader and loading path as a user's own definition, with
 * every file's SHA-256, the licence, citation and canonical URL. Their files are found in {@code <root>/<name>/}.
 */
public final class BuiltInDatasets {

    /** UCI Heart Disease, four hospitals as natural sites (the Fed-Heart-Disease setup). */
    public static final String HEART_DISEASE = "heart-disease";
    /** Pima Indians Diabetes, one file partitioned across simulated sites. */
    public static final String PIMA_DIABETES = "pima-diabetes";
    /** Wisconsin Breast Cancer (original), one file partitioned across simulated sites. */
    public static final String BREAST_CANCER_WISCONSIN = "breast-cancer-wisconsin";

    /**
     * TCGA-BRCA clinical survival data, six regions as natural sites and FLamby's published split (the
     * Fed-TCGA-BRCA setup): a survival label, trained by a {@code cox} model.
     */
    public static final String TCGA_BRCA = "tcga-brca";

    private static final List<String> NAMES = List.of(HEART_DISEASE, PIMA_DIABETES, BREAST_CANCER_WISCONSIN,
            TCGA_BRCA);

    private BuiltInDatasets() {
    }

    /** The resource a built-in definition is read from. */
    public static String resource(String name) {
        return "/org/fedmed/data/definitions/" + name + ".yaml";
    }

    /** All built-in definitions. */
    public static List<DatasetDefinition> all() {
        return NAMES.stream().map(n -> DefinitionReader.fromResource(resource(n))).toList();
    }
}
