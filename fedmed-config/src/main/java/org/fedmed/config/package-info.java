/**
 * The one strict YAML binder ({@link org.fedmed.config.YamlBinder}) that every fedmed config file and dataset
 * definition is read with, the positions it reports ({@link org.fedmed.config.YamlPositions}) and the error it
 * raises ({@link org.fedmed.config.ConfigException}). It depends on Jackson only, so every module that reads a file
 * a user writes can use it.
 */
package org.fedmed.config;
