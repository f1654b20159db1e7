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
                + " which a plan cannot train yet (types a plan trains: logistic, mlp, cox)", e.getMessage());
        var unknown = assertThrows(IllegalArgumentException.class, () -> ModelSpec.parse("type: forest"));
        assertEquals("model spec: 'type' must be one of logistic, mlp, got 'forest'", unknown.getMessage());
    }

    @Test
    void coxIsReadByItsOwnReaderAndBuiltForTheSurvivalObjectiveOnly() {
        ModelSpec cox = ModelSpec.parse("type: cox\nloss: flamby_batch");
        assertEquals(CoxSpec.flamby(), cox);
        assertEquals(cox, ModelSpec.parse(cox.toJson()));
        ModelSpec tuned = ModelSpec.parse("type: cox\nl2: 0.01\noptimizer: {type: adam, beta1: 0.8}");
        assertEquals(new CoxSpec(org.fedmed.ml.survival.CoxLoss.BRESLOW, 0.01, new OptimizerSpec.Adam(0.8, 0.999,
                1e-8)), tuned);
        assertEquals(tuned, ModelSpec.parse(tuned.toJson()));
        Objective survival = Models.objective(cox, org.fedmed.core.objective.LabelLayout.TIME_AND_EVENT, 0);
        assertInstanceOf(Objective.Survival.class, survival);
        assertInstanceOf(org.fedmed.ml.survival.CoxNetwork.class, Models.build(cox, 3, survival));
        var onTarget = assertThrows(IllegalArgumentException.class, () -> Models.build(cox, 3, 0));
        assertEquals("model spec: type 'cox' trains on a survival label (label kind survival: a time and an event"
                + " column), but the dataset's label is a numeric target", onTarget.getMessage());
        var dense = assertThrows(IllegalArgumentException.class, () -> Models.objective(ModelSpec.logistic(),
                org.fedmed.core.objective.LabelLayout.TIME_AND_EVENT, 0));
        assertEquals("model spec: type 'logistic' does not train on a survival label (a time and an event column);"
                + " use model type 'cox'", dense.getMessage());
    }

    @Test
    void aCoxSpecRefusesUnknownKeysAndLossesNamingThem() {
        var key = assertThrows(IllegalArgumentException.class, () -> ModelSpec.parse("type: cox\nhidden: [4]"));
        assertEquals("model spec: unknown key 'hidden' (known: type, loss, l2, optimizer)", key.getMessage());
        var loss = assertThrows(IllegalArgumentException.class, () -> ModelSpec.parse("type: cox\nloss: efron"));
        assertEquals("model spec: 'loss' of a cox model must be breslow or flamby_batch, got 'efron'",
                loss.getMessage());
        var opt = assertThrows(IllegalArgumentException.class,
                () -> ModelSpec.parse("type: cox\noptimizer: {type: sgd, lr: 0.1}"));
        assertEquals("model spec: unknown key 'optimizer.lr' (known: type, momentum, beta1, beta2, epsilon)",
                opt.getMessage());
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
