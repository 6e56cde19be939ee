package fr.zlv.entrepot.demo.territory;

import fr.zlv.entrepot.demo.DemoRandom;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The demo's own small France: ten real départements (their INSEE codes and names, Corsica and a
 * leading-zero code included) filled with synthetic communes and intercommunalities. Commune sizes follow
 * a power law, like the real ones: a few towns, many villages.
 *
 * <p>Housings are numbered commune after commune, so the commune, EPCI and département of housing
 * {@code i} are known from {@code i} alone ({@link #communeOf}).
 */
public final class Territory {

    private static final List<Region> REGIONS = List.of(
            new Region("75", "Nouvelle-Aquitaine"),
            new Region("32", "Hauts-de-France"),
            new Region("84", "Auvergne-Rhône-Alpes"),
            new Region("94", "Corse"),
            new Region("53", "Bretagne"));

    /** Code, name, région code, centre latitude and longitude, river used in commune names. */
    private record DepartementSeed(String code, String name, String region, double latitude, double longitude,
                                   String river) {
    }

    private static final List<DepartementSeed> DEPARTEMENTS = List.of(
            new DepartementSeed("01", "Ain", "84", 46.10, 5.35, "Ain"),
            new DepartementSeed("24", "Dordogne", "75", 45.15, 0.72, "Dordogne"),
            new DepartementSeed("29", "Finistère", "53", 48.25, -4.05, "Aulne"),
            new DepartementSeed("2A", "Corse-du-Sud", "94", 41.86, 8.98, "Gravona"),
            new DepartementSeed("2B", "Haute-Corse", "94", 42.40, 9.20, "Golo"),
            new DepartementSeed("33", "Gironde", "75", 44.83, -0.57, "Garonne"),
            new DepartementSeed("35", "Ille-et-Vilaine", "53", 48.15, -1.65, "Vilaine"),
            new DepartementSeed("59", "Nord", "32", 50.45, 3.20, "Escaut"),
            new DepartementSeed("62", "Pas-de-Calais", "32", 50.50, 2.35, "Canche"),
            new DepartementSeed("69", "Rhône", "84", 45.85, 4.65, "Saône"));

    private static final List<String> STEMS = List.of(
            "Beaulieu", "Montfort", "Villeneuve", "Castelnau", "Fontaine", "Belmont", "Champagne", "Neuville",
            "Rochefort", "Clairvaux", "Bellecombe", "Malemort", "Vaux", "Lacroix", "Boisseuil", "Chantemerle",
            "Roquebrune", "Mirebeau", "Puylaurens", "Estrées", "Marigny", "Fresnoy", "Hautefort", "Bonneval",
            "Courtenay", "Lussac", "Aubigny", "Chaumont", "Savigny", "Thiverny", "Orval", "Meyrieu", "Sorbiers",
            "Kerlouan", "Plouzané", "Lanvéoc", "Morsang", "Verneuil", "Ozenay", "Brassac", "Cazères", "Aiguebelle");
    private static final List<String> SAINTS = List.of(
            "Saint-Martin", "Saint-Georges", "Sainte-Marie", "Saint-Julien", "Saint-Pierre", "Sainte-Croix",
            "Saint-Aubin", "Saint-Laurent", "Saint-Médard", "Sainte-Foy", "Saint-Hilaire", "Saint-Germain");
    private static final List<String> QUALIFIERS = List.of(
            "", "", "", "-le-Haut", "-le-Bas", "-les-Bains", "-la-Forêt", "-en-Plaine", "-le-Château", "-les-Vignes");

    private final List<Region> regions;
    private final List<Departement> departements;
    private final List<Epci> epcis;
    private final List<Commune> communes;
    private final long housingCount;

    private Territory(List<Departement> departements, List<Epci> epcis, List<Commune> communes, long housingCount) {
        this.regions = REGIONS;
        this.departements = List.copyOf(departements);
        this.epcis = List.copyOf(epcis);
        this.communes = List.copyOf(communes);
        this.housingCount = housingCount;
    }

    /**
     * The territory for {@code housings} housings: about one commune per 40 housings, between 60 and 2,400
     * communes, spread over the ten départements.
     */
    public static Territory generate(DemoRandom demoRandom, long housings) {
        SplittableRandom random = demoRandom.stream("territory");
        int communeCount = (int) Math.max(60, Math.min(2_400, housings / 40));
        Map<String, Region> regionsByCode = new LinkedHashMap<>();
        REGIONS.forEach(region -> regionsByCode.put(region.code(), region));

        List<Departement> departements = new ArrayList<>();
        List<Epci> epcis = new ArrayList<>();
        List<CommuneDraft> drafts = new ArrayList<>();
        int epciNumber = 0;
        for (DepartementSeed seed : DEPARTEMENTS) {
            Departement departement = new Departement(seed.code(), seed.name(), regionsByCode.get(seed.region()));
            departements.add(departement);
            int inDepartement = communeCount / DEPARTEMENTS.size();
            Set<String> names = new HashSet<>();
            int prefecturePopulation = 60_000 + random.nextInt(240_000);
            int communeIndex = 0;
            while (communeIndex < inDepartement) {
                // An EPCI of 6 to 24 communes; the first holds the département's largest town.
                int size = Math.min(inDepartement - communeIndex, 6 + random.nextInt(19));
                int leaderRank = communeIndex + 1;
                int leaderPopulation = (int) (prefecturePopulation / Math.pow(leaderRank, 1.15));
                String kind = leaderPopulation > 200_000 ? "METRO" : leaderPopulation > 90_000 ? "CU"
                        : leaderPopulation > 30_000 ? "CA" : "CC";
                String leaderName = communeName(random, seed, names);
                String epciName = switch (kind) {
                    case "METRO" -> leaderName + " Métropole";
                    case "CU" -> "Communauté urbaine de " + leaderName;
                    case "CA" -> "Communauté d'agglomération de " + leaderName;
                    default -> "Communauté de communes " + (random.nextBoolean() ? "du Pays de " : "de ") + leaderName;
                };
                Epci epci = new Epci(String.format("2000%05d", ++epciNumber), epciName, kind, departement);
                epcis.add(epci);
                for (int k = 0; k < size; k++) {
                    communeIndex++;
                    String name = k == 0 ? leaderName : communeName(random, seed, names);
                    int population = Math.max(40, (int) (prefecturePopulation / Math.pow(communeIndex, 1.15)
                            * (0.6 + 0.8 * random.nextDouble())));
                    double latitude = seed.latitude() + (random.nextDouble() - 0.5) * 0.8;
                    double longitude = seed.longitude() + (random.nextDouble() - 0.5) * 1.0;
                    drafts.add(new CommuneDraft(code(seed.code(), communeIndex), name,
                            postalCode(seed.code(), communeIndex), epci, population, latitude, longitude));
                }
            }
        }
        return new Territory(departements, epcis, assignHousings(drafts, housings), housings);
    }

    private record CommuneDraft(String code, String name, String postalCode, Epci epci, int population,
                                double latitude, double longitude) {
    }

    /** Housings in proportion to population, at least one per commune, summing to {@code housings}. */
    private static List<Commune> assignHousings(List<CommuneDraft> drafts, long housings) {
        long population = drafts.stream().mapToLong(CommuneDraft::population).sum();
        long spare = housings - drafts.size();
        List<Commune> communes = new ArrayList<>();
        long next = 0;
        for (int i = 0; i < drafts.size(); i++) {
            CommuneDraft draft = drafts.get(i);
            long count = i == drafts.size() - 1 ? housings - next
                    : 1 + Math.max(0, (long) Math.floor((double) spare * draft.population() / population));
            communes.add(new Commune(draft.code(), draft.name(), draft.postalCode(), draft.epci(),
                    draft.population(), next, count, draft.latitude(), draft.longitude()));
            next += count;
        }
        return communes;
    }

    private static String communeName(SplittableRandom random, DepartementSeed departement, Set<String> taken) {
        for (int attempt = 0; ; attempt++) {
            String stem = random.nextInt(4) == 0 ? DemoRandom.pick(random, SAINTS) : DemoRandom.pick(random, STEMS);
            String qualifier = random.nextInt(5) == 0 ? "-sur-" + departement.river()
                    : DemoRandom.pick(random, QUALIFIERS);
            String name = stem + qualifier + (attempt > 40 ? "-" + attempt : "");
            if (taken.add(name)) {
                return name;
            }
        }
    }

    private static String code(String departement, int index) {
        return departement + String.format("%03d", index);
    }

    private static String postalCode(String departement, int index) {
        String prefix = departement.startsWith("2") && !Character.isDigit(departement.charAt(1)) ? "20" : departement;
        return prefix + String.format("%03d", (index * 10) % 1000);
    }

    public List<Region> regions() {
        return regions;
    }

    public List<Departement> departements() {
        return departements;
    }

    public List<Epci> epcis() {
        return epcis;
    }

    public List<Commune> communes() {
        return communes;
    }

    public long housingCount() {
        return housingCount;
    }

    /** The commune of housing {@code index} (binary search over the communes' ranges). */
    public Commune communeOf(long index) {
        int low = 0;
        int high = communes.size() - 1;
        while (low < high) {
            int middle = (low + high + 1) >>> 1;
            if (communes.get(middle).firstHousing() <= index) {
                low = middle;
            } else {
                high = middle - 1;
            }
        }
        return communes.get(low);
    }

    public List<Commune> communesOf(Epci epci) {
        return communes.stream().filter(commune -> commune.epci().equals(epci)).toList();
    }

    public List<Commune> communesOf(Departement departement) {
        return communes.stream().filter(commune -> commune.departement().equals(departement)).toList();
    }
}
