package org.fedmed.core.exchange;

import java.util.LinkedHashMap;
import java.util.Map;
import org.fedmed.core.FitResult;
import org.fedmed.core.FitTask;

/**
 * A site's participants for the fits whose updates it keeps, by task id: the one place a site (in process or behind
 * the wire) turns a held fit into answers. It keeps at most {@link #CAPACITY} participants, dropping the oldest (a
 * round left unfinished by the coordinator does not pile up), and forgets each once it is finished. Thread-safe.
 */
public final class HeldUpdates {

    /** Most participants kept at once. */
    public static final int CAPACITY = 4;

    private final String siteId;
    private final ExchangeParticipants participants;
    private final Map<String, ExchangeParticipant> open = new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, ExchangeParticipant> eldest) {
            return size() > CAPACITY;
        }
    };

    public HeldUpdates(String siteId, ExchangeParticipants participants) {
        this.siteId = siteId;
        this.participants = participants;
    }

    /**
     * Keeps {@code update} for the exchange of {@code task} and returns the held result to report: its counts and
     * metrics, none of its parameters.
     *
     * @throws IllegalStateException if the site takes part in no multi-exchange round
     */
    public FitResult hold(FitTask task, FitResult update) {
        ExchangeParticipant p = participants.open(task, update);
        synchronized (open) {
            open.put(task.taskId(), p);
        }
        return FitResult.held(update.siteId(), update.taskId(), task.global(), update.numExamples(), update.quality(),
                update.trainMetrics());
    }

    /**
     * Answers one message with the participant kept for its task.
     *
     * @throws ExchangeRefusedException if no update is kept for the task, or the participant refuses
     */
    public byte[] answer(String taskId, ExchangeStage stage, byte[] body) throws ExchangeRefusedException {
        ExchangeParticipant p;
        synchronized (open) {
            p = open.get(taskId);
        }
        if (p == null) {
            throw new ExchangeRefusedException("site '" + siteId + "' keeps no update for task '" + taskId
                    + "' (stage " + stage + "); it answers only the exchange of a fit it kept its update for");
        }
        try {
            return p.answer(stage, body);
        } finally {
            if (p.finished()) {
                synchronized (open) {
                    open.remove(taskId, p);
                }
            }
        }
    }

    /** How many participants are kept now. */
    public int size() {
        synchronized (open) {
            return open.size();
        }
    }
}
