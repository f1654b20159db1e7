package org.fedmed.data.partition;

/** The partitioners a federated dataset can be simulated with. */
public enum PartitionerKind {
    /** {@link IidPartitioner}: equal sizes (within one row), the same class mix everywhere. */
    IID,
    /** {@link DirichletPartitioner}: label skew, each class spread over sites by Dir(alpha) proportions. */
    DIRICHLET,
    /** {@link QuantitySkewPartitioner}: site sizes by Dir(alpha) proportions, labels IID. */
    QUANTITY;

    /** The partitioner of this kind; {@code alpha} is ignored by IID. */
    public Partitioner create(double alpha, int minRowsPerSite) {
        return switch (this) {
            case IID -> new IidPartitioner();
            case DIRICHLET -> new DirichletPartitioner(alpha, minRowsPerSite);
            case QUANTITY -> new QuantitySkewPartitioner(alpha, minRowsPerSite);
        };
    }
}
