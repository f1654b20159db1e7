package org.fedmed.core.exchange;

/**
 * One message of a multi-exchange round, to a site or from it: the site, the fit task whose update the exchange is
 * about, the stage, and the body in the protocol's own encoding (for a secure sum, {@code SecAggCodec}'s). The body
 * array is taken, not copied: do not change it after building the message.
 *
 * @param siteId the site the message is to (from the coordinator) or from (from the site)
 * @param taskId the fit task the site kept its update for ({@link org.fedmed.core.UpdateRelease#SECURE_SUM})
 */
public record ExchangeMessage(String siteId, String taskId, ExchangeStage stage, byte[] body) {
    public ExchangeMessage {
        if (siteId == null || siteId.isBlank()) {
            throw new IllegalArgumentException("exchange message: site_id must not be blank");
        }
        if (taskId == null || taskId.isBlank()) {
            throw new IllegalArgumentException("exchange message for site '" + siteId + "': task_id must not be blank");
        }
        if (stage == null) {
            throw new IllegalArgumentException("exchange message for site '" + siteId + "', task '" + taskId
                    + "': stage is required");
        }
        if (body == null) {
            throw new IllegalArgumentException("exchange message for site '" + siteId + "', task '" + taskId
                    + "', stage " + stage + ": body is required (empty for none)");
        }
    }

    /** An answer from the same site about the same task and stage. */
    public ExchangeMessage reply(byte[] answer) {
        return new ExchangeMessage(siteId, taskId, stage, answer);
    }

    @Override
    public String toString() {
        return "ExchangeMessage[site=" + siteId + ", task=" + taskId + ", " + stage + ", " + body.length + " bytes]";
    }
}
