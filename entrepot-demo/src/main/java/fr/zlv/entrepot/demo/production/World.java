package fr.zlv.entrepot.demo.production;

import fr.zlv.entrepot.demo.DemoRandom;
import fr.zlv.entrepot.demo.Names;
import fr.zlv.entrepot.demo.territory.Commune;
import fr.zlv.entrepot.demo.territory.Departement;
import fr.zlv.entrepot.demo.territory.Epci;
import fr.zlv.entrepot.demo.territory.Region;
import fr.zlv.entrepot.demo.territory.Territory;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * The small tables of the demo, held in memory (establishments, users, campaigns, groups), and the rules
 * that give each housing and owner its values. Large tables are streamed from these rules by
 * {@link ProductionTables}: housing {@code i} is {@link #housing(long)}, owner {@code j} draws from
 * {@link #ownerRandom(long)}.
 */
public final class World {

    record Establishment(int index, UUID id, String name, String kind, String kindAdmin, String layer,
                         int siren, List<Commune> communes, boolean available, Departement departement,
                         Region region) {
    }

    record User(int index, UUID id, Establishment establishment, int role, String firstName, String lastName,
                String email, long activatedAt, boolean deleted) {
    }

    record Campaign(int index, UUID id, Establishment establishment, User user, Group group, String status,
                    String title, long createdAt, Long sentAt, long[] housings) {
        boolean sent() {
            return sentAt != null;
        }
    }

    record Group(int index, UUID id, Establishment establishment, User user, String title, long createdAt,
                 long[] housings) {
    }

    /** One housing's values that several tables need. */
    public record Housing(long index, UUID id, Commune commune, boolean apartment, String buildingId, String dataSource,
                   List<String> dataFileYears, Integer vacancyStartYear, int status, String subStatus,
                   String occupancy, String occupancySource, Campaign campaign, long followedSince,
                   long[] owners, long previousOwner) {
        public String geoCode() {
            return commune.code();
        }
    }

    final DemoRandom random;
    public final Territory territory;
    public final long housings;
    public final long owners;
    /** The data's reference time, seconds since 1970. */
    public final long asOf;
    final List<Establishment> establishments = new ArrayList<>();
    final List<User> users = new ArrayList<>();
    final List<Campaign> campaigns = new ArrayList<>();
    final List<Group> groups = new ArrayList<>();
    /** For each housing in a campaign, its first sent campaign (or first campaign). */
    private final Map<Long, Campaign> campaignOfHousing = new HashMap<>();
    /** Users who may act on a commune's housings: those of the establishments covering it. */
    private final Map<String, List<User>> usersByCommune = new HashMap<>();
    private final List<User> administrators = new ArrayList<>();

    private static final long DAY = 86_400;

    /** The LOVAC millésimes of the demo. */
    static final int FIRST_LOVAC = 2019;
    static final int LAST_LOVAC = 2025;
    private static final List<Integer> LOVAC_YEARS = List.of(2019, 2020, 2021, 2022, 2023, 2024, 2025);
    /** The chance that a vacant housing is still vacant a year later: a fifth leave vacancy each year. */
    static final double STAY_VACANT = 0.8;
    /** The same, from the year a campaign was sent to it: the programme's mail does help. */
    static final double STAY_VACANT_AFTER_CAMPAIGN = 0.65;
    /**
     * Where a vacant housing's first millésime falls: the 2019 stock, then each year entries worth a fifth of
     * it (s + 6 x 0.2 s = 1), so the stock stays steady while a fifth of it leaves each year.
     */
    private static final double[] ENTRY_SHARES = {1 / 2.2, 0.2 / 2.2, 0.2 / 2.2, 0.2 / 2.2, 0.2 / 2.2, 0.2 / 2.2,
            0.2 / 2.2};

    /** The chance a housing vacant on 1 January {@code year} is still vacant on 1 January of the next year. */
    private double stayVacant(Campaign campaign, int year) {
        if (campaign != null && campaign.sent()
                && LocalDate.ofEpochDay(campaign.sentAt() / DAY).getYear() <= year) {
            return STAY_VACANT_AFTER_CAMPAIGN;
        }
        return STAY_VACANT;
    }

    public World(DemoRandom random, long housings, LocalDate asOf) {
        this.random = random;
        this.housings = housings;
        this.owners = Math.max(1, Math.round(housings * 0.85));
        this.asOf = asOf.atStartOfDay().toEpochSecond(ZoneOffset.UTC);
        this.territory = Territory.generate(random, housings);
        createEstablishments();
        createUsers();
        createGroupsAndCampaigns();
    }

    // ---------------------------------------------------------------- establishments and users

    private void createEstablishments() {
        SplittableRandom r = random.stream("establishments");
        for (Commune commune : territory.communes()) {
            double availability = commune.population() > 20_000 ? 0.6 : commune.population() > 3_000 ? 0.2 : 0.04;
            addEstablishment(r, commune.name(), "COM", "Commune", "Commune", List.of(commune),
                    DemoRandom.chance(r, availability), commune.departement());
        }
        for (Epci epci : territory.epcis()) {
            addEstablishment(r, epci.name(), epci.kind(), "EPCI", "EPCI", territory.communesOf(epci),
                    DemoRandom.chance(r, 0.55), epci.departement());
        }
        for (Departement departement : territory.departements()) {
            List<Commune> communes = territory.communesOf(departement);
            addEstablishment(r, "Département " + departement.name(), "DEP", "Département", "Département", communes,
                    DemoRandom.chance(r, 0.5), departement);
            addEstablishment(r, "DDT " + departement.name(), "SDED", "Service déconcentré", "Département", communes,
                    true, departement);
        }
        for (Region region : territory.regions()) {
            List<Commune> communes = territory.communes().stream()
                    .filter(commune -> commune.departement().region().equals(region)).toList();
            Departement first = communes.get(0).departement();
            addEstablishment(r, "Région " + region.name(), "REG", "Région", "Région", communes,
                    DemoRandom.chance(r, 0.3), first);
        }
    }

    private void addEstablishment(SplittableRandom r, String name, String kind, String kindAdmin, String layer,
                                  List<Commune> communes, boolean available, Departement departement) {
        int index = establishments.size();
        int siren = 200_000_000 + index * 37 + r.nextInt(30);
        establishments.add(new Establishment(index, random.uuid("establishment", index), name, kind, kindAdmin,
                layer, siren, communes, available, departement, departement.region()));
    }

    private void createUsers() {
        SplittableRandom r = random.stream("users");
        // The national team: administrators without an establishment.
        for (int k = 0; k < 4; k++) {
            administrators.add(addUser(r, null, 1));
        }
        for (Establishment establishment : establishments) {
            if (!establishment.available()) {
                continue;
            }
            int count = 1 + r.nextInt(establishment.kind().equals("COM") ? 2 : 4);
            for (int k = 0; k < count; k++) {
                User user = addUser(r, establishment, DemoRandom.chance(r, 0.08) ? 2 : 0);
                if (!user.deleted()) {
                    for (Commune commune : establishment.communes()) {
                        usersByCommune.computeIfAbsent(commune.code(), code -> new ArrayList<>()).add(user);
                    }
                }
            }
        }
    }

    private User addUser(SplittableRandom r, Establishment establishment, int role) {
        int index = users.size();
        String first = Names.firstName(r);
        String last = Names.lastName(r);
        String domain = establishment == null ? "beta.gouv.fr"
                : Names.ascii(establishment.name()).replaceAll("^-|-$", "") + ".fr";
        String email = Names.ascii(first) + "." + Names.ascii(last) + (index % 7 == 0 ? index : "") + "@" + domain;
        long activatedAt = asOf - (long) (r.nextDouble() * 4.5 * 365 * 86_400);
        boolean deleted = establishment != null && DemoRandom.chance(r, 0.05);
        User user = new User(index, random.uuid("user", index), establishment, role, first, last, email, activatedAt,
                deleted);
        users.add(user);
        return user;
    }

    // ---------------------------------------------------------------- groups and campaigns

    private void createGroupsAndCampaigns() {
        SplittableRandom r = random.stream("campaigns");
        for (Establishment establishment : establishments) {
            List<User> team = users.stream()
                    .filter(user -> user.establishment() == establishment && !user.deleted() && user.role() == 0)
                    .toList();
            if (team.isEmpty()) {
                continue;
            }
            long housingsThere = establishment.communes().stream().mapToLong(Commune::housingCount).sum();
            int groupCount = r.nextInt(3);
            for (int k = 0; k < groupCount; k++) {
                User author = DemoRandom.pick(r, team);
                long createdAt = Math.max(author.activatedAt(), asOf - (long) (r.nextDouble() * 3.5 * 365 * 86_400));
                long[] members = pickHousings(r, establishment, housingsThere, 10, 300, 0.02);
                groups.add(new Group(groups.size(), random.uuid("group", groups.size()), establishment, author,
                        groupTitle(r), createdAt, members));
            }
            int campaignCount = r.nextInt(5);
            for (int k = 0; k < campaignCount; k++) {
                User author = DemoRandom.pick(r, team);
                long createdAt = Math.max(author.activatedAt(), asOf - (long) (r.nextDouble() * 4 * 365 * 86_400));
                String status = DemoRandom.weighted(r, List.of("draft", "sending", "in-progress", "archived"),
                        new double[] {0.15, 0.05, 0.55, 0.25});
                Long sentAt = status.equals("in-progress") || status.equals("archived")
                        ? Math.min(asOf - 86_400, createdAt + 86_400L * (3 + r.nextInt(40))) : null;
                Group fromGroup = null;
                long[] members;
                List<Group> ownGroups = groups.stream().filter(g -> g.establishment() == establishment).toList();
                if (!ownGroups.isEmpty() && DemoRandom.chance(r, 0.4)) {
                    fromGroup = DemoRandom.pick(r, ownGroups);
                    members = fromGroup.housings();
                } else {
                    members = pickHousings(r, establishment, housingsThere, 20, 400, 0.03);
                }
                LocalDate created = LocalDate.ofEpochDay(createdAt / 86_400);
                String title = "Campagne " + DemoRandom.pick(r, List.of("logements vacants", "propriétaires",
                        "centre-bourg", "relance", "vacance longue durée")) + " " + created.getYear();
                Campaign campaign = new Campaign(campaigns.size(), random.uuid("campaign", campaigns.size()),
                        establishment, author, fromGroup, status, title, createdAt, sentAt, members);
                campaigns.add(campaign);
                for (long housing : members) {
                    campaignOfHousing.merge(housing, campaign, World::earlierSent);
                }
            }
        }
    }

    private static Campaign earlierSent(Campaign a, Campaign b) {
        if (a.sent() != b.sent()) {
            return a.sent() ? a : b;
        }
        long dateA = a.sent() ? a.sentAt() : a.createdAt();
        long dateB = b.sent() ? b.sentAt() : b.createdAt();
        return dateA <= dateB ? a : b;
    }

    /**
     * Between {@code min} and {@code max} distinct housings of the establishment's communes, and no more than
     * {@code share} of them: campaigns reach a few percent of a territory's vacant housings.
     */
    private long[] pickHousings(SplittableRandom r, Establishment establishment, long available, int min, int max,
                                double share) {
        long cap = Math.max(3, Math.round(available * share));
        int wanted = (int) Math.min(Math.min(available, cap), min + r.nextInt(max - min + 1));
        Set<Long> picked = new LinkedHashSet<>();
        List<Commune> communes = establishment.communes();
        while (picked.size() < wanted) {
            Commune commune = communes.get(r.nextInt(communes.size()));
            picked.add(commune.firstHousing() + (long) (r.nextDouble() * commune.housingCount()));
        }
        long[] housingIndexes = picked.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(housingIndexes);
        return housingIndexes;
    }

    private static String groupTitle(SplittableRandom r) {
        return DemoRandom.pick(r, List.of("Vacance > 2 ans", "Centre ancien", "Passoires énergétiques",
                "Multi-propriétaires", "Logements dégradés", "Secteur OPAH", "Immeubles entiers vacants"));
    }

    // ---------------------------------------------------------------- housings and owners

    public UUID housingId(long index) {
        return random.uuid("housing", index);
    }

    public UUID ownerId(long index) {
        return random.uuid("owner", index);
    }

    SplittableRandom ownerRandom(long index) {
        return random.row("owner", index);
    }

    /** The values of housing {@code index} that several tables share; always the same for a seed. */
    public Housing housing(long index) {
        SplittableRandom r = random.row("housing", index);
        Commune commune = territory.communeOf(index);
        double apartmentShare = commune.population() > 50_000 ? 0.8 : commune.population() > 5_000 ? 0.5 : 0.2;
        boolean apartment = r.nextDouble() < apartmentShare;
        String buildingId = apartment ? commune.code() + "B" + Long.toString(index / 4, 36).toUpperCase()
                : commune.code() + "M" + Long.toString(index, 36).toUpperCase();
        String dataSource = DemoRandom.weighted(r, List.of("lovac", "datafoncier-import", "datafoncier-manual"),
                new double[] {0.88, 0.09, 0.03});

        Campaign campaign = campaignOfHousing.get(index);
        List<String> years = new ArrayList<>();
        Integer vacancyStartYear = null;
        String occupancySource;
        if (dataSource.equals("lovac")) {
            // A steady vacant stock, as LOVAC shows it year after year: about a fifth of the housings vacant
            // on 1 January leave vacancy during the year, and as many new ones enter. A housing is either in the
            // stock of the first millésime (ENTRY_SHARES[0]) or enters it in a later year; then each year it
            // stays vacant with probability STAY_VACANT (less after a campaign reached it). Its millésimes are
            // the consecutive years from its entry to its exit.
            int firstLovac = DemoRandom.weighted(r, LOVAC_YEARS, ENTRY_SHARES);
            int lastLovac = firstLovac;
            while (lastLovac < LAST_LOVAC && r.nextDouble() < stayVacant(campaign, lastLovac)) {
                lastLovac++;
            }
            // Vacant for two years at least when it enters a millésime; the first millésime's stock has
            // housings vacant for much longer (recent starts remain the most frequent).
            int age = 2;
            double longer = firstLovac == FIRST_LOVAC ? 0.72 : 0.3;
            while (age < 25 && r.nextDouble() < longer) {
                age++;
            }
            vacancyStartYear = firstLovac - age;
            for (int year = firstLovac; year <= lastLovac; year++) {
                years.add("lovac-" + year);
            }
            occupancySource = "V";
        } else {
            years.add(r.nextBoolean() ? "ff-2023" : "ff-2024");
            occupancySource = DemoRandom.weighted(r, List.of("L", "P", "RS", "V", "inconnu"),
                    new double[] {0.35, 0.3, 0.1, 0.15, 0.1});
        }

        int status;
        if (campaign != null && campaign.sent()) {
            status = DemoRandom.weighted(r, List.of(1, 2, 3, 4, 5), new double[] {0.40, 0.18, 0.17, 0.15, 0.10});
        } else if (campaign == null && DemoRandom.chance(r, 0.02)) {
            status = DemoRandom.weighted(r, List.of(2, 3, 4, 5), new double[] {0.3, 0.3, 0.3, 0.1});
        } else {
            status = 0;
        }
        List<String> subStatuses = Labels.SUB_STATUS.get(status);
        String subStatus = subStatuses.isEmpty() || DemoRandom.chance(r, 0.15) ? null : DemoRandom.pick(r, subStatuses);
        String occupancy = occupancySource;
        if (status == 4 && ("Sortie de la vacance".equals(subStatus) || "N'était pas vacant".equals(subStatus))) {
            occupancy = DemoRandom.pick(r, Labels.OCCUPIED);
        } else if (occupancy.equals("inconnu") && status > 0) {
            occupancy = "V";
        }
        long followedSince = 0;
        if (status > 0) {
            long start = campaign != null ? campaign.sentAt() : asOf - 4L * 365 * 86_400;
            followedSince = start + (long) (r.nextDouble() * Math.max(86_400, asOf - start) * 0.5);
        }

        // Owners live near their housings: an owner's housings are neighbours, some owners have several.
        long primary = Math.floorMod(index * owners / housings + (r.nextInt(10) == 0
                ? r.nextLong(owners) : r.nextInt(61) - 30), owners);
        int coOwners = r.nextDouble() < 0.30 ? (r.nextDouble() < 0.27 ? 2 : 1) : 0;
        long[] ownerIndexes = new long[1 + coOwners];
        ownerIndexes[0] = primary;
        for (int k = 1; k < ownerIndexes.length; k++) {
            ownerIndexes[k] = Math.floorMod(primary + k * 3L + r.nextInt(3), owners);
        }
        // In a tiny demo the offsets can wrap onto the same owner: keep each owner once per housing.
        ownerIndexes = Arrays.stream(ownerIndexes).distinct().toArray();
        long previousOwner = r.nextDouble() < 0.15 ? Math.floorMod(primary + 10 + r.nextInt(1000), owners) : -1;
        for (long owner : ownerIndexes) {
            if (owner == previousOwner) {
                previousOwner = -1;
            }
        }
        return new Housing(index, housingId(index), commune, apartment, buildingId, dataSource, years,
                vacancyStartYear, status, subStatus, occupancy, occupancySource, campaign, followedSince,
                ownerIndexes, previousOwner);
    }

    /** The values of a housing that only its own row and the yearly files show. */
    public record HousingDetails(String invariant, String localId, String plotId, String street, String section, String parcel,
                                 double longitude, double latitude, int cadastralClassification, boolean uncomfortable,
                                 int rooms, int area, Integer buildingYear, LocalDate mutationDate, boolean taxed,
                                 Integer beneficiaryCount, String buildingLocation, int rentalValue, String condominium,
                                 String dpe, Long dpeAt, String occupancyIntended, String buildingGroupId,
                                 boolean geolocated, String geolocationSource, Integer plotArea, Long lastMutation,
                                 Long lastTransaction, Integer lastTransactionValue) {
    }

    public HousingDetails details(Housing h) {
        SplittableRandom r = random.row("housing-details", h.index());
        Commune commune = h.commune();
        String section = String.valueOf((char) ('A' + r.nextInt(26))) + (char) ('A' + r.nextInt(26));
        String parcel = String.format("%04d", 1 + r.nextInt(2500));
        int rooms = h.apartment() ? 1 + r.nextInt(5) : 2 + r.nextInt(7);
        int area = rooms * (12 + r.nextInt(14));
        boolean mutated = DemoRandom.chance(r, 0.35);
        long mutation = asOf - (long) (r.nextDouble() * 20 * 365) * DAY;
        boolean sold = mutated && DemoRandom.chance(r, 0.7);
        String dpe = DemoRandom.chance(r, 0.4) ? DemoRandom.weighted(r, Labels.DPE, Labels.DPE_WEIGHTS) : null;
        double longitude = Math.round((commune.longitude() + (r.nextDouble() - 0.5) * 0.04) * 1e6) / 1e6;
        double latitude = Math.round((commune.latitude() + (r.nextDouble() - 0.5) * 0.04) * 1e6) / 1e6;
        String street = Names.streetLine(r);
        int cadastral = DemoRandom.weighted(r, List.of(1, 2, 3, 4, 5, 6, 7, 8),
                new double[] {0.01, 0.02, 0.05, 0.12, 0.35, 0.3, 0.1, 0.05});
        boolean uncomfortable = DemoRandom.chance(r, 0.03);
        Integer buildingYear = DemoRandom.chance(r, 0.9) ? 1850 + r.nextInt(170) : null;
        boolean taxed = DemoRandom.chance(r, 0.3);
        Integer beneficiaries = DemoRandom.chance(r, 0.6) ? 1 + r.nextInt(3) : null;
        String location = h.apartment() ? "A" + String.format("%02d", r.nextInt(8)) + String.format("%02d", 1 + r.nextInt(30))
                : null;
        int rentalValue = 600 + r.nextInt(6000);
        String condominium = h.apartment() ? DemoRandom.pick(r, List.of("co", "CL", "CV", "single")) : null;
        Long dpeAt = dpe == null ? null : asOf - r.nextInt(1500) * DAY;
        String intended = h.status() > 0 && DemoRandom.chance(r, 0.3) ? DemoRandom.pick(r, List.of("L", "P", "RS", "B"))
                : null;
        String group = DemoRandom.chance(r, 0.2) ? "G" + commune.code() + r.nextInt(500) : null;
        boolean geolocated = DemoRandom.chance(r, 0.7);
        String geolocationSource = DemoRandom.chance(r, 0.5) ? DemoRandom.pick(r, List.of("dgfip", "ban", "manual")) : null;
        Integer plotArea = DemoRandom.chance(r, 0.8) ? 50 + r.nextInt(3000) : null;
        Long transaction = sold ? mutation + r.nextInt(30) * DAY : null;
        Integer transactionValue = sold ? 40_000 + r.nextInt(400_000) : null;
        return new HousingDetails(commune.code() + String.format("%07d", h.index() % 10_000_000),
                commune.code().substring(0, 2) + String.format("%010d", h.index()), commune.code() + section + parcel,
                street, section, parcel, longitude,
                latitude, cadastral, uncomfortable, rooms, area, buildingYear,
                mutated ? LocalDate.ofEpochDay(mutation / DAY) : null, taxed, beneficiaries, location, rentalValue,
                condominium, dpe, dpeAt, intended, group, geolocated, geolocationSource, plotArea,
                mutated ? mutation : null, transaction, transactionValue);
    }

    /** An owner as the land registry and the application know them (fake personal data). */
    public record Owner(long index, UUID id, int kind, Commune home, String firstName, String lastName,
                        String fullName, String idpersonne, LocalDate birthDate, String administrator, String siren,
                        List<String> address, String additionalAddress, String email, String phone, String dataSource,
                        boolean doNotContact, boolean multiOwner, long createdAt, Long updatedAt) {
        public boolean person() {
            return kind == 0;
        }
    }

    public Owner owner(long j) {
        SplittableRandom r = ownerRandom(j);
        int kind = Labels.OWNER_KIND.indexOf(DemoRandom.weighted(r, Labels.OWNER_KIND, Labels.OWNER_KIND_WEIGHTS));
        boolean person = kind == 0;
        // Owners mostly live in the commune of their housings; some live elsewhere in the territory.
        Commune home = DemoRandom.chance(r, 0.8) ? territory.communeOf(j * housings / owners)
                : DemoRandom.pick(r, territory.communes());
        String first = Names.firstName(r);
        String last = Names.lastName(r);
        String fullName = person ? last.toUpperCase(Locale.ROOT) + " " + first
                + (DemoRandom.chance(r, 0.3) ? " " + Names.firstName(r) : "") : Names.companyName(r);
        long created = asOf - (long) (r.nextDouble() * 5 * 365) * DAY;
        String idpersonne = DemoRandom.chance(r, 0.9) ? home.code() + String.format("%06d", j % 1_000_000) : null;
        LocalDate birth = person && DemoRandom.chance(r, 0.92)
                ? LocalDate.of(1925 + r.nextInt(78), 1 + r.nextInt(12), 1 + r.nextInt(28)) : null;
        String administrator = person && DemoRandom.chance(r, 0.02) ? "TUTELLE " + Names.registryName(r) : null;
        String siren = person ? null : String.valueOf(300_000_000 + r.nextInt(600_000_000));
        List<String> address = DemoRandom.chance(r, 0.97) ? List.of(Names.streetLine(r),
                home.postalCode() + " " + home.name().toUpperCase(Locale.ROOT)) : null;
        String additional = DemoRandom.chance(r, 0.1) ? "APPARTEMENT " + (1 + r.nextInt(40)) : null;
        String email = person && DemoRandom.chance(r, 0.15) ? Names.email(r, first, last) : null;
        String phone = person && DemoRandom.chance(r, 0.1) ? Names.phone(r) : null;
        String dataSource = DemoRandom.chance(r, 0.8) ? "lovac" : "ff";
        boolean doNotContact = DemoRandom.chance(r, 0.02);
        boolean multi = DemoRandom.chance(r, 0.12);
        Long updated = DemoRandom.chance(r, 0.3) ? created + r.nextInt(300) * DAY : null;
        return new Owner(j, ownerId(j), kind, home, first, last, fullName, idpersonne, birth, administrator, siren,
                address, additional, email, phone, dataSource, doNotContact, multi, created, updated);
    }

    /** A user who may have acted on a housing of this commune (an administrator when there is none). */
    User actorFor(Commune commune, SplittableRandom r) {
        List<User> local = usersByCommune.get(commune.code());
        return local == null || local.isEmpty() ? DemoRandom.pick(r, administrators) : DemoRandom.pick(r, local);
    }

    List<User> administrators() {
        return administrators;
    }
}
