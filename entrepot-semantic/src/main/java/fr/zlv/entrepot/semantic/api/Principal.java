package fr.zlv.entrepot.semantic.api;

import java.util.List;
import java.util.Map;

/**
 * Who asks, as the server learnt it from a verified token: the subject, one role of {@code warehouse/access.yml},
 * and the territories the subject may see (empty: the role's own scope decides, see access.yml).
 *
 * @param subject     the token's {@code sub} (a person's or a service account's id), for the audit log
 * @param role        the role name (claim {@code role})
 * @param territories level → codes, from the token's claims: {@code region}, {@code departement}, {@code epci},
 *                    {@code commune} (INSEE codes); a territorial team's token carries its territory here
 */
public record Principal(String subject, String role, Map<String, List<String>> territories) {

    public Principal {
        territories = territories == null ? Map.of() : Map.copyOf(territories);
    }
}
