package fr.zlv.entrepot.demo.files;

import static org.assertj.core.api.Assertions.assertThat;

import fr.zlv.entrepot.demo.DemoRandom;
import fr.zlv.entrepot.demo.production.ProductionDatabase;
import fr.zlv.entrepot.demo.production.World;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo's LOVAC millésimes behave like the real ones: the production's housings, a steady stock, a fifth out. */
class LakeFilesTest {

    private static final long SEED = 7;
    private static final long HOUSINGS = 4_000;

    @TempDir
    static Path directory;

    private static final Map<Integer, List<String[]>> LOVAC = new LinkedHashMap<>();

    @BeforeAll
    static void write() throws IOException {
        List<LakeFiles.LakeFile> files = LakeFiles.write(SEED, HOUSINGS, directory);
        for (int year = 2019; year <= 2025; year++) {
            String source = "lovac_" + year;
            Path file = files.stream().filter(f -> f.source().equals(source)).findFirst().orElseThrow().file();
            Charset charset = year == 2023 || year == 2024 ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8;
            String delimiter = year >= 2023 ? ";" : ",";
            List<String> lines = Files.readAllLines(file, charset);
            LOVAC.put(year, lines.subList(1, lines.size()).stream()
                    .map(line -> line.replace("\"", "").split(delimiter, -1)).toList());
        }
    }

    private static Set<String> localIds(int year) {
        Set<String> ids = new HashSet<>();
        for (String[] row : LOVAC.get(year)) {
            ids.add(row[1]);
        }
        return ids;
    }

    @Test
    void everyLovacHousingIsAProductionHousingListedOncePerMillesime() {
        World world = new World(new DemoRandom(SEED), HOUSINGS, ProductionDatabase.DEFAULT_AS_OF);
        Set<String> production = new HashSet<>();
        for (long i = 0; i < HOUSINGS; i++) {
            production.add(world.details(world.housing(i)).localId());
        }
        for (int year = 2019; year <= 2025; year++) {
            assertThat(localIds(year)).as("LOVAC %d", year).hasSize(LOVAC.get(year).size()).isNotEmpty();
            assertThat(production).as("LOVAC %d", year).containsAll(localIds(year));
        }
    }

    @Test
    void aboutAFifthOfTheVacantHousingsLeaveVacancyEachYearAndNewOnesEnter() {
        for (int year = 2019; year < 2025; year++) {
            Set<String> now = localIds(year);
            Set<String> next = localIds(year + 1);
            long exits = now.stream().filter(id -> !next.contains(id)).count();
            long entries = next.stream().filter(id -> !now.contains(id)).count();
            assertThat((double) exits / now.size()).as("exit rate %d -> %d", year, year + 1).isBetween(0.14, 0.28);
            assertThat((double) entries / now.size()).as("entry rate %d -> %d", year, year + 1).isBetween(0.12, 0.30);
        }
        // A steady stock: the latest millésime is within a fifth of the first one.
        assertThat((double) LOVAC.get(2025).size() / LOVAC.get(2019).size()).isBetween(0.8, 1.2);
    }

    @Test
    void aMillesimeKnowsOnlyTheTransfersBeforeItsFirstOfJanuary() {
        for (int year = 2019; year <= 2022; year++) {
            for (String[] row : LOVAC.get(year)) {
                String mutationYear = row[17];
                if (!mutationYear.isEmpty()) {
                    assertThat(Integer.parseInt(mutationYear)).as("anmutation in LOVAC %d", year).isLessThan(year);
                }
            }
        }
        for (int year = 2023; year <= 2025; year++) {
            for (String[] row : LOVAC.get(year)) {
                String mutationDate = row[17];
                if (!mutationDate.isEmpty()) {
                    assertThat(Integer.parseInt(mutationDate.substring(6))).as("dvf_datemut in LOVAC %d", year)
                            .isLessThan(year);
                }
            }
        }
    }
}
