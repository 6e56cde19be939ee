package fr.zlv.entrepot.semantic.access;

import fr.zlv.entrepot.semantic.access.AccessPolicy.Role;
import fr.zlv.entrepot.semantic.api.Principal;
import fr.zlv.entrepot.semantic.model.Model.GeoLevel;
import fr.zlv.entrepot.semantic.query.QueryException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * What one principal may see: its role and, for a territorial role, its territories (level → INSEE codes, sorted).
 * Two principals with the same scope get the same answers, so the scope is part of every cache key.
 *
 * @param territories empty for a national role
 */
public record AccessScope(Role role, Map<GeoLevel, List<String>> territories) {

    public AccessScope {
        // EnumMap keeps the levels in order (for the cache key); its copy constructor refuses an empty plain map.
        Map<GeoLevel, List<String>> ordered = new EnumMap<>(GeoLevel.class);
        ordered.putAll(territories);
        territories = Collections.unmodifiableMap(ordered);
    }

    /**
     * The scope of a principal under a policy; refuses an unknown role, and a territorial role without any
     * territory (it would otherwise see nothing, or, worse, everything).
     */
    public static AccessScope of(AccessPolicy policy, Principal principal) {
        if (principal == null) {
            throw QueryException.forbidden("No principal: the request was not authenticated.");
        }
        Role role = policy.role(principal.role()).orElseThrow(() -> QueryException.forbidden("Role '"
                + principal.role() + "' is not defined in " + policy.file().getFileName() + "."));
        if (!role.territorial()) {
            return new AccessScope(role, Map.of());
        }
        Map<GeoLevel, List<String>> territories = new EnumMap<>(GeoLevel.class);
        principal.territories().forEach((level, codes) -> GeoLevel.of(level).ifPresent(known -> {
            if (codes != null) {
                TreeSet<String> clean = new TreeSet<>();
                codes.stream().filter(c -> c != null && !c.isBlank()).map(String::trim).forEach(clean::add);
                if (!clean.isEmpty()) {
                    territories.put(known, new ArrayList<>(clean));
                }
            }
        }));
        if (territories.isEmpty()) {
            throw QueryException.forbidden("Role '" + role.name() + "' is territorial, but the token carries no"
                    + " territory (claims region, departement, epci or commune): nothing can be shown.");
        }
        territories.replaceAll((level, codes) -> List.copyOf(codes));
        return new AccessScope(role, territories);
    }

    public boolean territorial() {
        return role.territorial();
    }

    /** A short stable text for cache keys: the role and its territories. */
    public String key() {
        return role.name() + (territories.isEmpty() ? "" : territories.toString());
    }
}
