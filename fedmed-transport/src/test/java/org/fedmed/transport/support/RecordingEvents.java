package org.fedmed.transport.support;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.fedmed.transport.server.FederationEvents;

/** A server event listener that keeps every call in memory, for tests to read back and wait on. */
public final class RecordingEvents implements FederationEvents {

    /**
     * One call. Fields a call does not carry are empty (or 0): {@code siteId} holds the certificate subject for
     * {@code peerRefused}; {@code bytes} is the model bytes of {@code taskSent} and the result bytes of
     * {@code resultReceived}.
     */
    public record Event(String name, String siteId, String taskId, String kind, int round, long bytes, String peer,
                        String reason) {
    }

    private final List<Event> events = new ArrayList<>();

    private synchronized void add(Event e) {
        events.add(e);
        notifyAll();
    }

    @Override
    public void siteJoined(String siteId, String peerAddress) {
        add(new Event("siteJoined", siteId, "", "", 0, 0, peerAddress, ""));
    }

    @Override
    public void siteLeft(String siteId, String reason) {
        add(new Event("siteLeft", siteId, "", "", 0, 0, "", reason));
    }

    @Override
    public void peerRefused(String subject, String peerAddress, String reason) {
        add(new Event("peerRefused", subject, "", "", 0, 0, peerAddress, reason));
    }

    @Override
    public void handshakeRefused(String peerAddress, String reason) {
        add(new Event("handshakeRefused", "", "", "", 0, 0, peerAddress, reason));
    }

    @Override
    public void admissionWithdrawn(String siteId, String peerAddress, String reason) {
        add(new Event("admissionWithdrawn", siteId, "", "", 0, 0, peerAddress, reason));
    }

    @Override
    public void taskSent(String siteId, String taskId, String kind, int round, long modelBytes) {
        add(new Event("taskSent", siteId, taskId, kind, round, modelBytes, "", ""));
    }

    @Override
    public void resultReceived(String siteId, String taskId, long bytes) {
        add(new Event("resultReceived", siteId, taskId, "", 0, bytes, "", ""));
    }

    @Override
    public void taskDeclined(String siteId, String taskId, String reason) {
        add(new Event("taskDeclined", siteId, taskId, "", 0, 0, "", reason));
    }

    @Override
    public void updateRejected(String siteId, String taskId, String reason) {
        add(new Event("updateRejected", siteId, taskId, "", 0, 0, "", reason));
    }

    public synchronized List<Event> events() {
        return List.copyOf(events);
    }

    /** The calls named {@code name}. */
    public List<Event> named(String name) {
        return events().stream().filter(e -> e.name().equals(name)).toList();
    }

    /** The one call named {@code name} for {@code taskId}; fails if there is none or more than one. */
    public Event only(String name, String taskId) {
        List<Event> found = named(name).stream().filter(e -> e.taskId().equals(taskId)).toList();
        if (found.size() != 1) {
            throw new AssertionError("expected one " + name + " for task '" + taskId + "', got " + found);
        }
        return found.getFirst();
    }

    /** Waits for a call matching {@code p}. */
    public synchronized Optional<Event> await(Predicate<Event> p, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (true) {
            for (Event e : events) {
                if (p.test(e)) {
                    return Optional.of(e);
                }
            }
            long left = end - System.nanoTime();
            if (left <= 0) {
                return Optional.empty();
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }
}
