package org.fedmed.server.audit;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What verifying an audit log's hash chain found: how many entries held, whether a prefix was written before the
 * log was chained, the hash the chain ends in, and the first break, if any. The log is intact when there is no
 * break. An intact chain proves that no entry up to its last was changed, removed, inserted or moved; entries
 * removed from the end leave a shorter chain that is still intact, which only a copy of an earlier
 * {@link #head()} kept elsewhere can reveal.
 *
 * @param unit       what positions are, in messages: {@code line} or {@code entry}
 * @param entries    entries that verified (unchained ones included), up to the break if there is one
 * @param unchained  entries at the start of the log that carry no hashes (written before chaining)
 * @param chainStart position of the first chained entry, when there is one
 * @param head       hash of the last entry that verified; {@link AuditChain#GENESIS} when none did
 * @param firstBreak the first entry that does not verify
 * @param notes      things that are not breaks but an auditor should know (an acknowledged torn line, say)
 */
public record ChainReport(String unit, long entries, long unchained, OptionalLong chainStart, String head,
                          Optional<ChainBreak> firstBreak, List<String> notes) {

    public ChainReport {
        if (unit == null || unit.isBlank()) {
            throw new IllegalArgumentException("chain report needs a unit (line or entry)");
        }
        if (entries < 0 || unchained < 0 || unchained > entries) {
            throw new IllegalArgumentException("chain report: entries " + entries + " and unchained " + unchained
                    + " must satisfy 0 <= unchained <= entries");
        }
        if (chainStart == null || firstBreak == null || !AuditChain.isHash(head)) {
            throw new IllegalArgumentException("chain report: chainStart, firstBreak and a 64-hex head are required");
        }
        notes = notes == null ? List.of() : List.copyOf(notes);
    }

    /** Whether the chain holds from the first entry to the last. */
    public boolean intact() {
        return firstBreak.isEmpty();
    }

    /**
     * One line for an operator, for example {@code intact: 12 entries, head 3f2a...} or {@code broken at line 7
     * (content changed): ...}; notes follow on their own lines.
     */
    public String summary() {
        StringBuilder s = new StringBuilder();
        if (firstBreak.isPresent()) {
            ChainBreak b = firstBreak.get();
            s.append("broken at ").append(AuditChain.name(unit, b.position())).append(" (").append(b.kind().label())
                    .append("): ").append(b.detail());
        } else {
            s.append("intact: ").append(entries).append(entries == 1 ? " entry" : " entries");
            if (chainStart.isPresent()) {
                s.append(", head ").append(head);
            }
        }
        if (unchained > 0 && (chainStart.isPresent() || firstBreak.isEmpty())) {
            s.append(chainStart.isPresent()
                    ? "; unchained before " + AuditChain.name(unit, chainStart.getAsLong()) + " (" + unchained
                            + " written before the log was chained, not verifiable)"
                    : "; no entry is chained (" + unchained + " written before the log was chained, not verifiable)");
        }
        for (String note : notes) {
            s.append(System.lineSeparator()).append("  note: ").append(note);
        }
        return s.toString();
    }
}
