package fr.zlv.entrepot.demo.production;

import fr.zlv.entrepot.demo.DemoRandom;
import fr.zlv.entrepot.demo.Names;
import fr.zlv.entrepot.demo.production.World.Campaign;
import fr.zlv.entrepot.demo.production.World.Establishment;
import fr.zlv.entrepot.demo.production.World.Group;
import fr.zlv.entrepot.demo.production.World.Housing;
import fr.zlv.entrepot.demo.production.World.User;
import fr.zlv.entrepot.demo.territory.Commune;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.function.LongConsumer;

/**
 * Writes the rows of each production table from the {@link World}'s rules, through COPY.
 *
 * <p>Each public method fills one table, or a table and the link tables that only it feeds, and
 * returns the rows written per table. Methods are independent and may run at the same time, each on
 * its own connections.
 */
final class ProductionTables {

    /** Opens a connection to the demo database; the caller closes it. */
    interface ConnectionFactory {
        Connection open() throws SQLException;
    }

    private static final long DAY = 86_400;

    private final World world;
    private final ConnectionFactory connections;
    private final boolean postgis;
    private final LongConsumer progress;

    ProductionTables(World world, ConnectionFactory connections, boolean postgis, LongConsumer progress) {
        this.world = world;
        this.connections = connections;
        this.postgis = postgis;
        this.progress = progress;
    }

    /** Runs {@code body} with a COPY into {@code table}, committing only when all rows are in. */
    private long copy(String table, List<String> columns, CopyBody body) throws SQLException {
        try (Connection connection = connections.open()) {
            CopyWriter writer = new CopyWriter(connection, table, columns);
            try {
                body.write(writer);
                return writer.finish();
            } catch (SQLException | RuntimeException e) {
                writer.cancel();
                throw e;
            }
        }
    }

    private interface CopyBody {
        void write(CopyWriter writer) throws SQLException;
    }

    private void row(CopyWriter writer) throws SQLException {
        writer.endRow();
        progress.accept(1);
    }

    // ------------------------------------------------------------------ establishments and users

    Map<String, Long> establishmentsAndUsers() throws SQLException {
        Map<String, Long> counts = new LinkedHashMap<>();
        counts.put("establishments", copy("establishments", List.of("id", "name", "siren", "siret", "available",
                "localities_geo_code", "kind", "kind_admin", "kind_admin_meta", "millesime", "source", "dep_code",
                "dep_name", "reg_code", "reg_name", "layer_geo_label", "updated_at", "deleted_at", "suspended_at",
                "suspended_cause"), writer -> {
            SplittableRandom r = world.random.stream("establishment-rows");
            for (Establishment e : world.establishments) {
                boolean suspended = e.available() && DemoRandom.chance(r, 0.01);
                writer.uuid(e.id()).text(e.name()).integer(e.siren()).text(e.siren() + "00017")
                        .bool(e.available())
                        .textArray(e.communes().stream().map(Commune::code).toList())
                        .text(e.kind()).text(e.kindAdmin()).text(e.kind().equals("SDED") ? "DDT/M" : null)
                        .text("2024").text(e.kind().equals("SDED") ? "manual" : "cerema")
                        .textArray(e.communes().stream().map(c -> c.departement().code()).distinct().toList())
                        .text(e.departement().name())
                        .textArray(List.of(e.region().code())).text(e.region().name()).text(e.layer())
                        .timestamp(world.asOf - r.nextInt(900) * DAY)
                        .timestamp(null)
                        .timestamp(suspended ? world.asOf - r.nextInt(200) * DAY : null)
                        .text(suspended ? "droits utilisateur expires" : null);
                row(writer);
            }
        }));
        counts.put("users", copy("users", List.of("id", "email", "password", "first_name", "last_name",
                "establishment_id", "role", "activated_at", "last_authenticated_at", "deleted_at", "updated_at",
                "phone", "position", "time_per_week", "kind", "suspended_at", "suspended_cause", "two_factor_secret",
                "two_factor_code", "two_factor_code_generated_at", "two_factor_enabled_at", "two_factor_locked_until",
                "two_factor_failed_attempts"), writer -> {
            SplittableRandom r = world.random.stream("user-rows");
            for (User u : world.users) {
                boolean admin = u.role() == 1;
                long lastSeen = Math.min(world.asOf, u.activatedAt() + (long) (r.nextDouble() * (world.asOf - u.activatedAt())));
                writer.uuid(u.id()).text(u.email()).text(fakeBcrypt(r)).text(u.firstName()).text(u.lastName())
                        .uuid(u.establishment() == null ? null : u.establishment().id()).integer(u.role())
                        .timestamp(u.activatedAt()).timestamp(lastSeen)
                        .timestamp(u.deleted() ? lastSeen + DAY : null).timestamp(lastSeen)
                        .text(DemoRandom.chance(r, 0.5) ? Names.phone(r) : null)
                        .text(admin ? "Équipe nationale" : DemoRandom.pick(r, List.of("Chargé(e) de mission habitat",
                                "Responsable du service logement", "Élu(e)", "Instructeur(rice)", "Chef(fe) de projet")))
                        .text(DemoRandom.pick(r, List.of("Moins de 0,5 jour", "0,5 jour", "1 jour", "Plus de 2 jours")))
                        .text(admin ? null : DemoRandom.pick(r, List.of("Collectivité", "Service de l'État",
                                "Bureau d'études", "Opérateur")))
                        .timestamp(null).text(null)
                        .text(admin ? randomBase32(r, 32) : null).text(admin ? String.valueOf(100_000 + r.nextInt(900_000)) : null)
                        .timestamp(admin ? world.asOf - DAY : null).timestamp(admin ? u.activatedAt() : null)
                        .timestamp(null).integer(admin ? 0 : null);
                row(writer);
            }
        }));
        return counts;
    }

    // ------------------------------------------------------------------ groups, campaigns, perimeters

    Map<String, Long> groupsCampaignsAndPerimeters() throws SQLException {
        Map<String, Long> counts = new LinkedHashMap<>();
        counts.put("groups", copy("groups", List.of("id", "title", "description", "establishment_id", "user_id",
                "created_at", "exported_at", "archived_at", "housing_count", "owner_count"), writer -> {
            SplittableRandom r = world.random.stream("group-rows");
            for (Group g : world.groups) {
                writer.uuid(g.id()).text(g.title()).text("Groupe créé pour " + g.title().toLowerCase(Locale.ROOT))
                        .uuid(g.establishment().id()).uuid(g.user().id()).timestamp(g.createdAt())
                        .timestamp(DemoRandom.chance(r, 0.3) ? g.createdAt() + DAY * r.nextInt(30) : null)
                        .timestamp(DemoRandom.chance(r, 0.1) ? Math.min(world.asOf, g.createdAt() + DAY * 200) : null)
                        .integer(g.housings().length).integer((int) Math.round(g.housings().length * 1.2));
                row(writer);
            }
        }));
        counts.put("groups_housing", copy("groups_housing", List.of("group_id", "housing_id", "housing_geo_code"),
                writer -> {
                    for (Group g : world.groups) {
                        for (long housing : g.housings()) {
                            writer.uuid(g.id()).uuid(world.housingId(housing))
                                    .text(world.territory.communeOf(housing).code());
                            row(writer);
                        }
                    }
                }));
        counts.put("campaigns", copy("campaigns", List.of("id", "title", "description", "establishment_id", "user_id",
                "group_id", "status", "filters", "file", "created_at", "validated_at", "exported_at", "sent_at",
                "confirmed_at", "archived_at", "housing_count", "owner_count", "return_count", "return_rate",
                "campaign_number_deprecated", "kind_deprecated", "reminder_number_deprecated", "start_month_deprecated",
                "recovery_id"), writer -> {
            SplittableRandom r = world.random.stream("campaign-rows");
            for (Campaign c : world.campaigns) {
                int returns = 0;
                if (c.sent()) {
                    for (long housing : c.housings()) {
                        Housing h = world.housing(housing);
                        if (h.campaign() == c && h.status() >= 2) {
                            returns++;
                        }
                    }
                }
                int size = c.housings().length;
                long validated = c.createdAt() + DAY;
                writer.uuid(c.id()).text(c.title()).text(DemoRandom.chance(r, 0.5) ? "Courrier aux propriétaires" : null)
                        .uuid(c.establishment().id()).uuid(c.user().id())
                        .uuid(c.group() == null ? null : c.group().id()).text(c.status())
                        .text("{\"status\": [0], \"occupancies\": [\"V\"], \"vacancyDurations\": [\"gt2\"]}")
                        .text(c.sent() ? "campagnes/" + c.id() + ".pdf" : null)
                        .timestamp(c.createdAt()).timestamp(c.status().equals("draft") ? null : validated)
                        .timestamp(c.status().equals("draft") ? null : validated + DAY)
                        .timestamp(c.sentAt()).timestamp(c.sentAt())
                        .timestamp(c.status().equals("archived") ? Math.min(world.asOf, c.sentAt() + 180 * DAY) : null)
                        .integer(size).integer((int) Math.round(size * 1.15))
                        .integer(c.sent() ? returns : null)
                        .number(c.sent() && size > 0 ? Math.round(10_000.0 * returns / size) / 100.0 : null)
                        .integer(null).integer(null).integer(null).text(null).text(null);
                row(writer);
            }
        }));
        counts.put("campaigns_housing", copy("campaigns_housing", List.of("campaign_id", "housing_id",
                "housing_geo_code", "advice"), writer -> {
            for (Campaign c : world.campaigns) {
                for (long housing : c.housings()) {
                    writer.uuid(c.id()).uuid(world.housingId(housing)).text(world.territory.communeOf(housing).code())
                            .text(null);
                    row(writer);
                }
            }
        }));
        counts.put("geo_perimeters", copy("geo_perimeters", List.of("id", "establishment_id", "name", "kind", "geom",
                "created_at", "created_by"), writer -> {
            SplittableRandom r = world.random.stream("perimeter-rows");
            int index = 0;
            for (Establishment e : world.establishments) {
                if (!e.available() || e.kind().equals("COM")) {
                    continue;
                }
                int count = r.nextInt(4);
                for (int k = 0; k < count; k++) {
                    Commune centre = DemoRandom.pick(r, e.communes());
                    byte[] wkb = square(centre.longitude(), centre.latitude(), 0.01 + r.nextDouble() * 0.03);
                    writer.uuid(world.random.uuid("perimeter", index++)).uuid(e.id())
                            .text(DemoRandom.pick(r, List.of("Centre-bourg ", "OPAH-RU ", "ORT ", "Quartier gare "))
                                    + centre.name())
                            .text(DemoRandom.pick(r, List.of("ORT", "OPAH", "Secteur", "PVD")));
                    if (postgis) {
                        writer.hex(wkb);
                    } else {
                        writer.bytes(wkb);
                    }
                    writer.timestamp(world.asOf - r.nextInt(1000) * DAY).uuid(world.actorFor(centre, r).id());
                    row(writer);
                }
            }
        }));
        return counts;
    }

    /** A square polygon in well-known binary (little endian), SRID-less. */
    private static byte[] square(double x, double y, double half) {
        ByteBuffer wkb = ByteBuffer.allocate(1 + 4 + 4 + 4 + 5 * 16).order(ByteOrder.LITTLE_ENDIAN);
        wkb.put((byte) 1).putInt(3).putInt(1).putInt(5);
        double[][] corners = {{x - half, y - half}, {x + half, y - half}, {x + half, y + half}, {x - half, y + half},
                {x - half, y - half}};
        for (double[] corner : corners) {
            wkb.putDouble(corner[0]).putDouble(corner[1]);
        }
        return wkb.array();
    }

    // ------------------------------------------------------------------ housings and buildings

    Map<String, Long> housing() throws SQLException {
        return Map.of("fast_housing", copy("fast_housing", List.of("id", "invariant", "local_id", "building_id",
                "address_dgfip", "geo_code", "longitude_dgfip", "latitude_dgfip", "cadastral_classification",
                "uncomfortable", "vacancy_start_year", "housing_kind", "rooms_count", "living_area",
                "cadastral_reference", "building_year", "mutation_date", "taxed", "data_years", "beneficiary_count",
                "building_location", "rental_value", "condominium", "status", "sub_status", "actual_dpe",
                "energy_consumption_bdnb", "energy_consumption_at_bdnb", "occupancy_source", "occupancy",
                "occupancy_intended", "plot_id", "building_group_id", "data_source", "data_file_years", "geolocation",
                "geolocation_source", "plot_area", "last_mutation_date", "last_transaction_date",
                "last_transaction_value", "occupancy_history"), writer -> {
            for (long i = 0; i < world.housings; i++) {
                writeHousing(writer, world.housing(i));
                row(writer);
            }
        }));
    }

    private void writeHousing(CopyWriter writer, Housing h) {
        World.HousingDetails d = world.details(h);
        Commune commune = h.commune();
        Integer dataYear = Integer.valueOf(h.dataFileYears().get(h.dataFileYears().size() - 1).replaceAll("\\D", "")
                .substring(0, 4));
        writer.uuid(h.id())
                .text(d.invariant())
                .text(d.localId())
                .text(h.buildingId())
                .textArray(List.of(d.street(), commune.postalCode() + " " + commune.name().toUpperCase(Locale.ROOT)))
                .text(commune.code())
                .number(d.longitude()).number(d.latitude())
                .integer(d.cadastralClassification())
                .bool(d.uncomfortable())
                .integer(h.vacancyStartYear())
                .text(h.apartment() ? "APPART" : "MAISON")
                .integer(d.rooms()).integer(d.area())
                .text(d.section() + " " + d.parcel())
                .integer(d.buildingYear())
                .date(d.mutationDate())
                .bool(d.taxed())
                .intArray(dataYear, dataYear - 1)
                .integer(d.beneficiaryCount())
                .text(d.buildingLocation())
                .integer(d.rentalValue())
                .text(d.condominium())
                .integer(h.status()).text(h.subStatus())
                .text(d.dpe()).text(d.dpe())
                .timestamp(d.dpeAt())
                .text(h.occupancySource()).text(h.occupancy())
                .text(d.occupancyIntended())
                .text(d.plotId())
                .text(d.buildingGroupId())
                .text(h.dataSource())
                .textArray(h.dataFileYears())
                .text(d.geolocated() ? "POINT(" + d.longitude() + " " + d.latitude() + ")" : null)
                .text(d.geolocationSource())
                .integer(d.plotArea())
                .timestamp(d.lastMutation())
                .timestamp(d.lastTransaction())
                .integer(d.lastTransactionValue())
                .text(h.dataFileYears().size() > 1 ? String.join(",", h.dataFileYears()).replace("lovac-", "V:") : null);
    }

    Map<String, Long> buildings() throws SQLException {
        return Map.of("buildings", copy("buildings", List.of("id", "housing_count", "vacant_housing_count",
                "rent_housing_count", "rnb_id", "rnb_id_score", "rnb_footprint", "dpe_id", "class_dpe", "class_ges",
                "dpe_date_at", "dpe_type", "heating_building", "dpe_import_match"), writer -> {
            // Apartments of a block of four consecutive housings share a building; houses have their own.
            Map<String, int[]> block = new LinkedHashMap<>();
            for (long start = 0; start < world.housings; start += 4) {
                block.clear();
                for (long i = start; i < Math.min(start + 4, world.housings); i++) {
                    Housing h = world.housing(i);
                    int[] counts = block.computeIfAbsent(h.buildingId(), id -> new int[3]);
                    counts[0]++;
                    counts[1] += h.occupancy().equals("V") ? 1 : 0;
                    counts[2] += h.occupancy().equals("L") ? 1 : 0;
                }
                for (Map.Entry<String, int[]> building : block.entrySet()) {
                    writeBuilding(writer, building.getKey(), building.getValue());
                    row(writer);
                }
            }
        }));
    }

    private void writeBuilding(CopyWriter writer, String id, int[] counts) {
        SplittableRandom r = world.random.row("building", id.hashCode());
        boolean apartments = id.charAt(5) == 'B';
        int others = apartments ? r.nextInt(12) : 0;
        boolean hasDpe = DemoRandom.chance(r, 0.4);
        String dpe = hasDpe ? DemoRandom.weighted(r, Labels.DPE, Labels.DPE_WEIGHTS) : null;
        writer.text(id).integer(counts[0] + others).integer(counts[1]).integer(counts[2] + others / 2)
                .text(DemoRandom.chance(r, 0.7) ? rnbId(r) : null).integer(DemoRandom.chance(r, 0.7) ? r.nextInt(10) : null)
                .integer(DemoRandom.chance(r, 0.5) ? 40 + r.nextInt(800) : null)
                .text(hasDpe ? "2" + String.format("%012d", r.nextLong(1_000_000_000_000L)) : null)
                .text(dpe).text(hasDpe ? DemoRandom.weighted(r, Labels.DPE, Labels.DPE_WEIGHTS) : null)
                .date(hasDpe ? LocalDate.ofEpochDay(world.asOf / DAY - r.nextInt(2000)) : null)
                .text(hasDpe ? (apartments ? DemoRandom.pick(r, List.of("dpe appartement individuel",
                        "dpe immeuble collectif")) : "dpe maison individuelle") : null)
                .text(hasDpe ? DemoRandom.pick(r, List.of("Gaz naturel", "Électricité", "Fioul", "Bois")) : null)
                .text(hasDpe ? DemoRandom.pick(r, List.of("plot_id", "rnb_id")) : null);
    }

    private static String rnbId(SplittableRandom r) {
        String alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
        StringBuilder id = new StringBuilder();
        for (int i = 0; i < 12; i++) {
            if (i > 0 && i % 4 == 0) {
                id.append('-');
            }
            id.append(alphabet.charAt(r.nextInt(alphabet.length())));
        }
        return id.toString();
    }

    // ------------------------------------------------------------------ owners

    Map<String, Long> owners() throws SQLException {
        return Map.of("owners", copy("owners", List.of("id", "idpersonne", "full_name", "birth_date", "administrator",
                "siren", "address_dgfip", "additional_address", "email", "phone", "data_source", "kind_class",
                "entity", "username", "do_not_contact", "is_multi_owner", "created_at", "updated_at"), writer -> {
            for (long j = 0; j < world.owners; j++) {
                writeOwner(writer, j);
                row(writer);
            }
        }));
    }

    private void writeOwner(CopyWriter writer, long j) {
        World.Owner o = world.owner(j);
        writer.uuid(o.id())
                .text(o.idpersonne())
                .text(o.fullName())
                .date(o.birthDate())
                .text(o.administrator())
                .text(o.siren())
                .textArray(o.address())
                .text(o.additionalAddress())
                .text(o.email())
                .text(o.phone())
                .text(o.dataSource())
                .text(Labels.OWNER_KIND.get(o.kind()))
                .text(Labels.OWNER_ENTITY.get(o.kind()))
                .text(null)
                .bool(o.doNotContact())
                .bool(o.multiOwner())
                .timestamp(o.createdAt())
                .timestamp(o.updatedAt());
    }

    Map<String, Long> ownersHousing() throws SQLException {
        return Map.of("owners_housing", copy("owners_housing", List.of("owner_id", "housing_id", "housing_geo_code",
                "rank", "start_date", "end_date", "origin", "idprocpte", "idprodroit", "locprop_source",
                "locprop_relative_ban", "locprop_distance_ban", "property_right"), writer -> {
            for (long i = 0; i < world.housings; i++) {
                Housing h = world.housing(i);
                SplittableRandom r = world.random.row("owners-housing", i);
                String account = h.geoCode() + String.format("%06d", r.nextInt(1_000_000));
                long[] owners = h.owners();
                for (int rank = 1; rank <= owners.length; rank++) {
                    writeOwnership(writer, r, h, owners[rank - 1], rank, account, null);
                }
                if (h.previousOwner() >= 0) {
                    long end = world.asOf - r.nextInt(3000) * DAY;
                    writeOwnership(writer, r, h, h.previousOwner(), 0, account, LocalDate.ofEpochDay(end / DAY));
                }
            }
        }));
    }

    private void writeOwnership(CopyWriter writer, SplittableRandom r, Housing h, long owner, int rank,
                                String account, LocalDate end) throws SQLException {
        boolean far = DemoRandom.chance(r, 0.2);
        writer.uuid(world.ownerId(owner)).uuid(h.id()).text(h.geoCode()).integer(rank)
                .date(LocalDate.ofEpochDay(world.asOf / DAY - 200 - r.nextInt(9000))).date(end)
                .text(DemoRandom.pick(r, List.of("lovac", "datafoncier-import", "user")))
                .text(account).text(account + String.format("%02d", rank))
                .text(DemoRandom.pick(r, List.of("dgfip", "ban")))
                .integer(far ? 5 : 1 + r.nextInt(3))
                .number(far ? 50_000.0 + r.nextInt(500_000) : (double) r.nextInt(2_000))
                .text(rank == 1 ? "proprietaire-entier" : DemoRandom.pick(r, Labels.PROPERTY_RIGHTS));
        row(writer);
    }

    // ------------------------------------------------------------------ events

    /** events and the link tables that point at them, written together (five COPY streams). */
    Map<String, Long> events() throws SQLException {
        try (Connection eventsConnection = connections.open();
             Connection housingConnection = connections.open();
             Connection ownerConnection = connections.open();
             Connection groupConnection = connections.open();
             Connection documentConnection = connections.open()) {
            CopyWriter events = new CopyWriter(eventsConnection, "events",
                    List.of("id", "type", "next_old", "next_new", "created_at", "created_by"));
            CopyWriter housingEvents = new CopyWriter(housingConnection, "housing_events",
                    List.of("event_id", "housing_id", "housing_geo_code"));
            CopyWriter ownerEvents = new CopyWriter(ownerConnection, "owner_events", List.of("event_id", "owner_id"));
            CopyWriter groupEvents = new CopyWriter(groupConnection, "group_housing_events",
                    List.of("event_id", "housing_id", "housing_geo_code", "group_id"));
            CopyWriter documentEvents = new CopyWriter(documentConnection, "housing_document_events",
                    List.of("event_id", "housing_id", "housing_geo_code", "document_id"));
            List<CopyWriter> all = List.of(events, housingEvents, ownerEvents, groupEvents, documentEvents);
            try {
                EventSink sink = new EventSink(events);
                for (long i = 0; i < world.housings; i++) {
                    housingEventsOf(world.housing(i), sink, housingEvents, documentEvents);
                }
                SplittableRandom r = world.random.stream("campaign-events");
                for (Campaign c : world.campaigns) {
                    for (long housing : c.housings()) {
                        Commune commune = world.territory.communeOf(housing);
                        UUID event = sink.add("housing:campaign-attached", null,
                                "{\"campaignId\": \"" + c.id() + "\"}", c.createdAt() + r.nextInt(3_600), c.user().id());
                        housingEvents.uuid(event).uuid(world.housingId(housing)).text(commune.code());
                        row(housingEvents);
                    }
                }
                for (Group g : world.groups) {
                    for (long housing : g.housings()) {
                        UUID event = sink.add("housing:group-attached", null, "{\"groupId\": \"" + g.id() + "\"}",
                                g.createdAt() + r.nextInt(3_600), g.user().id());
                        groupEvents.uuid(event).uuid(world.housingId(housing))
                                .text(world.territory.communeOf(housing).code()).uuid(g.id());
                        row(groupEvents);
                    }
                }
                long ownerUpdates = world.owners / 250;
                for (long k = 0; k < ownerUpdates; k++) {
                    long owner = r.nextLong(world.owners);
                    Commune commune = world.territory.communeOf(owner * world.housings / world.owners);
                    UUID event = sink.add("owner:updated", "{\"phone\": null}",
                            "{\"phone\": \"" + Names.phone(r) + "\"}", world.asOf - r.nextInt(700) * DAY - r.nextInt(86_400),
                            world.actorFor(commune, r).id());
                    ownerEvents.uuid(event).uuid(world.ownerId(owner));
                    row(ownerEvents);
                }
                Map<String, Long> counts = new LinkedHashMap<>();
                counts.put("events", events.finish());
                counts.put("housing_events", housingEvents.finish());
                counts.put("owner_events", ownerEvents.finish());
                counts.put("group_housing_events", groupEvents.finish());
                counts.put("housing_document_events", documentEvents.finish());
                return counts;
            } catch (SQLException | RuntimeException e) {
                all.forEach(CopyWriter::cancel);
                throw e;
            }
        }
    }

    /** Writes events rows with identifiers in order. */
    private final class EventSink {
        private final CopyWriter events;
        private long next;

        EventSink(CopyWriter events) {
            this.events = events;
        }

        UUID add(String type, String before, String after, long at, UUID by) throws SQLException {
            UUID id = world.random.uuid("event", next++);
            events.uuid(id).text(type).text(before).text(after).timestamp(at).uuid(by);
            row(events);
            return id;
        }
    }

    private void housingEventsOf(Housing h, EventSink sink, CopyWriter housingEvents, CopyWriter documentEvents)
            throws SQLException {
        if (h.status() == 0 && !h.dataSource().equals("datafoncier-manual")) {
            return;
        }
        SplittableRandom r = world.random.row("housing-events", h.index());
        User actor = h.campaign() != null ? h.campaign().user() : world.actorFor(h.commune(), r);
        List<UUID> created = new ArrayList<>();
        if (h.dataSource().equals("datafoncier-manual")) {
            created.add(sink.add("housing:created", null, "{\"source\": \"datafoncier-manual\"}",
                    world.asOf - r.nextInt(1500) * DAY, actor.id()));
        }
        long at = h.followedSince();
        int previous = 0;
        // The follow-up moves forward one status at a time, sometimes skipping one.
        List<Integer> path = new ArrayList<>();
        for (int status = 1; status <= h.status(); status++) {
            if (status == h.status() || DemoRandom.chance(r, 0.6)) {
                path.add(status);
            }
        }
        for (int status : path) {
            String subStatus = status == h.status() ? h.subStatus() : null;
            String after = "{\"status\": \"" + Labels.STATUS.get(status) + "\""
                    + (subStatus == null ? "" : ", \"subStatus\": \"" + subStatus.replace("\"", "\\\"") + "\"") + "}";
            created.add(sink.add("housing:status-updated", "{\"status\": \"" + Labels.STATUS.get(previous) + "\"}",
                    after, Math.min(world.asOf - 1, at), actor.id()));
            previous = status;
            at += DAY * (1 + r.nextInt(60)) + r.nextInt(86_400);
        }
        if (!h.occupancy().equals(h.occupancySource())) {
            created.add(sink.add("housing:occupancy-updated", "{\"occupancy\": \"" + h.occupancySource() + "\"}",
                    "{\"occupancy\": \"" + h.occupancy() + "\"}", Math.min(world.asOf - 1, at), actor.id()));
        }
        for (UUID event : created) {
            housingEvents.uuid(event).uuid(h.id()).text(h.geoCode());
            row(housingEvents);
        }
        if (h.status() > 0 && DemoRandom.chance(r, 0.03)) {
            UUID event = sink.add("housing:document-attached", null, "{\"filename\": \"courrier.pdf\"}",
                    Math.min(world.asOf - 1, at), actor.id());
            documentEvents.uuid(event).uuid(h.id()).text(h.geoCode()).uuid(world.random.uuid("document", h.index()));
            row(documentEvents);
        }
    }

    // ------------------------------------------------------------------ notes

    Map<String, Long> notes() throws SQLException {
        try (Connection notesConnection = connections.open();
             Connection housingConnection = connections.open();
             Connection ownerConnection = connections.open()) {
            CopyWriter notes = new CopyWriter(notesConnection, "notes", List.of("id", "content", "note_kind",
                    "created_by", "created_at", "updated_at", "deleted_at", "contact_kind_deprecated", "title_deprecated"));
            CopyWriter housingNotes = new CopyWriter(housingConnection, "housing_notes",
                    List.of("note_id", "housing_id", "housing_geo_code"));
            CopyWriter ownerNotes = new CopyWriter(ownerConnection, "owner_notes", List.of("note_id", "owner_id"));
            try {
                long next = 0;
                for (long i = 0; i < world.housings; i++) {
                    Housing h = world.housing(i);
                    if (h.status() == 0) {
                        continue;
                    }
                    SplittableRandom r = world.random.row("notes", i);
                    if (!DemoRandom.chance(r, 0.4)) {
                        continue;
                    }
                    int count = 1 + r.nextInt(2);
                    for (int k = 0; k < count; k++) {
                        UUID id = world.random.uuid("note", next++);
                        long at = Math.min(world.asOf - 1, h.followedSince() + r.nextInt(200) * DAY);
                        notes.uuid(id).text(noteContent(r, at)).text(DemoRandom.pick(r, Labels.NOTE_KINDS))
                                .uuid(world.actorFor(h.commune(), r).id()).timestamp(at)
                                .timestamp(DemoRandom.chance(r, 0.1) ? at + DAY : null)
                                .timestamp(DemoRandom.chance(r, 0.02) ? at + 2 * DAY : null)
                                .text(null).text(null);
                        row(notes);
                        housingNotes.uuid(id).uuid(h.id()).text(h.geoCode());
                        row(housingNotes);
                        if (DemoRandom.chance(r, 0.3)) {
                            ownerNotes.uuid(id).uuid(world.ownerId(h.owners()[0]));
                            row(ownerNotes);
                        }
                    }
                }
                Map<String, Long> counts = new LinkedHashMap<>();
                counts.put("notes", notes.finish());
                counts.put("housing_notes", housingNotes.finish());
                counts.put("owner_notes", ownerNotes.finish());
                return counts;
            } catch (SQLException | RuntimeException e) {
                notes.cancel();
                housingNotes.cancel();
                ownerNotes.cancel();
                throw e;
            }
        }
    }

    /** Free text as agents write it, personal data included: why notes never reach a mart as they are. */
    private static String noteContent(SplittableRandom r, long at) {
        LocalDate day = LocalDate.ofEpochDay(at / DAY);
        String who = (r.nextBoolean() ? "Mme " : "M. ") + Names.lastName(r);
        String what = DemoRandom.pick(r, List.of(
                "souhaite vendre le logement", "travaux en cours, relouer prévu dans 6 mois",
                "ne répond pas aux courriers", "logement en succession, notaire saisi",
                "intéressé(e) par les aides de l'Anah", "logement occupé depuis l'an dernier"));
        String content = "Échange avec " + who + " le " + day + " : " + what + ".";
        return DemoRandom.chance(r, 0.3) ? content + "\nRappeler au " + Names.phone(r) + "." : content;
    }

    // ------------------------------------------------------------------ helpers

    private static String fakeBcrypt(SplittableRandom r) {
        return "$2b$10$" + randomBase32(r, 53).replace('=', '.');
    }

    private static String randomBase32(SplittableRandom r, int length) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567abcdefghijklmnopqrstuvwxyz./";
        StringBuilder out = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            out.append(alphabet.charAt(r.nextInt(alphabet.length())));
        }
        return out.toString();
    }
}
