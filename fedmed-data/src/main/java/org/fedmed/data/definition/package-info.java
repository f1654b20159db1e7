/**
 * Dataset definitions a user writes in YAML and fedmed reads at run time ({@link
 * org.fedmed.data.definition.DefinitionReader}): columns with their types, missing markers and roles, the label, the
 * sites and their files, and the train/test split ({@link org.fedmed.data.definition.DatasetDefinition}). The
 * built-in datasets are definitions of the same format. {@link org.fedmed.data.definition.DefinitionRows} streams a
 * definition's rows; {@link org.fedmed.data.definition.DefinitionChecks} holds the checks of a definition against
 * its rows. Every error names the file, line and key (or, for a data file, the line and column).
 */
package org.fedmed.data.definition;
