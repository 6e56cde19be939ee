package fr.zlv.entrepot.demo.territory;

/** A département: INSEE code ({@code 33}, {@code 2A}), name, and its région. */
public record Departement(String code, String name, Region region) {
}
