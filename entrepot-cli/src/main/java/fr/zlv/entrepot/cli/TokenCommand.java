package fr.zlv.entrepot.cli;

import fr.zlv.entrepot.core.EntrepotException;
import fr.zlv.entrepot.server.auth.Claims;
import fr.zlv.entrepot.server.auth.TokenIssuer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "token", mixinStandardHelpOptions = true,
        description = "Tokens for the API (`entrepot serve`): HS256, signed with serve.jwt_secret (ENTREPOT_JWT_SECRET).",
        subcommands = TokenCommand.Issue.class)
final class TokenCommand {

    @ParentCommand
    EntrepotCommand root;

    @Command(name = "issue", mixinStandardHelpOptions = true,
            description = {"Issue a token for a service account or a person: its role (one of access.yml), its"
                    + " territories, its lifetime. Prints the token.",
                    "Example: entrepot token issue --role territory --territory departement=75 --subject ddt-75 --ttl 90d"})
    static final class Issue implements Runnable {

        @ParentCommand
        TokenCommand parent;

        @Option(names = "--role", required = true, description = "The role (claim role), as access.yml names it.")
        String role;

        @Option(names = "--territory", paramLabel = "LEVEL=CODE", description = "A territory the holder may see"
                + " (repeat for several): region=11, departement=75, epci=200054781, commune=75056.")
        List<String> territories = new ArrayList<>();

        @Option(names = "--subject", description = "Who holds it (claim sub; default: service-<role>).")
        String subject;

        @Option(names = "--ttl", defaultValue = "30d",
                description = "How long it is valid: 90s, 15m, 12h, 30d (default ${DEFAULT-VALUE}).")
        String ttl;

        @Option(names = "--json", description = "Print the token and its claims as JSON.")
        boolean json;

        @Override
        public void run() {
            Map<String, List<String>> scope = new LinkedHashMap<>();
            for (String territory : territories) {
                int equals = territory.indexOf('=');
                String level = equals < 0 ? "" : territory.substring(0, equals).strip();
                String code = equals < 0 ? "" : territory.substring(equals + 1).strip();
                if (!Claims.TERRITORY_LEVELS.contains(level) || code.isEmpty()) {
                    throw EntrepotException.badInput("--territory " + territory + " is not LEVEL=CODE with a level"
                            + " among " + Claims.TERRITORY_LEVELS + ".", "For example --territory departement=75.");
                }
                scope.computeIfAbsent(level, key -> new ArrayList<>()).add(code);
            }
            Duration lifetime = TokenIssuer.parseTtl(ttl);
            if (lifetime.isZero() || lifetime.isNegative()) {
                throw EntrepotException.badInput("--ttl " + ttl + " is not a positive lifetime.", "For example --ttl 30d.");
            }
            String holder = subject == null || subject.isBlank() ? "service-" + role : subject.strip();
            TokenIssuer issuer = new TokenIssuer(parent.root.settings().settings().serve());
            TokenIssuer.Issued issued = issuer.issue(new TokenIssuer.Grant(holder, role.strip(), scope, lifetime));
            if (json) {
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("token", issued.token());
                out.put("subject", holder);
                out.put("role", role.strip());
                out.put("territories", scope);
                out.put("issued_at", issued.issuedAt().toString());
                out.put("expires_at", issued.expiresAt().toString());
                out.put("id", issued.id());
                Output.json(System.out, out);
                return;
            }
            System.out.println(issued.token());
            System.err.println("Token for " + holder + " (role " + role.strip()
                    + (scope.isEmpty() ? "" : ", " + scope) + "), valid until " + issued.expiresAt() + ".");
        }
    }
}
