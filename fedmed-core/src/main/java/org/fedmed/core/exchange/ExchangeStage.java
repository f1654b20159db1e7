package org.fedmed.core.exchange;

/**
 * The stages of a multi-exchange round, in the order they run (the four rounds of Bonawitz et al. 2017). A site
 * answers each at most once per fit, in this order, and refuses a stage out of turn.
 */
public enum ExchangeStage {
    /** The coordinator opens the round; the site answers with its public keys. */
    ADVERTISE_KEYS,
    /** The coordinator relays its neighbours' keys; the site answers with its shares, sealed for each neighbour. */
    SHARE_KEYS,
    /** The coordinator relays the sealed shares sent to the site; the site answers with its masked update. */
    MASKED_INPUT,
    /** The coordinator names who submitted and who dropped; the site answers with the shares that unmask the sum. */
    UNMASK
}
