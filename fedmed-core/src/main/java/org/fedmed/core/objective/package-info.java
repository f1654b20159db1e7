/**
 * What a model is trained to predict, as one closed choice: {@link org.fedmed.core.objective.Objective}
 * (classification with k classes, regression, survival). An objective owns the label layout it expects, the family
 * of its training loss, the metrics a site and a report compute for it, and the name of the loss the round engine
 * watches. A plan resolves it once; the model, the site client, the engine settings and the reports take it from
 * there, so a new objective is an addition here and a case in each pattern switch, not an edit across modules.
 */
package org.fedmed.core.objective;
