package fr.zlv.entrepot.ingest.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.zlv.entrepot.core.EntrepotException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SourceCatalogTest {

    private static final Path SHIPPED = Path.of("..", "warehouse", "sources.yml");

    @TempDir
    Path directory;

    private SourceCatalog catalog(String yaml) throws IOException {
        Path file = directory.resolve("sources.yml");
        Files.writeString(file, yaml);
        return SourceCatalog.load(file, Map.of("BUCKET", "my-lake"));
    }

    @Test
    void forEachMakesOneSourcePerValue() throws IOException {
        SourceCatalog catalog = catalog("""
                sources:
                  - name: lovac_{year}
                    provider: cerema
                    description: LOVAC {year}
                    location: s3://${BUCKET}/lake/cerema/lovac/{year}/raw.csv
                    target: lovac.lovac_{year}
                    for_each: {year: [2019, 2020, 2021]}
                """);

        assertThat(catalog.sources()).extracting(FileSource::name).containsExactly("lovac_2019", "lovac_2020", "lovac_2021");
        FileSource last = catalog.sources().get(2);
        assertThat(last.location()).hasToString("s3://my-lake/lake/cerema/lovac/2021/raw.csv");
        assertThat(last.target()).hasToString("lovac.lovac_2021");
        assertThat(last.year()).isEqualTo(2021);
        assertThat(last.provider()).isEqualTo("CEREMA");
        assertThat(last.format()).isEqualTo(FileSource.Format.CSV);
        assertThat(catalog.select(List.of(), "CEREMA", 2020)).extracting(FileSource::name).containsExactly("lovac_2020");
    }

    @Test
    void theShippedCatalogCoversEverySourceFamily() {
        SourceCatalog catalog = SourceCatalog.load(SHIPPED, Map.of());

        assertThat(catalog.sources()).extracting(FileSource::provider)
                .contains("CEREMA", "INSEE", "DGFIP", "DGALN", "URSSAF", "ANAH");
        for (int year = 2019; year <= 2025; year++) {
            int millesime = year;
            assertThat(catalog.sources()).as("LOVAC " + year)
                    .anyMatch(source -> source.target().toString().equals("lovac.lovac_" + millesime));
        }
        assertThat(catalog.sources()).anyMatch(source -> source.target().schema().equals("ff"));
        assertThat(catalog.sources()).extracting(FileSource::format).contains(FileSource.Format.CSV,
                FileSource.Format.XLSX, FileSource.Format.PARQUET);
    }

    @Test
    void mistakesAreNamedWithTheLine() throws IOException {
        assertThatThrownBy(() -> catalog("""
                sources:
                  - name: a
                    provider: INSEE
                    location: a.csv
                    target: external.a
                    delimiter: ';'
                """)).hasMessageContaining("line 6").hasMessageContaining("unknown key 'sources[0].delimiter'");
        assertThatThrownBy(() -> catalog("""
                sources:
                  - name: a
                    provider: INSEE
                    location: a.csv
                    target: production.a
                """)).hasMessageContaining("source 'a': target production.a is not in schema lovac, ff or external");
        assertThatThrownBy(() -> catalog("""
                sources:
                  - name: a
                    provider: INSEE
                    location: a.csv
                    read: {sheet: COM}
                    target: external.a
                """)).hasMessageContaining("sheet and range are for xlsx files");
        assertThatThrownBy(() -> catalog("""
                sources:
                  - name: a
                    provider: INSEE
                    location: a.csv
                    target: external.a
                  - name: a
                    provider: INSEE
                    location: b.csv
                    target: external.b
                """)).isInstanceOf(EntrepotException.class).hasMessageContaining("line 6")
                .hasMessageContaining("two sources are named 'a'");
        assertThatThrownBy(() -> catalog("""
                sources:
                  - name: a
                    provider: INSEE
                    location: data.bin
                    target: external.a
                """)).hasMessageContaining("cannot tell the format of");
        assertThatThrownBy(() -> catalog("""
                sources:
                  - name: a
                    provider: INSEE
                    location: a.csv
                    read: {encoding: klingon}
                    target: external.a
                """)).hasMessageContaining("unknown encoding 'klingon'");
        assertThatThrownBy(() -> catalog("""
                sources:
                  - name: a
                    provider: INSEE
                    location: a.csv
                    target: external.a
                    expect: {min_rows: 10, max_rows: 5}
                """)).hasMessageContaining("sources[0].expect.max_rows must not be less than min_rows (10)");
    }
}
