package fr.zlv.entrepot.cli;

import fr.zlv.entrepot.orchestrator.store.AuditQuery;
import fr.zlv.entrepot.orchestrator.store.AuditRecord;
import fr.zlv.entrepot.orchestrator.store.RunStore;
import fr.zlv.entrepot.server.EntrepotServer;
import fr.zlv.entrepot.server.TimeFilter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "audit", mixinStandardHelpOptions = true,
        description = "The API's audit log: who asked for which data, when, and what came of it.",
        subcommands = AuditCommand.ListRecords.class)
final class AuditCommand {

    @ParentCommand
    EntrepotCommand root;

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Audit records, newest first.")
    static final class ListRecords implements Runnable {

        @ParentCommand
        AuditCommand parent;

        @Option(names = "--subject", description = "Only this token subject's requests.")
        String subject;

        @Option(names = "--since", paramLabel = "TIME",
                description = "From this time: 2026-11-01T08:00:00Z, 2026-11-01, or an age (90m, 24h, 7d).")
        String since;

        @Option(names = "--until", paramLabel = "TIME", description = "Before this time (same forms).")
        String until;

        @Option(names = "--outcome", description = "Only this outcome: ok, invalid, denied, error, timeout.")
        String outcome;

        @Option(names = {"-n", "--limit"}, defaultValue = "50", description = "How many (default ${DEFAULT-VALUE}).")
        int limit;

        @Option(names = "--json", description = "Print JSON.")
        boolean json;

        @Override
        public void run() {
            if (limit < 1) {
                throw fr.zlv.entrepot.core.EntrepotException.badInput("--limit must be at least 1.", null);
            }
            Instant now = Instant.now();
            AuditQuery query = new AuditQuery(blankToNull(subject), since == null ? null : TimeFilter.parse(since, now),
                    until == null ? null : TimeFilter.parse(until, now), blankToNull(outcome), limit);
            try (RunStore store = RunsCommand.store(parent.root.settings())) {
                List<AuditRecord> records = store.audit(query);
                if (json) {
                    Output.json(System.out, records.stream().map(EntrepotServer::auditJson).toList());
                    return;
                }
                List<List<String>> rows = new ArrayList<>();
                rows.add(List.of("time", "subject", "role", "outcome", "status", "rows", "ms", "cubes", "client",
                        "query"));
                for (AuditRecord record : records) {
                    rows.add(List.of(record.time().toString(), record.subject(), nullToEmpty(record.role()),
                            record.outcome(), Integer.toString(record.status()), Output.count(record.rows()),
                            Long.toString(record.durationMillis()), String.join(",", record.cubes()),
                            nullToEmpty(record.clientAddress()), shorten(record.query())));
                }
                Output.table(System.out, rows, false);
                if (records.isEmpty()) {
                    System.out.println("No audit record" + (query.subject() != null || query.since() != null
                            || query.until() != null || query.outcome() != null ? " matches." : " yet: the API"
                            + " (entrepot serve) writes one per GraphQL request."));
                }
            }
        }

        private static String blankToNull(String value) {
            return value == null || value.isBlank() ? null : value.strip();
        }

        private static String nullToEmpty(String value) {
            return value == null ? "" : value;
        }

        /** The query on one line, cut to keep the table readable. */
        private static String shorten(String query) {
            if (query == null) {
                return "";
            }
            String line = query.replaceAll("\\s+", " ").strip();
            return line.length() <= 80 ? line : line.substring(0, 77) + "...";
        }
    }
}
