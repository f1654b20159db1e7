package org.fedmed.data.registry;

/** A natural site of a multi-site dataset: its id (e.g. {@code cleveland}) and the file holding its rows. */
public record SiteFile(String siteId, String file) {

    public SiteFile {
        if (siteId == null || siteId.isBlank()) {
            throw new IllegalArgumentException("site file field 'siteId' must not be blank");
        }
        if (file == null || file.isBlank()) {
            throw new IllegalArgumentException("site '" + siteId + "': field 'file' must not be blank");
        }
    }
}
