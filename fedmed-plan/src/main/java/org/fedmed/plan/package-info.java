/**
 * The typed training plan that simulation ({@code fedmed-sim}) and deployment ({@code fedmed-deploy}) both build
 * from: {@link org.fedmed.plan.SimulationConfig} and its strict YAML binder {@link org.fedmed.plan.ConfigLoader},
 * the model, fit and engine settings it stands for ({@link org.fedmed.plan.PlanSettings}), and the federated
 * strategy and site wrapping it asks for ({@link org.fedmed.plan.FederatedSetup}).
 *
 * <p>A key means the same here whichever of the two runs it. Neither sibling imports the other; the build's
 * {@code bannedDependencies} rule keeps it so.
 */
package org.fedmed.plan;
