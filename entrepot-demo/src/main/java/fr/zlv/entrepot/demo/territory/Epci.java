package fr.zlv.entrepot.demo.territory;

/** An intercommunality: SIREN, name, legal kind (CC, CA, CU, METRO) and département. */
public record Epci(String siren, String name, String kind, Departement departement) {
}
