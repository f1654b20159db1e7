package org.fedmed.imaging;

import java.util.Locale;
import org.fedmed.data.partition.ClassesPerSitePartitioner;
import org.fedmed.data.partition.DirichletPartitioner;
import org.fedmed.data.partition.IidPartitioner;
import org.fedmed.data.partition.Partitioner;
import org.fedmed.data.partition.PartitionerKind;
import org.fedmed.data.partition.QuantitySkewPartitioner;

/**
 * How a simulation deals an image dataset's images to its sites: the {@code partition:} section of an image dataset
 * definition, or, when the definition has none, the plan's {@code simulation.partition}, {@code sites} and
 * {@code alpha}. Every value is checked; {@code alpha} means something to {@code dirichlet} and {@code quantity}
 * only, {@code classesPerSite} to {@code classes} only (0 otherwise).
 *
 * @param kind           iid, Dirichlet label skew, quantity skew, or k classes per site (NIID-Bench's #C=k)
 * @param sites          how many sites, at least 1
 * @param alpha          the Dirichlet concentration (smaller is more skewed)
 * @param classesPerSite k for {@link Kind#CLASSES}
 */
public record ImagePartition(Kind kind, int sites, double alpha, int classesPerSite) {

    /** The closed choice of partitioners; {@code key()} is the definition's spelling. */
    public enum Kind {
        IID, DIRICHLET, QUANTITY, CLASSES;

        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public ImagePartition {
        if (kind == null) {
            throw new IllegalArgumentException("partition 'kind' is required (iid, dirichlet, quantity, classes)");
        }
        if (sites < 1) {
            throw new IllegalArgumentException("partition 'sites' must be >= 1, got " + sites);
        }
        if (!(alpha > 0) || !Double.isFinite(alpha)) {
            throw new IllegalArgumentException("partition 'alpha' must be a positive number, got " + alpha);
        }
        if ((kind == Kind.CLASSES) != (classesPerSite > 0)) {
            throw new IllegalArgumentException(kind == Kind.CLASSES
                    ? "partition 'classes_per_site' is required (>= 1) with kind classes, got " + classesPerSite
                    : "partition 'classes_per_site' applies only to kind classes, not " + kind.key());
        }
    }

    /** The plan's {@code simulation.partition}, {@code sites} and {@code alpha}. */
    public static ImagePartition of(PartitionerKind kind, int sites, double alpha) {
        Kind k = switch (kind) {
            case IID -> Kind.IID;
            case DIRICHLET -> Kind.DIRICHLET;
            case QUANTITY -> Kind.QUANTITY;
        };
        return new ImagePartition(k, sites, alpha, 0);
    }

    /** The seeded partitioner; a site gets at least {@code minImagesPerSite} images under Dirichlet or quantity skew. */
    public Partitioner partitioner(int minImagesPerSite) {
        return switch (kind) {
            case IID -> new IidPartitioner();
            case DIRICHLET -> new DirichletPartitioner(alpha, minImagesPerSite);
            case QUANTITY -> new QuantitySkewPartitioner(alpha, minImagesPerSite);
            case CLASSES -> new ClassesPerSitePartitioner(classesPerSite);
        };
    }

    /** As written in a definition, for reports. */
    public String describe() {
        return switch (kind) {
            case IID -> "iid over " + sites + " sites";
            case DIRICHLET, QUANTITY -> kind.key() + "(" + alpha + ") over " + sites + " sites";
            case CLASSES -> classesPerSite + " classes per site over " + sites + " sites";
        };
    }
}
