package fr.zlv.entrepot.semantic.access;

import fr.zlv.entrepot.core.settings.YamlDocument;
import fr.zlv.entrepot.semantic.access.AccessFile.GrantSpec;
import fr.zlv.entrepot.semantic.access.AccessFile.RoleSpec;
import fr.zlv.entrepot.semantic.model.Model;
import fr.zlv.entrepot.semantic.model.Model.Cube;
import fr.zlv.entrepot.semantic.model.Problems;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The roles of {@code access.yml}, checked against a {@link Model}: which cubes, measures, dimensions and segments
 * each role may query, and whether it is territorial.
 *
 * @param roles the roles by name
 */
public record AccessPolicy(Path file, Map<String, Role> roles) {

    /** A role: its grants and whether its principals see only their territories. */
    public record Role(String name, String description, boolean territorial, boolean auditLog, List<Grant> grants) {

        public Role {
            grants = List.copyOf(grants);
        }

        public boolean mayQuery(String cube) {
            return grants.stream().anyMatch(g -> g.cubes().matches(cube));
        }

        public boolean mayUseMeasure(String cube, String measure) {
            return grants.stream().anyMatch(g -> g.cubes().matches(cube) && g.measures().matches(measure));
        }

        public boolean mayUseDimension(String cube, String dimension) {
            return grants.stream().anyMatch(g -> g.cubes().matches(cube) && g.dimensions().matches(dimension));
        }

        public boolean mayUseSegment(String cube, String segment) {
            return grants.stream().anyMatch(g -> g.cubes().matches(cube) && g.segments().matches(segment));
        }
    }

    public record Grant(Patterns cubes, Patterns measures, Patterns dimensions, Patterns segments) {
    }

    /** Names and {@code *} patterns. */
    public record Patterns(List<String> written, List<Pattern> compiled) {

        static Patterns of(List<String> written) {
            List<String> names = written == null ? List.of("*") : List.copyOf(written);
            List<Pattern> patterns = new ArrayList<>();
            for (String name : names) {
                patterns.add(Pattern.compile(regexOf(name)));
            }
            return new Patterns(names, List.copyOf(patterns));
        }

        private static String regexOf(String glob) {
            StringBuilder regex = new StringBuilder();
            String[] parts = glob.split("\\*", -1);
            for (int i = 0; i < parts.length; i++) {
                if (i > 0) {
                    regex.append(".*");
                }
                if (!parts[i].isEmpty()) {
                    regex.append(Pattern.quote(parts[i]));
                }
            }
            return regex.toString();
        }

        public boolean matches(String name) {
            for (Pattern pattern : compiled) {
                if (pattern.matcher(name).matches()) {
                    return true;
                }
            }
            return false;
        }
    }

    public Optional<Role> role(String name) {
        return name == null ? Optional.empty() : Optional.ofNullable(roles.get(name));
    }

    /** Reads access.yml (syntax and keys only: see {@link #build}). */
    public static YamlDocument<AccessFile> read(Path file) {
        return YamlDocument.read(file, AccessFile.class, "Access policy", System.getenv(),
                "Write the access policy (README, \"Semantic layer\"), or give its path.");
    }

    /** Checks the roles against the model; throws one exception listing every problem. */
    public static AccessPolicy build(YamlDocument<AccessFile> document, Model model) {
        Problems problems = new Problems(document, "Access policy");
        AccessFile file = document.value();
        if (file.version() != null && file.version() != 1) {
            problems.add("version", "version " + file.version() + " is not supported", "write version: 1");
        }
        Map<String, RoleSpec> specs = file.roles() == null ? Map.of() : file.roles();
        if (specs.isEmpty()) {
            problems.add("roles", "no role is defined", "define at least admin");
        }
        Map<String, Role> roles = new LinkedHashMap<>();
        for (Map.Entry<String, RoleSpec> entry : specs.entrySet()) {
            String key = "roles." + entry.getKey();
            RoleSpec spec = entry.getValue();
            if (spec == null || spec.grants() == null || spec.grants().isEmpty()) {
                problems.add(key + ".grants", "the role grants nothing", "give it grants: [{cubes: [...]}]");
                continue;
            }
            boolean territorial = Boolean.TRUE.equals(spec.territorial());
            List<Grant> grants = new ArrayList<>();
            for (int i = 0; i < spec.grants().size(); i++) {
                String grantKey = key + ".grants[" + i + "]";
                GrantSpec grant = spec.grants().get(i);
                if (grant == null || grant.cubes() == null || grant.cubes().isEmpty()) {
                    problems.add(grantKey + ".cubes", "the grant names no cube", "cubes: [\"*\"] grants every cube");
                    continue;
                }
                Grant compiled = new Grant(Patterns.of(grant.cubes()), Patterns.of(grant.measures()),
                        Patterns.of(grant.dimensions()), Patterns.of(grant.segments()));
                List<Cube> cubes = model.cubes().values().stream().filter(c -> compiled.cubes().matches(c.name()))
                        .toList();
                check(problems, grantKey + ".cubes", "cube", compiled.cubes(),
                        model.cubes().keySet());
                if (!cubes.isEmpty()) {
                    check(problems, grantKey + ".measures", "measure", compiled.measures(),
                            cubes.stream().flatMap(c -> c.measures().keySet().stream()).toList());
                    check(problems, grantKey + ".dimensions", "dimension", compiled.dimensions(),
                            cubes.stream().flatMap(c -> c.dimensions().keySet().stream()).toList());
                    if (grant.segments() != null) {
                        check(problems, grantKey + ".segments", "segment", compiled.segments(),
                                cubes.stream().flatMap(c -> c.segments().keySet().stream()).toList());
                    }
                }
                if (territorial) {
                    for (Cube cube : cubes) {
                        if (!cube.national() && cube.geography().isEmpty()) {
                            problems.add(grantKey + ".cubes", "the role is territorial but cube " + cube.name()
                                            + " has no geography: its rows cannot be limited to a territory",
                                    "declare the cube's geography in semantic.yml, or do not grant it");
                        }
                    }
                }
                grants.add(compiled);
            }
            roles.put(entry.getKey(), new Role(entry.getKey(), spec.description(), territorial,
                    Boolean.TRUE.equals(spec.auditLog()), grants));
        }
        problems.throwIfAny("Fix " + document.file() + " (README, \"Semantic layer\", describes the roles).");
        return new AccessPolicy(document.file(), roles);
    }

    /** A pattern that matches nothing is a typo: refuse it, naming the closest name. */
    private static void check(Problems problems, String key, String what, Patterns patterns, Collection<String> names) {
        for (int i = 0; i < patterns.written().size(); i++) {
            Pattern pattern = patterns.compiled().get(i);
            if (names.stream().noneMatch(n -> pattern.matcher(n).matches())) {
                String written = patterns.written().get(i);
                problems.add(key + "[" + i + "]", "'" + written + "' matches no " + what + " of the cubes granted",
                        fr.zlv.entrepot.core.EditDistance.closest(written, names).map(c -> "did you mean '" + c + "'?")
                                .orElse(null));
            }
        }
    }
}
