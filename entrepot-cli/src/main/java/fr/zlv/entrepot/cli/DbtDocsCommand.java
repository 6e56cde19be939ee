package fr.zlv.entrepot.cli;

import fr.zlv.entrepot.dbt.DbtEngine;
import fr.zlv.entrepot.dbt.DbtException;
import fr.zlv.entrepot.dbt.docs.DocsResult;
import fr.zlv.entrepot.dbt.docs.DocsServer;
import fr.zlv.entrepot.dbt.project.DbtProject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code entrepot dbt docs generate|serve}: the project's documentation site, as dbt's docs commands make it.
 * {@code generate} writes target/manifest.json, target/catalog.json and the site (target/index.html);
 * {@code serve} serves target/ on http://127.0.0.1:PORT/ until Ctrl+C.
 */
@Command(name = "docs", mixinStandardHelpOptions = true,
        description = {"The project's documentation site: models, sources, seeds, snapshots and tests with their",
                "descriptions, columns (types from the warehouse), SQL and lineage graph."},
        subcommands = {DbtDocsCommand.Generate.class, DbtDocsCommand.Serve.class})
final class DbtDocsCommand implements Runnable {

    @ParentCommand
    DbtCommand parent;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    @Command(name = "generate", mixinStandardHelpOptions = true,
            description = {"Compile the project, read the warehouse's catalog, and write target/manifest.json,",
                    "target/catalog.json and the documentation site (target/index.html: opens without a server)."})
    static final class Generate implements Callable<Integer> {
        @ParentCommand
        DbtDocsCommand docs;
        @Mixin
        DbtCommand.ProjectOptions project;

        @Option(names = "--no-compile", description = "Do not compile the nodes first (their pages show no compiled SQL).")
        boolean noCompile;

        @Override
        public Integer call() {
            try (DbtEngine dbt = DbtEngine.load(docs.parent.options(project, null, false))) {
                DocsResult result = dbt.docs(!noCompile);
                if (!project.quiet) {
                    result.lines().forEach(System.out::println);
                }
                return 0;
            }
        }
    }

    @Command(name = "serve", mixinStandardHelpOptions = true,
            description = {"Serve the documentation site of target/ on http://127.0.0.1:PORT/ (this machine only),",
                    "until Ctrl+C. Run 'entrepot dbt docs generate' first."})
    static final class Serve implements Callable<Integer> {
        @ParentCommand
        DbtDocsCommand docs;
        @Mixin
        DbtCommand.ProjectOptions project;

        @Option(names = "--port", defaultValue = "8080", paramLabel = "PORT",
                description = "The port (default: ${DEFAULT-VALUE}; 0: any free port).")
        int port;

        @Override
        public Integer call() {
            // Only dbt_project.yml is read: serving needs the target path, not the parsed project nor the warehouse.
            Path projectDir = docs.parent.options(project, null, true).projectDir();
            DbtProject dbtProject = DbtProject.load(projectDir);
            Path target = dbtProject.root().resolve(dbtProject.targetPath());
            if (!Files.isRegularFile(target.resolve("index.html"))) {
                throw DbtException.project("There is no documentation site in " + target + ".",
                        "Run 'entrepot dbt docs generate' first.");
            }
            DocsServer server = DocsServer.start(target, port);
            CountDownLatch stopped = new CountDownLatch(1);
            // Ctrl+C runs the shutdown hooks: the server stops and frees its port.
            Thread hook = new Thread(() -> {
                server.close();
                stopped.countDown();
            }, "docs-server-stop");
            Runtime.getRuntime().addShutdownHook(hook);
            System.out.println("Serving docs at " + server.url());
            System.out.println("Press Ctrl+C to exit.");
            try {
                stopped.await();
            } catch (InterruptedException e) {
                // Interrupted (by the program embedding the command, a test): stop serving and return.
                Thread.currentThread().interrupt();
                Runtime.getRuntime().removeShutdownHook(hook);
                server.close();
            }
            return 0;
        }
    }
}
