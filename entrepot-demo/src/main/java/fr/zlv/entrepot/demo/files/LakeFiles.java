package fr.zlv.entrepot.demo.files;

import fr.zlv.entrepot.core.EntrepotException;
import fr.zlv.entrepot.core.warehouse.Warehouse;
import fr.zlv.entrepot.demo.DemoRandom;
import fr.zlv.entrepot.demo.production.ProductionDatabase;
import fr.zlv.entrepot.demo.production.World;
import fr.zlv.entrepot.demo.territory.Commune;
import fr.zlv.entrepot.demo.territory.Departement;
import fr.zlv.entrepot.demo.territory.Epci;
import fr.zlv.entrepot.demo.territory.Region;
import fr.zlv.entrepot.demo.territory.Territory;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.Normalizer;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.dhatim.fastexcel.Workbook;
import org.dhatim.fastexcel.Worksheet;

/**
 * The yearly and reference files of the demo's territory, shaped like the real ones and as messy: LOVAC
 * 2019-2025 (the 2023 format change, latin-1, semicolons, decimal commas, a byte-order mark), the land
 * files (housings, owners, buildings), INSEE's COG, membership table (XLSX with title rows) and census
 * (one sheet per year), DGFIP's TLV communes and DGALN's zoning (Parquet), URSSAF and ANAH figures, and the
 * administrative cuts.
 *
 * <p>The housings of LOVAC and the land files are those of the demo's production database (same seed):
 * their local identifiers, buildings and owners match, so the warehouse can join them.
 */
public final class LakeFiles {

    /** A file written for the source of that name in the shipped catalog ({@code warehouse/sources.yml}). */
    public record LakeFile(String source, Path file) {
    }

    private static final DateTimeFormatter FRENCH_DATE = DateTimeFormatter.ofPattern("dd/MM/yyyy");
    private static final List<String> OWNER_GROUP_CODES = List.of("", "6", "0", "1", "5", "9");

    private final World world;
    private final Path directory;
    private final List<LakeFile> files = new ArrayList<>();

    private LakeFiles(World world, Path directory) {
        this.world = world;
        this.directory = directory;
    }

    /** Writes every file into {@code directory}; the same seed gives the same files. */
    public static List<LakeFile> write(long seed, long housings, LocalDate asOf, Path directory) {
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw EntrepotException.failed("Cannot create " + directory + ": " + e.getMessage(), null, e);
        }
        LakeFiles lake = new LakeFiles(new World(new DemoRandom(seed), housings, asOf), directory);
        for (int year = 2019; year <= 2025; year++) {
            lake.lovac(year, lake.path("lovac_" + year + ".csv"), false);
        }
        lake.landFiles(2023);
        lake.landFiles(2024);
        lake.ownersAndBuildings(2024);
        lake.cog();
        lake.membership();
        lake.census();
        lake.parquetReferences();
        lake.urssafAndAnah();
        lake.administrativeCuts();
        return List.copyOf(lake.files);
    }

    /** The defaults of {@link #write}: the demo's reference date. */
    public static List<LakeFile> write(long seed, long housings, Path directory) {
        return write(seed, housings, ProductionDatabase.DEFAULT_AS_OF, directory);
    }

    /**
     * A LOVAC file of the 2023 format with every housing of a {@code housings}-sized territory, vacant or not:
     * the benchmark's large file. Returns the rows written.
     */
    public static long writeLargeLovac(long seed, long housings, Path file) {
        LakeFiles lake = new LakeFiles(new World(new DemoRandom(seed), housings, ProductionDatabase.DEFAULT_AS_OF),
                file.getParent());
        return lake.lovac(2024, file, true);
    }

    private Path path(String name) {
        return directory.resolve(name);
    }

    // ------------------------------------------------------------------ LOVAC

    private static final List<String> LOVAC_V1 = List.of("invariant", "ff_idlocal", "ff_idbat", "ff_idpar", "ff_idcom",
            "ff_ccodep", "ff_ccocom", "ff_dnvoiri", "ff_dvoilib", "ff_dteloc", "ff_stoth", "ff_npiece_p2", "ff_jannath",
            "ff_dcapec2", "ff_vlcad", "ff_ccthp", "debutvacance", "anmutation", "ff_ndroit", "groupe");
    private static final List<String> LOVAC_V2 = List.of("invariant", "ff_idlocal", "ff_idbat", "ff_idpar", "ff_idcom",
            "ff_ccodep", "ff_ccocom", "ff_dnvoiri", "ff_dvoilib", "ff_dteloc", "ff_stoth", "ff_npiece_p2", "ff_jannath",
            "ff_dcapec2", "ff_vlcad", "ffh_ccthp", "ffh_debutvacance", "dvf_datemut", "ff_ndroit", "groupe", "ff_x", "ff_y",
            "potentiel_tlv_thlv");

    /**
     * LOVAC for one millésime: the housings vacant that year (or all of them). 2019-2022: UTF-8 (with a
     * byte-order mark from 2021), commas, quoted text; 2023-2024: latin-1, semicolons, decimal commas,
     * renamed vacancy fields and coordinates; 2025: the same in UTF-8.
     */
    private long lovac(int year, Path file, boolean everyHousing) {
        boolean v2 = year >= 2023;
        Charset charset = year == 2023 || year == 2024 ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8;
        List<String> header = new ArrayList<>(v2 ? LOVAC_V2 : LOVAC_V1);
        for (int k = 1; k <= 6; k++) {
            header.addAll(List.of("ff_ddenom_" + k, "ff_jdatnss_" + k, "ff_ccogrm_" + k, "ff_dlign4_" + k, "ff_dlign6_" + k));
        }
        String millesime = "lovac-" + year;
        try (CsvFile csv = new CsvFile(file, charset, year == 2021 || year == 2022, v2 ? ';' : ',', !v2,
                v2 ? "\r\n" : "\n")) {
            csv.row(header);
            for (long i = 0; i < world.housings; i++) {
                World.Housing h = world.housing(i);
                if (!everyHousing && !h.dataFileYears().contains(millesime)) {
                    continue;
                }
                csv.row(lovacRow(h, year, v2));
            }
            if (!everyHousing) {
                files.add(new LakeFile("lovac_" + year, file));
            }
            return csv.rows() - 1;
        }
    }

    private List<Object> lovacRow(World.Housing h, int year, boolean v2) {
        World.HousingDetails d = world.details(h);
        Commune commune = h.commune();
        String[] street = d.street().split(" ", 2);
        boolean numbered = street[0].matches("\\d+");
        List<Object> row = new ArrayList<>(List.of(d.invariant(), d.localId(), h.buildingId(), d.plotId(), commune.code(),
                commune.code().substring(0, 2), commune.code().substring(2)));
        row.add(numbered ? street[0] : null);
        row.add(numbered ? street[1] : d.street());
        row.add(h.apartment() ? "2" : "1");
        row.add(decimal(d.area() + (h.index() % 4) * 0.25, v2));
        row.add(d.rooms());
        row.add(d.buildingYear());
        row.add(d.cadastralClassification());
        row.add(decimal(d.rentalValue() * 1.07, v2));
        row.add("V");
        Integer start = h.vacancyStartYear();
        row.add(start == null ? year - 2 : start);
        // A millésime knows the transfers before 1 January of its year only.
        LocalDate mutation = d.mutationDate() == null || !d.mutationDate().isBefore(LocalDate.of(year, 1, 1)) ? null
                : d.mutationDate();
        if (v2) {
            row.add(mutation == null ? null : mutation.format(FRENCH_DATE));
        } else {
            row.add(mutation == null ? null : mutation.getYear());
        }
        long[] owners = h.owners();
        row.add(owners.length);
        World.Owner primary = world.owner(owners[0]);
        row.add(primary.person() ? "particulier" : "personne morale");
        if (v2) {
            row.add(decimal(d.longitude(), true));
            row.add(decimal(d.latitude(), true));
            row.add(commune.population() > 20_000 ? "1" : "0");
        }
        for (int k = 0; k < 6; k++) {
            if (k < owners.length) {
                World.Owner owner = k == 0 ? primary : world.owner(owners[k]);
                row.add(owner.fullName());
                row.add(owner.birthDate() == null ? null : owner.birthDate().format(FRENCH_DATE));
                row.add(OWNER_GROUP_CODES.get(owner.kind()).isEmpty() ? null : OWNER_GROUP_CODES.get(owner.kind()));
                row.add(owner.address() == null ? null : owner.address().get(0));
                row.add(owner.address() == null ? null : owner.address().get(1));
            } else {
                row.addAll(Arrays.asList(null, null, null, null, null));
            }
        }
        return row;
    }

    // ------------------------------------------------------------------ Fichiers fonciers

    private void landFiles(int year) {
        Path file = path("ff_" + year + ".csv");
        try (CsvFile csv = new CsvFile(file, StandardCharsets.UTF_8, false, ',', false, "\n")) {
            csv.row(List.of("idlocal", "idbat", "idpar", "idcom", "ccodep", "ccocom", "dteloc", "stoth", "npiece_p2",
                    "jannath", "dcapec2", "ccthp", "jdatat"));
            for (long i = 0; i < world.housings; i++) {
                World.Housing h = world.housing(i);
                World.HousingDetails d = world.details(h);
                String occupancy = h.occupancySource().equals("inconnu") ? null : h.occupancySource();
                csv.row(Arrays.asList(d.localId(), h.buildingId(), d.plotId(), h.geoCode(), h.geoCode().substring(0, 2),
                        h.geoCode().substring(2), h.apartment() ? "2" : "1", d.area(), d.rooms(), d.buildingYear(),
                        d.cadastralClassification(), occupancy, d.mutationDate()));
            }
        }
        files.add(new LakeFile("ff_" + year, file));
    }

    private void ownersAndBuildings(int year) {
        Path owners = path("ff_" + year + "_owners.csv");
        try (CsvFile csv = new CsvFile(owners, StandardCharsets.UTF_8, false, ',', false, "\n")) {
            csv.row(List.of("idprocpte", "idlocal", "dnulp", "idpersonne", "ddenom", "jdatnss", "ccogrm", "catpro2txt",
                    "dlign4", "dlign6"));
            for (long i = 0; i < world.housings; i++) {
                World.Housing h = world.housing(i);
                String localId = world.details(h).localId();
                long[] ranks = h.owners();
                for (int k = 0; k < ranks.length; k++) {
                    World.Owner owner = world.owner(ranks[k]);
                    csv.row(Arrays.asList(h.geoCode() + String.format("%06d", h.index() % 1_000_000), localId,
                            String.format("%02d", k + 1), owner.idpersonne(), owner.fullName(),
                            owner.birthDate() == null ? null : owner.birthDate().format(FRENCH_DATE),
                            OWNER_GROUP_CODES.get(owner.kind()).isEmpty() ? null : OWNER_GROUP_CODES.get(owner.kind()),
                            owner.person() ? "PERSONNE PHYSIQUE" : "PERSONNE MORALE",
                            owner.address() == null ? null : owner.address().get(0),
                            owner.address() == null ? null : owner.address().get(1)));
                }
            }
        }
        files.add(new LakeFile("ff_" + year + "_owners", owners));
        Path buildings = path("ff_" + year + "_buildings.csv");
        try (CsvFile csv = new CsvFile(buildings, StandardCharsets.UTF_8, false, ',', false, "\n")) {
            csv.row(List.of("idbat", "idcom", "nlogh", "nloghvac"));
            Map<String, int[]> block = new LinkedHashMap<>();
            Map<String, String> communes = new LinkedHashMap<>();
            for (long start = 0; start < world.housings; start += 4) {
                block.clear();
                for (long i = start; i < Math.min(start + 4, world.housings); i++) {
                    World.Housing h = world.housing(i);
                    int[] counts = block.computeIfAbsent(h.buildingId(), id -> new int[2]);
                    counts[0]++;
                    counts[1] += h.occupancySource().equals("V") ? 1 : 0;
                    communes.put(h.buildingId(), h.geoCode());
                }
                for (Map.Entry<String, int[]> building : block.entrySet()) {
                    csv.row(List.of(building.getKey(), communes.remove(building.getKey()), building.getValue()[0],
                            building.getValue()[1]));
                }
            }
        }
        files.add(new LakeFile("ff_" + year + "_buildings", buildings));
    }

    // ------------------------------------------------------------------ INSEE

    private void cog() {
        Path file = path("cog_2024.csv");
        Territory territory = world.territory;
        try (CsvFile csv = new CsvFile(file, StandardCharsets.UTF_8, false, ',', true, "\n")) {
            csv.row(List.of("TYPECOM", "COM", "REG", "DEP", "CTCD", "ARR", "TNCC", "NCC", "NCCENR", "LIBELLE", "CAN",
                    "COMPARENT"));
            int delegated = 0;
            for (Commune commune : territory.communes()) {
                Departement departement = commune.departement();
                String name = commune.name();
                csv.row(Arrays.asList("COM", commune.code(), departement.region().code(), departement.code(),
                        departement.code() + "D", departement.code() + "1", "0", upperAscii(name), name, name,
                        departement.code() + "0" + (1 + commune.code().charAt(4) % 5), null));
                // A few communes merged others, which live on as "communes déléguées".
                if (commune.population() < 400 && delegated < 5) {
                    delegated++;
                    String code = departement.code() + String.format("%03d", 900 + delegated);
                    csv.row(Arrays.asList("COMD", code, null, null, null, null, "0", upperAscii(name + " Village"),
                            name + " Village", name + " Village", null, commune.code()));
                }
            }
        }
        files.add(new LakeFile("insee_cog_2024", file));
    }

    private void membership() {
        Path file = path("table-appartenance-geo-communes-2025.xlsx");
        writeWorkbook(file, book -> {
            Worksheet sheet = book.newWorksheet("COM");
            sheet.value(0, 0, "Table d'appartenance géographique des communes au 1er janvier 2025");
            sheet.value(1, 0, "Source : Insee, code officiel géographique (démo Entrepôt : communes fictives)");
            sheet.value(3, 0, "Mise à jour : janvier 2025");
            List<String> header = List.of("CODGEO", "LIBGEO", "DEP", "REG", "EPCI", "NATURE_EPCI");
            for (int c = 0; c < header.size(); c++) {
                sheet.value(5, c, header.get(c));
            }
            int row = 6;
            for (Commune commune : world.territory.communes()) {
                Epci epci = commune.epci();
                sheet.value(row, 0, commune.code());
                sheet.value(row, 1, commune.name());
                sheet.value(row, 2, commune.departement().code());
                sheet.value(row, 3, commune.departement().region().code());
                sheet.value(row, 4, epci.siren());
                sheet.value(row, 5, epci.kind());
                row++;
            }
            Worksheet notes = book.newWorksheet("Documentation");
            notes.value(0, 0, "Nature de l'EPCI : CC, CA, CU, METRO");
        });
        files.add(new LakeFile("insee_table_appartenance_geo_communes_2025", file));
    }

    private void census() {
        Path file = path("fichier_pop_reference.xlsx");
        writeWorkbook(file, book -> {
            for (int year = 2019; year <= 2022; year++) {
                Worksheet sheet = book.newWorksheet(String.valueOf(year));
                sheet.value(0, 0, "Populations légales " + year);
                sheet.value(2, 0, "Champ : communes (démo Entrepôt)");
                sheet.value(7, 0, "CODGEO");
                sheet.value(7, 1, "LIBGEO");
                sheet.value(7, 2, "PMUN");
                int row = 8;
                for (Commune commune : world.territory.communes()) {
                    sheet.value(row, 0, commune.code());
                    sheet.value(row, 1, commune.name());
                    sheet.value(row, 2, Math.round(commune.population() * (1 + (year - 2022) * 0.004)));
                    row++;
                }
            }
        });
        for (int year = 2019; year <= 2022; year++) {
            files.add(new LakeFile("insee_recensement_historique_" + year, file));
        }
    }

    // ------------------------------------------------------------------ DGFIP, DGALN (Parquet), URSSAF, ANAH

    private void parquetReferences() {
        SplittableRandom r = new SplittableRandom(world.territory.communes().size());
        Path tlv = path("liste_communes_tlv.parquet");
        Path zoning = path("zonage_abc.parquet");
        try (Warehouse scratch = Warehouse.inMemory()) {
            scratch.execute("CREATE TABLE tlv (code_commune VARCHAR, libelle_commune VARCHAR, zonage_tlv VARCHAR)");
            scratch.execute("CREATE TABLE zonage (code_commune VARCHAR, zone_abc VARCHAR)");
            StringBuilder tlvRows = new StringBuilder();
            StringBuilder zoningRows = new StringBuilder();
            for (Commune commune : world.territory.communes()) {
                String zone = commune.population() > 100_000 ? "A" : commune.population() > 20_000 ? "B1"
                        : commune.population() > 5_000 ? "B2" : "C";
                append(zoningRows, literal(commune.code()) + ", " + literal(zone));
                if (commune.population() > 20_000 || (commune.population() > 5_000 && r.nextInt(3) == 0)) {
                    append(tlvRows, literal(commune.code()) + ", " + literal(commune.name()) + ", "
                            + literal(commune.population() > 20_000 ? "TLV1" : "TLV2"));
                }
            }
            scratch.execute("INSERT INTO tlv VALUES " + tlvRows);
            scratch.execute("INSERT INTO zonage VALUES " + zoningRows);
            scratch.execute("COPY tlv TO " + literal(tlv.toString()) + " (FORMAT parquet)");
            scratch.execute("COPY zonage TO " + literal(zoning.toString()) + " (FORMAT parquet)");
        }
        files.add(new LakeFile("dgfip_liste_communes_tlv1_tlv2", tlv));
        files.add(new LakeFile("dgaln_zonage_abc", zoning));
    }

    private void urssafAndAnah() {
        SplittableRandom r = new SplittableRandom(world.territory.communes().size() * 31L);
        Path urssaf = path("etablissements_effectifs.csv");
        try (CsvFile csv = new CsvFile(urssaf, StandardCharsets.UTF_8, false, ';', false, "\n")) {
            csv.row(List.of("code_commune", "nombre_etablissements", "effectifs_salaries"));
            for (Commune commune : world.territory.communes()) {
                int establishments = Math.max(1, commune.population() / 30 + r.nextInt(5));
                csv.row(List.of(commune.code(), establishments, establishments * (2 + r.nextInt(9))));
            }
        }
        files.add(new LakeFile("urssaf_etablissements_effectifs", urssaf));
        Path anah = path("aides_logements_2024.csv");
        try (CsvFile csv = new CsvFile(anah, Charset.forName("windows-1252"), false, ';', false, "\r\n")) {
            csv.row(List.of("code_commune", "logements_aides", "montant_aides", "dont_sortie_vacance"));
            for (Commune commune : world.territory.communes()) {
                if (r.nextInt(3) > 0) {
                    int aided = r.nextInt(Math.max(2, commune.population() / 400 + 2));
                    csv.row(List.of(commune.code(), aided, decimal(aided * (4_000 + r.nextInt(12_000)) + 0.5, true),
                            aided == 0 ? 0 : r.nextInt(aided + 1)));
                }
            }
        }
        files.add(new LakeFile("anah_aides_logements_2024", anah));
    }

    // ------------------------------------------------------------------ administrative cuts

    private void administrativeCuts() {
        Territory territory = world.territory;
        Path communes = path("communes.csv");
        try (CsvFile csv = new CsvFile(communes, StandardCharsets.UTF_8, false, ',', false, "\n")) {
            csv.row(List.of("code", "nom", "code_epci", "code_departement", "code_region", "population", "codes_postaux"));
            for (Commune commune : territory.communes()) {
                csv.row(List.of(commune.code(), commune.name(), commune.epci().siren(), commune.departement().code(),
                        commune.departement().region().code(), commune.population(), commune.postalCode()));
            }
        }
        Path epcis = path("epci.csv");
        try (CsvFile csv = new CsvFile(epcis, StandardCharsets.UTF_8, false, ',', false, "\n")) {
            csv.row(List.of("code", "nom", "type"));
            for (Epci epci : territory.epcis()) {
                csv.row(List.of(epci.siren(), epci.name(), epci.kind()));
            }
        }
        Path departements = path("departements.csv");
        try (CsvFile csv = new CsvFile(departements, StandardCharsets.UTF_8, false, ',', false, "\n")) {
            csv.row(List.of("code", "nom", "code_region"));
            for (Departement departement : territory.departements()) {
                csv.row(List.of(departement.code(), departement.name(), departement.region().code()));
            }
        }
        Path regions = path("regions.csv");
        try (CsvFile csv = new CsvFile(regions, StandardCharsets.UTF_8, false, ',', false, "\n")) {
            csv.row(List.of("code", "nom"));
            for (Region region : territory.regions()) {
                csv.row(List.of(region.code(), region.name()));
            }
        }
        files.add(new LakeFile("admin_communes", communes));
        files.add(new LakeFile("admin_epci", epcis));
        files.add(new LakeFile("admin_departements", departements));
        files.add(new LakeFile("admin_regions", regions));
    }

    // ------------------------------------------------------------------ helpers

    /** A number as text, with a decimal comma when asked; written unquoted. */
    private record Decimal(String text) {
        @Override
        public String toString() {
            return text;
        }
    }

    private static Decimal decimal(double value, boolean comma) {
        String text = String.format(Locale.ROOT, "%.2f", value).replaceAll("0+$", "").replaceAll("\\.$", "");
        return new Decimal(comma ? text.replace('.', ',') : text);
    }

    private static String upperAscii(String name) {
        return Normalizer.normalize(name, Normalizer.Form.NFD).replaceAll("\\p{M}", "").toUpperCase(Locale.ROOT)
                .replace('-', ' ').replace("'", " ");
    }

    private interface Sheets {
        void write(Workbook book);
    }

    private static void writeWorkbook(Path file, Sheets sheets) {
        try (OutputStream out = Files.newOutputStream(file)) {
            Workbook book = new Workbook(out, "Entrepot demo", "1.0");
            sheets.write(book);
            book.finish();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void append(StringBuilder values, String row) {
        values.append(values.isEmpty() ? "" : ", ").append('(').append(row).append(')');
    }

    private static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }
}
