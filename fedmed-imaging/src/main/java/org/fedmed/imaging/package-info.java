/**
 * Image models for the sites, trained through DJL (Deep Java Library) with the PyTorch CPU engine, fully offline:
 * declarative specs for a CNN ({@link org.fedmed.imaging.CnnSpec}, NIID-Bench's "simple-cnn" among them) and a small
 * ResNet ({@link org.fedmed.imaging.ResNetSpec}); the two-way, bit-exact mapping between a DJL block and
 * {@link org.fedmed.core.ModelParameters}; a local trainer and a {@link org.fedmed.core.SiteClient} so the round
 * engine runs any strategy over image sites unchanged; image dataset definitions (image folders and IDX files) with
 * seeded partitions; a plan's federated run ({@link org.fedmed.imaging.ImageSimulation}); and the
 * {@link org.fedmed.ml.ModelSpecFamily} service ({@link org.fedmed.imaging.ImageSpecFamily}) through which plans,
 * allow-lists, the server and the site processes read and train image specs without importing this module.
 *
 * <p>This module is optional: of the fedmed modules only the command line depends on it, and it alone carries the
 * PyTorch native library (about 115 MB of jars, 430 MB once extracted). See {@code docs/imaging.md}.
 */
package org.fedmed.imaging;
