package org.fedmed.data.registry;

import java.util.List;
import org.fedmed.data.schema.SchemaReader;

/**
 * The public datasets fedmed ships entries for, with their files' SHA-256, licences, citations and
 * canonical URLs. Schemas are read from the YAML resources under {@code /org/fedmed/data/schemas/}.
 */
public final class BuiltInDatasets {

    /** UCI Heart Disease, four hospitals as natural sites (the Fed-Heart-Disease setup). */
    public static final String HEART_DISEASE = "heart-disease";
    /** Pima Indians Diabetes, one file partitioned across simulated sites. */
    public static final String PIMA_DIABETES = "pima-diabetes";
    /** Wisconsin Breast Cancer (original), one file partitioned across simulated sites. */
    public static final String BREAST_CANCER_WISCONSIN = "breast-cancer-wisconsin";

    private BuiltInDatasets() {
    }

    /** All built-in entries. */
    public static List<DatasetEntry> all() {
        return List.of(heartDisease(), pimaDiabetes(), breastCancerWisconsin());
    }

    private static DatasetEntry heartDisease() {
        return new DatasetEntry(HEART_DISEASE, List.of("fed-heart-disease"),
                "UCI Heart Disease, 920 patients at 4 hospitals; binary label num > 0",
                List.of(new DataFile("cleveland.csv", "c1a68b0099f13630967e05a357aa7f856bf0b784124f9ae4a01612d5378617a9"),
                        new DataFile("hungarian.csv", "b612d844d8289d69a20009ab1d4a2f9e8adcc757b1ba36bf5cb612443d6ac64a"),
                        new DataFile("switzerland.csv", "07cd672a334ae94537be4185c7a2843a68368825c2c6e9f33fd104ced30e6473"),
                        new DataFile("va.csv", "084648b78e5ad2640f77e5920929f0e5f138ce19bdd15347fcd84de0e95db331")),
                "CC BY 4.0",
                "Janosi, Steinbrunn, Pfisterer, Detrano (1988). Heart Disease. UCI Machine Learning Repository. https://doi.org/10.24432/C52P4X",
                "https://archive.ics.uci.edu/static/public/45/heart+disease.zip",
                SchemaReader.fromResource("/org/fedmed/data/schemas/heart-disease.yaml"),
                List.of(new SiteFile("cleveland", "cleveland.csv"), new SiteFile("hungary", "hungarian.csv"),
                        new SiteFile("switzerland", "switzerland.csv"), new SiteFile("va", "va.csv")));
    }

    private static DatasetEntry pimaDiabetes() {
        return new DatasetEntry(PIMA_DIABETES, List.of("pima"),
                "Pima Indians Diabetes (corrected, PimaIndiansDiabetes2), 768 women; label diabetes pos/neg",
                List.of(new DataFile("pima-diabetes.csv", "faaf583f3fe15dc4028f6698775f52b749083093bd0387535ea19e368887d66a")),
                "GPL-2 (as packaged in R mlbench)",
                "Smith et al. (1988). Using the ADAP learning algorithm to forecast the onset of diabetes mellitus. "
                        + "Proc. Symp. Computer Applications in Medical Care, 261-265.",
                "https://cran.r-project.org/package=mlbench",
                SchemaReader.fromResource("/org/fedmed/data/schemas/pima-diabetes.yaml"),
                List.of());
    }

    private static DatasetEntry breastCancerWisconsin() {
        return new DatasetEntry(BREAST_CANCER_WISCONSIN, List.of("bcw", "breast-cancer"),
                "Wisconsin Breast Cancer (original), 699 fine-needle aspirates; label benign/malignant",
                List.of(new DataFile("breast-cancer-wisconsin.csv", "a05e3cf1c519523a56a9661923939206f430fda9f7321f05463556c9399cd142")),
                "CC BY 4.0 (UCI); GPL-2 as packaged in R mlbench",
                "Wolberg and Mangasarian (1990). Multisurface method of pattern separation for medical diagnosis "
                        + "applied to breast cytology. PNAS 87:9193-9196. https://doi.org/10.24432/C5HP4Z",
                "https://doi.org/10.24432/C5HP4Z",
                SchemaReader.fromResource("/org/fedmed/data/schemas/breast-cancer-wisconsin.yaml"),
                List.of());
    }
}
