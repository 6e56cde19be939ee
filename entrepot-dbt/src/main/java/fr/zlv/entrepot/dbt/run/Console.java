package fr.zlv.entrepot.dbt.run;

/** Where a command's lines go: the terminal, a log, a test's list. */
@FunctionalInterface
public interface Console {

    void line(String text);

    Console SILENT = text -> { };
}
