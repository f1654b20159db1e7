package org.fedmed.dashboard;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.fedmed.server.store.AnalyticsRecord;

/**
 * The {@code /analytics} page: every analytics result in the store, newest first, as the tables of its JSON report
 * (the document an analytics exchange writes to its {@code --analytics FILE}): each site's and the pooled row
 * counts and label class counts, the column figures, and the cross-tabulation when there is one. A suppressed count
 * shows as {@code suppressed}, a figure not released as {@code -}; every number is shown as stored.
 */
final class AnalyticsPage {

    private static final ObjectMapper JSON = new ObjectMapper();

    private AnalyticsPage() {
    }

    static String render(List<AnalyticsRecord> results) {
        if (results.isEmpty()) {
            return "<p id=\"no-analytics\">No analytics result in this store yet (a server records one for each"
                    + " <code>fedmed server --analytics FILE</code> exchange).</p>";
        }
        StringBuilder b = new StringBuilder();
        for (AnalyticsRecord r : results.reversed()) {
            b.append("<section class=\"analytics\" id=\"analytics-").append(r.id()).append("\"><h2>")
                    .append(Html.escape(r.dataset())).append(" (result ").append(r.id()).append(", ")
                    .append(r.created()).append(")</h2>");
            JsonNode doc;
            try {
                doc = JSON.readTree(r.resultJson());
            } catch (JsonProcessingException e) {
                b.append("<p>stored result is not JSON: ").append(Html.escape(e.getOriginalMessage()))
                        .append("</p></section>");
                continue;
            }
            b.append("<p>k <b class=\"k\">").append(text(doc.get("k"))).append("</b>, pooled k <b>")
                    .append(text(doc.get("pooled_k"))).append("</b>");
            JsonNode noise = doc.get("noise");
            if (noise != null && noise.isObject()) {
                b.append(", Gaussian noise on counts: epsilon ").append(text(noise.get("epsilon"))).append(", delta ")
                        .append(text(noise.get("delta")));
            }
            b.append("</p>");
            List<JsonNode> all = new java.util.ArrayList<>();
            doc.path("sites").forEach(all::add);
            if (doc.hasNonNull("pooled")) {
                all.add(doc.get("pooled"));
            }
            b.append("<table class=\"analytics-sites\"><tr><th>site</th><th>k</th><th>rows</th>"
                    + "<th>label class counts</th></tr>");
            for (JsonNode s : all) {
                b.append("<tr data-site=\"").append(Html.escape(s.path("site").asText())).append("\"><td>")
                        .append(Html.escape(s.path("site").asText())).append("</td><td>").append(text(s.get("k")))
                        .append("</td><td class=\"rows\">").append(text(s.get("rows"))).append("</td><td>")
                        .append(list(s.get("label_counts"))).append("</td></tr>");
            }
            b.append("</table><table class=\"analytics-columns\"><tr><th>site</th><th>column</th><th>present</th>"
                    + "<th>missing</th><th>mean</th><th>sd</th><th>q25</th><th>median</th><th>q75</th></tr>");
            for (JsonNode s : all) {
                for (JsonNode c : s.path("columns")) {
                    b.append("<tr data-site=\"").append(Html.escape(s.path("site").asText()))
                            .append("\" data-column=\"")
                            .append(Html.escape(c.path("column").asText())).append("\"><td>")
                            .append(Html.escape(s.path("site").asText())).append("</td><td>")
                            .append(Html.escape(c.path("column").asText())).append("</td>");
                    for (String f : List.of("present", "missing", "mean", "sd", "q25", "median", "q75")) {
                        b.append("<td class=\"").append(f).append("\">").append(text(c.get(f))).append("</td>");
                    }
                    b.append("</tr>");
                }
            }
            b.append("</table>");
            for (JsonNode s : all) {
                JsonNode ct = s.get("cross_tabulation");
                if (ct == null || !ct.isObject()) {
                    continue;
                }
                b.append("<p>").append(Html.escape(s.path("site").asText())).append(": ")
                        .append(Html.escape(ct.path("column").asText())).append(" by label class</p>")
                        .append("<table class=\"analytics-crosstab\">");
                ct.path("by_label_class").properties().forEach(e -> b.append("<tr><td>")
                        .append(Html.escape(e.getKey())).append("</td><td>").append(list(e.getValue()))
                        .append("</td></tr>"));
                b.append("</table>");
            }
            b.append("</section>");
        }
        return b.toString();
    }

    private static String text(JsonNode n) {
        if (n == null || n.isNull() || n.isMissingNode()) {
            return "-";
        }
        return Html.escape(n.asText());
    }

    private static String list(JsonNode n) {
        if (n == null || !n.isArray()) {
            return text(n);
        }
        StringBuilder b = new StringBuilder();
        for (JsonNode c : n) {
            b.append(b.isEmpty() ? "" : " ").append(text(c));
        }
        return b.toString();
    }
}
