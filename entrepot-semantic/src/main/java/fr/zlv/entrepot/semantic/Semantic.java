package fr.zlv.entrepot.semantic;

import fr.zlv.entrepot.core.EntrepotException;
import fr.zlv.entrepot.core.settings.YamlDocument;
import fr.zlv.entrepot.semantic.access.AccessFile;
import fr.zlv.entrepot.semantic.access.AccessPolicy;
import fr.zlv.entrepot.semantic.api.SemanticApi;
import fr.zlv.entrepot.semantic.engine.BiDatabase;
import fr.zlv.entrepot.semantic.model.Catalog;
import fr.zlv.entrepot.semantic.model.Classification;
import fr.zlv.entrepot.semantic.model.Model;
import fr.zlv.entrepot.semantic.model.ModelBuilder;
import fr.zlv.entrepot.semantic.model.SemanticFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The semantic layer's entry points: {@link #open} serves a BI file through GraphQL, {@link #validate} checks
 * {@code semantic.yml} and {@code access.yml} without serving anything.
 */
public final class Semantic {

    private Semantic() {
    }

    /**
     * Reads and checks the model and the access policy against the BI file, and serves it. Every problem in the YAML
     * files is reported at once, naming file, line and key ({@link EntrepotException}, exit code 2).
     *
     * @param semanticYml   {@code warehouse/semantic.yml}
     * @param accessYml     {@code warehouse/access.yml}
     * @param dbtProjectDir the dbt project whose YAML classifies the marts' columns (personal data is never a
     *                      dimension); null to skip that check
     * @param publishYml    {@code warehouse/publish.yml}: published names → marts; null when tables are named as
     *                      their marts
     * @param biFile        the published BI file ({@code publish.bi_path}); it may be replaced (renamed over) while
     *                      served
     */
    public static SemanticApi open(Path semanticYml, Path accessYml, Path dbtProjectDir, Path publishYml, Path biFile,
                                   SemanticOptions options) {
        YamlDocument<SemanticFile> semantic = ModelBuilder.read(semanticYml);
        YamlDocument<AccessFile> access = AccessPolicy.read(accessYml);
        Classification classification = dbtProjectDir == null ? null : Classification.read(dbtProjectDir, publishYml);
        return new SemanticService(semantic, access, classification, biFile,
                options == null ? SemanticOptions.defaults() : options);
    }

    /**
     * What {@link #validate} checked.
     *
     * @param checkedAgainst where the tables and columns came from
     */
    public record Validation(Model model, AccessPolicy policy, String checkedAgainst) {

        public int measures() {
            return model.cubes().values().stream().mapToInt(c -> c.measures().size()).sum();
        }

        public int dimensions() {
            return model.cubes().values().stream().mapToInt(c -> c.dimensions().size()).sum();
        }
    }

    /**
     * Checks the model and the access policy: against the BI file's tables and types when {@code biFile} exists,
     * else against the dbt project's mart columns (names only). Throws an {@link EntrepotException} listing every
     * problem.
     */
    public static Validation validate(Path semanticYml, Path accessYml, Path dbtProjectDir, Path publishYml,
                                      Path biFile) {
        YamlDocument<SemanticFile> semantic = ModelBuilder.read(semanticYml);
        YamlDocument<AccessFile> access = AccessPolicy.read(accessYml);
        Classification classification = dbtProjectDir == null ? null : Classification.read(dbtProjectDir, publishYml);
        if (biFile != null && Files.isRegularFile(biFile)) {
            try (BiDatabase<Validation> database = new BiDatabase<>(biFile, 1, Duration.ofDays(1), "UTC",
                    generation -> check(semantic, access, classification, generation.catalog()));
                 BiDatabase.Generation<Validation> generation = database.acquire()) {
                return generation.served();
            }
        }
        if (classification == null) {
            throw EntrepotException.badInput("Nothing to check the semantic model against: no BI file"
                            + (biFile == null ? "" : " at " + biFile.toAbsolutePath()) + " and no dbt project.",
                    "Publish the BI file (entrepot publish --target bi), or give the dbt project.");
        }
        return check(semantic, access, classification, classification.catalog(dbtProjectDir));
    }

    private static Validation check(YamlDocument<SemanticFile> semantic, YamlDocument<AccessFile> access,
                                    Classification classification, Catalog catalog) {
        Model model = ModelBuilder.build(semantic, catalog, classification);
        AccessPolicy policy = AccessPolicy.build(access, model);
        return new Validation(model, policy, catalog.source());
    }
}
