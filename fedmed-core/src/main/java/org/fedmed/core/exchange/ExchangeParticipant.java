package org.fedmed.core.exchange;

/**
 * A site's side of one multi-exchange round about one update it keeps. It is the site's own fixed code (for a secure
 * sum, its secagg client): it decodes each body as the message its stage allows, checks it, and answers, or refuses.
 * It runs nothing a message names. Called once per stage, in stage order, never concurrently.
 */
public interface ExchangeParticipant {

    /**
     * Answers the coordinator's message of {@code stage}.
     *
     * @throws ExchangeRefusedException if the message is out of turn, malformed, or asks for what the protocol must
     *                                  not reveal; the participant takes no further part
     */
    byte[] answer(ExchangeStage stage, byte[] body) throws ExchangeRefusedException;

    /** Whether the participant has answered its last stage or refused: it answers nothing more. */
    boolean finished();
}
