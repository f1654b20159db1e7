/**
 * The operator's web dashboard over a run store: the federation's sites, round progress, learning curves and
 * epsilon as server-side SVG, the verified audit log, run history, analytics results, downloads of checkpoints and
 * exports, live updates over server-sent events, and a Prometheus endpoint. It reads the store through a read-only connection only, and
 * answers nothing without the operator token.
 */
package org.fedmed.dashboard;
