package io.dhcpshield.automation.bulk;

/** There is no bulk job with this id (the API's 404). */
public final class BulkJobNotFoundException extends RuntimeException {

    public BulkJobNotFoundException(String id) {
        super("no bulk job " + id);
    }
}
