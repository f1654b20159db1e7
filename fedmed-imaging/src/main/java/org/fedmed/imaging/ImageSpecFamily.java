package org.fedmed.imaging;

import java.util.List;
import org.fedmed.ml.ModelSpec;
import org.fedmed.ml.ModelSpecFamily;

/**
 * Registers the image specs ({@code type: cnn} and {@code type: resnet}) with {@link ModelSpec#parse}, as a
 * {@link ModelSpecFamily} service of this module, so a plan's {@code model:} block and a site's allow-list read them
 * whenever this module is on the class path, while fedmed-ml and the modules above it never import it.
 */
public final class ImageSpecFamily implements ModelSpecFamily {

    @Override
    public List<String> types() {
        return List.of(CnnSpec.TYPE, ResNetSpec.TYPE);
    }

    @Override
    public ModelSpec.Extension read(String yamlOrJson) {
        return ImageModelSpec.parse(yamlOrJson);
    }
}
