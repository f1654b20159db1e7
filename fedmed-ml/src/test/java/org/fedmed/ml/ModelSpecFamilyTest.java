package org.fedmed.ml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.fedmed.core.objective.Objective;
import org.fedmed.core.objective.RegressionLoss;
import org.fedmed.ml.nn.DenseNetwork;
import org.fedmed.ml.survival.CoxSpec;
import org.junit.jupiter.api.Test;

class ModelSpecFamilyTest {

    @Test
    void theTypeKeyPicksTheDenseMemberForLogisticAndMlp() {
        assertInstanceOf(DenseSpec.class, ModelSpec.parse("type: logistic"));
        DenseSpec mlp = assertInstanceOf(DenseSpec.class, ModelSpec.parse("{\"type\": \"mlp\", \"hidden\": [4]}"));
        assertEquals("mlp", mlp.type());
        assertInstanceOf(DenseNetwork.class, Models.build(mlp, 3, 2));
    }

    @Test
    void aTypeOfAnotherModuleIsRefusedNamingWhereItIsRead() {
        var e = assertThrows(IllegalArgumentException.class, () -> ModelSpec.parse("type: cnn\nconv: []"));
        assertEquals("model spec: 'type' is 'cnn', an image model of the optional fedmed-imaging module (ImageModelSpec),"
                + " which a plan cannot train yet (types a plan trains: logistic, mlp)", e.getMessage());
        var unknown = assertThrows(IllegalArgumentException.class, () -> ModelSpec.parse("type: forest"));
        assertEquals("model spec: 'type' must be one of logistic, mlp, got 'forest'", unknown.getMessage());
    }

    @Test
    void coxIsAMemberOfTheFamilyThatModelsBuildDoesNotBuild() {
        ModelSpec cox = CoxSpec.flamby();
        assertEquals("cox", cox.type());
        var e = assertThrows(IllegalArgumentException.class, () -> Models.build(cox, 3, 0));
        assertEquals("model spec: type 'cox' is not a dense network; it is built by its own module's trainer, not by"
                + " Models.build", e.getMessage());
    }

    @Test
    void theObjectiveComesFromTheClassCountAndTheSpecsLoss() {
        assertEquals(new Objective.Classification(2), Models.objective(ModelSpec.logistic(), 2));
        assertEquals(new Objective.Regression(RegressionLoss.MSE), Models.objective(ModelSpec.logistic(), 0));
        assertEquals(new Objective.Regression(RegressionLoss.MAE),
                Models.objective(ModelSpec.logistic().withLoss(LossType.MAE), 0));
        var e = assertThrows(IllegalArgumentException.class,
                () -> Models.objective(ModelSpec.logistic().withLoss(LossType.MAE), 2));
        assertEquals("model spec: 'loss' mae does not fit 2-class classification (use auto, or bce for 2 classes,"
                + " cross_entropy for 2+ classes, mse or mae for regression)", e.getMessage());
        assertEquals(new Objective.Regression(RegressionLoss.MAE),
                Models.build(ModelSpec.parse("type: mlp\nhidden: [3]\nloss: mae"), 2, 0).objective());
    }
}
