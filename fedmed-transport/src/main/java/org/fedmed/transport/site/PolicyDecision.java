package org.fedmed.transport.site;

/** A {@link TaskPolicy}'s answer: accept the task, or refuse it with a reason the server will record. */
public record PolicyDecision(boolean accepted, String reason) {
    public PolicyDecision {
        if (!accepted && (reason == null || reason.isBlank())) {
            throw new IllegalArgumentException("a refusal needs a reason");
        }
        reason = reason == null ? "" : reason;
    }

    public static PolicyDecision accept() {
        return new PolicyDecision(true, "");
    }

    public static PolicyDecision refuse(String reason) {
        return new PolicyDecision(false, reason);
    }
}
