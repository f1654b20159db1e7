package org.fedmed.imaging;

import java.nio.file.Path;
import java.util.List;
import org.fedmed.core.Seeds;
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

    @Override
    public boolean readsDataset(Path definition) {
        return ImageDefinitionReader.isImageDefinition(definition);
    }

    /** The model's initial parameters from the run seed's {@code INIT} stream, as {@link ImageSimulation} draws them. */
    @Override
    public DatasetModel datasetModel(ModelSpec.Extension spec, Path definition, List<Path> dataRoots, long runSeed) {
        ImageDatasetDefinition def = ImageDefinitionReader.read(definition, dataRoots);
        ImageModel model = ImageModel.build(imageSpec(spec), shape(def), def.classes());
        return new DatasetModel(model.init(Seeds.of(runSeed, Seeds.Stream.INIT)), def.classes());
    }

    /**
     * With a {@code partition} in the definition, the site's data is {@code member}'s share as
     * {@link ImageSimulation#siteData} deals it for run seed {@code seed}; without one, the whole definition, its test
     * share split off with the run seed's {@code VALIDATION_SPLIT} stream.
     */
    @Override
    public FamilySite openSite(String siteId, String member, ModelSpec.Extension spec, Path definition,
                               List<Path> dataRoots, long seed, DpNoise dp) {
        ImageDatasetDefinition def = ImageDefinitionReader.read(definition, dataRoots);
        ImageDatasetDefinition.Loaded images;
        if (def.partition().isPresent()) {
            List<String> ids = ImageSimulation.siteIds(def.partition().get().sites());
            int at = ids.indexOf(member);
            if (at < 0) {
                throw new IllegalArgumentException(definition + ": key 'partition' deals the images to sites " + ids
                        + ", not to '" + member + "' (set data.site in site.yaml to one of them)");
            }
            images = ImageSimulation.siteData(def, def.partition().get(), seed).get(at);
        } else {
            images = def.load(Seeds.of(seed, Seeds.Stream.VALIDATION_SPLIT));
        }
        ImageModel model = ImageModel.build(imageSpec(spec), images.train().shape(), def.classes());
        // with DP-SGD the caller keeps the account; this client's own (no budget) only reports
        ImageSiteClient client = new ImageSiteClient(siteId, model, images.train(), images.test(), dp == null ? null
                : new ImageDpSgd(dp.clipNorm(), dp.noiseMultiplier(), 1e-5, Double.POSITIVE_INFINITY,
                        key -> dp.noise().apply(key)));
        return new FamilySite(client, model.layout(), images.train().count(), images.test().count(), client);
    }

    /**
     * The shape of the definition's images without reading them all: a folder's {@code size} and {@code channels},
     * or the first image of the IDX training file.
     */
    private static ImageShape shape(ImageDatasetDefinition def) {
        return def.resize().orElseGet(() -> {
            var idx = (ImageDatasetDefinition.ImageSource.Idx) def.train();
            return IdxFiles.read(idx.images(), idx.labels(), def.classes(), 1).shape();
        });
    }

    private static ImageModelSpec imageSpec(ModelSpec.Extension spec) {
        if (!(spec instanceof ImageModelSpec image)) {
            throw new IllegalArgumentException("model spec type '" + spec.type() + "' is not an image spec");
        }
        return image;
    }
}
