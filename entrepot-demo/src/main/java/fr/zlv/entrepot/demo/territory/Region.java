package fr.zlv.entrepot.demo.territory;

/** A région: INSEE code (two digits) and name. */
public record Region(String code, String name) {
}
