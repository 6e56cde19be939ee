package fr.zlv.entrepot.semantic.access;

import java.util.List;
import java.util.Map;

/** {@code access.yml} as written: roles, what each may see, and whether it is limited to its territory. */
public record AccessFile(Integer version, Map<String, RoleSpec> roles) {

    /**
     * @param territorial the role sees only the rows of the principal's territories (token claims region,
     *                    departement, epci, commune); a principal without one sees nothing
     * @param auditLog    the role may read the audit log (used by the server)
     * @param grants      what the role may query; a cube, measure, dimension or segment no grant names is denied
     */
    public record RoleSpec(String description, Boolean territorial, Boolean auditLog, List<GrantSpec> grants) {
    }

    /**
     * Cubes and, inside them, the measures, dimensions and segments granted; names or patterns with {@code *}
     * ({@code "*"}, {@code "vacant_*"}). Measures, dimensions and segments default to all.
     */
    public record GrantSpec(List<String> cubes, List<String> measures, List<String> dimensions,
                            List<String> segments) {
    }
}
