package fr.zlv.entrepot.demo.territory;

/**
 * A commune of the demo territory.
 *
 * @param code          INSEE code, five characters, département first ({@code 33063}, {@code 2A004})
 * @param name          its name
 * @param postalCode    a postal code
 * @param epci          its intercommunality
 * @param population    inhabitants
 * @param firstHousing  index of its first housing: housings are numbered commune after commune
 * @param housingCount  how many housings it has
 * @param latitude      of its centre
 * @param longitude     of its centre
 */
public record Commune(String code, String name, String postalCode, Epci epci, int population, long firstHousing,
                      long housingCount, double latitude, double longitude) {

    public Departement departement() {
        return epci.departement();
    }

    /** True when housing {@code index} is in this commune. */
    public boolean contains(long index) {
        return index >= firstHousing && index < firstHousing + housingCount;
    }
}
