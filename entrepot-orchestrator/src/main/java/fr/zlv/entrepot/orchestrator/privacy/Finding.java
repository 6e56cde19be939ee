package fr.zlv.entrepot.orchestrator.privacy;

/**
 * One problem the privacy check found: a column of a mart that carries, or may carry, personal data.
 *
 * @param table  {@code schema.table} in the warehouse
 * @param column the column's name as the warehouse spells it
 * @param rule   the rule it breaks
 * @param detail why, in a sentence (never the column's values: they may be personal)
 */
public record Finding(String table, String column, Rule rule, String detail) {

    /** The rules of the privacy check. */
    public enum Rule {
        /** The column is classified {@code pii: direct}, in the mart or upstream under the same name. */
        DIRECT("direct", "Drop the column, or pseudonymise it upstream with {{ pseudonymise(...) }} (then say"
                + " meta: {pii: none, pseudonymised: true} on the mart column); direct personal data never reaches a mart."),
        /** A mart marked {@code meta: {public: true}} has a column classified {@code pii: indirect}. */
        INDIRECT_IN_PUBLIC("indirect-in-public", "Drop or aggregate the column in this public mart, or take"
                + " meta: {public: true} off the mart."),
        /** The column has no {@code meta: {pii: ...}} in the dbt project (or an unknown value). */
        UNCLASSIFIED("unclassified", "Classify it in the mart's YAML: columns: - name: <column> meta: {pii:"
                + " direct|indirect|none}."),
        /** The column's values look like e-mail addresses, phone numbers or people's names. */
        PERSONAL_VALUES("personal-values", "Check what the column holds: drop it or pseudonymise it upstream if it"
                + " is personal data, else fix its content.");

        private final String code;
        private final String hint;

        Rule(String code, String hint) {
            this.code = code;
            this.hint = hint;
        }

        /** The rule's name in messages and JSON: {@code direct}, {@code indirect-in-public}, ... */
        public String code() {
            return code;
        }

        /** What to do about a finding of this rule. */
        public String hint() {
            return hint;
        }
    }

    /** {@code schema.table.column}. */
    public String qualifiedColumn() {
        return table + "." + column;
    }

    @Override
    public String toString() {
        return qualifiedColumn() + " (" + rule.code() + "): " + detail;
    }
}
